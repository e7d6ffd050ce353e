import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  randomUUID,
} from 'node:crypto';
import type { Deps } from '../core/context.js';
import type { Dialect, Executor } from '../core/db/database.js';
import type { CampaignBallotsTable, CampaignCommentsTable, CampaignsTable } from '../core/db/schema.js';
import { sha256Hex } from '../core/digest.js';
import { AppError, Conflict, Invalid, NotFound } from '../core/errors.js';
import { chinaDate } from '../core/time.js';
import { validateBallot } from './model.js';
import * as store from './store.js';
import type {
  BallotAnswers,
  BallotForm,
  PublicBallot,
  PublicRoundView,
  Questionnaire,
  RoundState,
} from './types.js';

/*
 * The evaluator's side: the form a token opens, drafts, the one submission per token, receipts; and the
 * mixing that keeps a ballot apart from the token that cast it (docs/campaigns.md, "Anonymity").
 *
 * A submission, in one transaction: the invitation is marked used (a conditional update, so a token
 * casts one ballot however many requests race), its draft erased, and the ballot put in the round's pool
 * under a random id. When the pool holds 2 × mix_size other ballots, a random mix_size of them (never the
 * one just cast) move to campaign_ballots under new random ids, in shuffled order; closing the round
 * stores every ballot of the round again in one shuffled batch (remixRound). Ballots carry no time, no token, no evaluator; the receipt is random and stored only
 * as a digest.
 */

/** A stored questionnaire (validated when stored). */
export function parseQuestionnaire(text: string): Questionnaire {
  return JSON.parse(text) as Questionnaire;
}

/** The invitation token: an HMAC of the invitation id under the campaign's key (a reminder repeats it). */
export function tokenFor(campaign: Pick<CampaignsTable, 'secret'>, invitationId: string): string {
  return createHmac('sha256', campaign.secret).update(invitationId).digest('base64url').slice(0, 26);
}

/** What is stored of a token: its digest, never the token. */
export function tokenHash(token: string): string {
  return sha256Hex(`campaign-token:${token}`);
}

/** What is stored of a receipt code: its digest. */
export function receiptDigest(code: string): string {
  return sha256Hex(`campaign-receipt:${code.replace(/[\s-]/g, '').toUpperCase()}`);
}

const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A receipt code an evaluator can copy: 12 characters without look-alikes, in groups of four. */
export function newReceiptCode(): string {
  let s = '';
  for (let i = 0; i < 12; i += 1) s += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)] ?? '2';
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

// Drafts are encrypted with a key derived from the token, which the server does not store: a copy of
// the database does not show what an evaluator has filled in so far.
const draftKey = (token: string) => createHash('sha256').update(`campaign-draft:${token}`).digest();

function sealDraft(token: string, answers: BallotAnswers): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', draftKey(token), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(answers), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function openDraft(token: string, sealed: string): BallotAnswers | null {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', draftKey(token), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as BallotAnswers;
  } catch {
    return null;
  }
}

const unknownToken = () =>
  new AppError(
    404,
    'unknown_token',
    'This evaluation link is not valid. Open the link from your invitation exactly as sent.',
  );

const MAX_BALLOT_BYTES = 256 * 1024;

async function invitationOf(db: Executor, token: string) {
  if (typeof token !== 'string' || token.length < 10 || token.length > 100) throw unknownToken();
  const invitation = await store.invitationByTokenHash(db, tokenHash(token));
  if (!invitation) throw unknownToken();
  const campaign = await store.campaignById(db, invitation.campaignId);
  if (!campaign || tokenFor(campaign, invitation.id) !== token) throw unknownToken();
  return { invitation, campaign };
}

type RoundDates = { state: string; opensOn: string; closesOn: string };

function statusOf(round: RoundDates, today: string): BallotForm['status'] {
  if (round.state === 'draft' || today < round.opensOn) return 'not_open';
  if (round.state !== 'open' || today > round.closesOn) return 'closed';
  return 'open';
}

function assertOpen(round: RoundDates, today: string): void {
  const status = statusOf(round, today);
  if (status === 'not_open') {
    throw new Conflict(
      'round_not_open',
      'This evaluation has not opened yet. Come back on its opening day.',
      {
        opensOn: round.opensOn,
      },
    );
  }
  if (status === 'closed') {
    throw new Conflict('round_closed', 'This evaluation has closed; ballots are no longer accepted.', {
      closesOn: round.closesOn,
    });
  }
}

/** What a token opens: the campaign, the subjects assigned with their highlights, and the saved draft. */
export async function ballotForm(deps: Deps, token: string): Promise<BallotForm> {
  const db = deps.database.db;
  const { invitation, campaign } = await invitationOf(db, token);
  const round = await store.roundById(db, invitation.roundId);
  if (!round) throw unknownToken();
  const assigned = new Set(JSON.parse(invitation.subjects) as string[]);
  const subjects = (await store.subjectsOf(db, campaign.id)).filter((s) => assigned.has(s.id));
  const q = parseQuestionnaire(campaign.questionnaire);
  return {
    campaignName: campaign.name,
    roundId: round.id,
    roundName: round.name,
    status: statusOf(round, chinaDate(deps.clock.now())),
    opensOn: round.opensOn,
    intro: q.intro ?? '',
    named: campaign.named === 1,
    evaluatorName: campaign.named === 1 ? invitation.name : null,
    questionnaire: q,
    subjects: subjects.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      highlights: JSON.parse(s.highlights) as string[],
    })),
    draft: invitation.used === 0 && invitation.draft !== null ? openDraft(token, invitation.draft) : null,
    submitted: invitation.used === 1,
    closesOn: round.closesOn,
  };
}

function checkSize(answers: unknown): void {
  if (JSON.stringify(answers ?? null).length > MAX_BALLOT_BYTES) {
    throw new Invalid('ballot_too_large', 'The ballot is too large. Shorten the comments.', {});
  }
}

/** Saves a partial ballot (checked against the questionnaire) to come back to. */
export async function saveBallotDraft(deps: Deps, token: string, answers: unknown): Promise<{ saved: true }> {
  checkSize(answers);
  const db = deps.database.db;
  const { invitation, campaign } = await invitationOf(db, token);
  if (invitation.used === 1) throw new Conflict('token_used', 'This ballot has been submitted already.', {});
  const round = await store.roundById(db, invitation.roundId);
  if (!round) throw unknownToken();
  assertOpen(round, chinaDate(deps.clock.now()));
  const q = parseQuestionnaire(campaign.questionnaire);
  const normalised = validateBallot(q, JSON.parse(invitation.subjects) as string[], answers, false);
  if (!(await store.saveDraft(db, invitation.id, sealDraft(token, normalised)))) {
    throw new Conflict('token_used', 'This ballot has been submitted already.', {});
  }
  return { saved: true };
}

interface Pooled {
  answers: BallotAnswers;
  receiptDigest: string;
  source: string;
  namedAs: string | null;
}

/** Shuffles in place (Fisher–Yates with the crypto generator). */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function commentsOf(
  campaign: CampaignsTable,
  roundId: string,
  units: Map<string, string>,
  textItems: readonly string[],
  answers: BallotAnswers,
): CampaignCommentsTable[] {
  const out: CampaignCommentsTable[] = [];
  for (const [subjectId, a] of Object.entries(answers)) {
    for (const key of textItems) {
      const t = a[key];
      if (typeof t !== 'string' || t === '') continue;
      out.push({
        id: randomUUID(),
        campaignId: campaign.id,
        roundId,
        subjectId,
        unitId: units.get(subjectId) ?? '',
        itemKey: key,
        text: t,
      });
    }
  }
  return out;
}

/** Stores pooled ballots (and their comments) under new random ids, in shuffled order. */
async function storeShuffled(
  db: Executor,
  campaign: CampaignsTable,
  roundId: string,
  pooled: Pooled[],
): Promise<number> {
  if (pooled.length === 0) return 0;
  const units = new Map((await store.subjectsOf(db, campaign.id)).map((s) => [s.id, s.unitId]));
  const q = parseQuestionnaire(campaign.questionnaire);
  const textItems = q.items.filter((i) => i.kind === 'text').map((i) => i.key);
  const ballots: CampaignBallotsTable[] = shuffle(pooled).map((p) => ({
    id: randomUUID(),
    campaignId: campaign.id,
    roundId,
    source: p.source,
    receiptDigest: p.receiptDigest,
    answers: JSON.stringify(p.answers),
    namedAs: p.namedAs,
  }));
  const comments = shuffle(pooled.flatMap((p) => commentsOf(campaign, roundId, units, textItems, p.answers)));
  await store.insertBallots(db, ballots);
  await store.insertComments(db, comments);
  return ballots.length;
}

async function moveOut(
  db: Executor,
  campaign: CampaignsTable,
  roundId: string,
  ids: readonly string[],
): Promise<number> {
  const taken = await store.takePooled(db, ids);
  return storeShuffled(
    db,
    campaign,
    roundId,
    taken.map((row) => JSON.parse(row.payload) as Pooled),
  );
}

/**
 * When a round closes: every ballot of the round — pooled or moved out in earlier batches — is stored
 * again under a new random id, all in one shuffled batch, so that neither stored order nor (on
 * PostgreSQL) the writing transaction of a ballot says anything about when it was cast.
 */
export async function remixRound(
  db: Executor,
  dialect: Dialect,
  campaign: CampaignsTable,
  roundId: string,
): Promise<number> {
  const pooled = (await store.takePooled(db, await store.pooledIds(db, dialect, roundId, ''))).map(
    (row) => JSON.parse(row.payload) as Pooled,
  );
  for (const b of await store.takeBallots(db, roundId)) {
    pooled.push({
      answers: JSON.parse(b.answers) as BallotAnswers,
      receiptDigest: b.receiptDigest,
      source: b.source,
      namedAs: b.namedAs,
    });
  }
  await store.deleteComments(db, roundId);
  return storeShuffled(db, campaign, roundId, pooled);
}

/** Submits a complete ballot once per token; gives the receipt code (shown once, stored as a digest). */
export async function submitBallot(
  deps: Deps,
  token: string,
  answers: unknown,
): Promise<{ receipt: string }> {
  checkSize(answers);
  const { invitation, campaign } = await invitationOf(deps.database.db, token);
  const q = parseQuestionnaire(campaign.questionnaire);
  const normalised = validateBallot(q, JSON.parse(invitation.subjects) as string[], answers, true);
  const receipt = newReceiptCode();
  const dialect = deps.database.dialect;
  // No audit entry: its time and entity would tie this moment to this invitation.
  await deps.database.db.transaction().execute(async (trx) => {
    const round = await store.roundById(trx, invitation.roundId, { dialect, mode: 'share' });
    if (!round) throw unknownToken();
    assertOpen(round, chinaDate(deps.clock.now()));
    if (!(await store.useInvitation(trx, invitation.id))) {
      throw new Conflict(
        'token_used',
        'A ballot has been submitted with this link already; each link casts one ballot.',
        {},
      );
    }
    const poolId = randomUUID();
    const pooled: Pooled = {
      answers: normalised,
      receiptDigest: receiptDigest(receipt),
      source: invitation.source,
      namedAs: campaign.named === 1 ? invitation.name : null,
    };
    await store.insertPooled(trx, { id: poolId, roundId: round.id, payload: JSON.stringify(pooled) });
    const others = await store.pooledIds(trx, dialect, round.id, poolId);
    if (others.length >= 2 * campaign.mixSize) {
      await moveOut(trx, campaign, round.id, shuffle(others).slice(0, campaign.mixSize));
    }
  });
  return { receipt };
}

async function closedRound(db: Executor, roundId: string) {
  const round = await store.roundById(db, roundId);
  if (!round) throw new NotFound('campaign round', roundId);
  if (round.state !== 'closed' && round.state !== 'computed') {
    throw new Conflict('round_not_closed', 'Receipts can be checked once the round has closed.', {});
  }
  return round;
}

/** A round as anyone may see it: names, state, questionnaire and subject names (no evaluators, no counts). */
export async function publicRound(deps: Deps, roundId: string): Promise<PublicRoundView> {
  const db = deps.database.db;
  const round = await store.roundById(db, roundId);
  if (!round) throw new NotFound('campaign round', roundId);
  const campaign = await store.campaignById(db, round.campaignId);
  if (!campaign) throw new NotFound('campaign', round.campaignId);
  return {
    campaignName: campaign.name,
    roundName: round.name,
    state: round.state as RoundState,
    closesOn: round.closesOn,
    questionnaire: parseQuestionnaire(campaign.questionnaire),
    subjects: (await store.subjectsOf(db, campaign.id)).map((s) => ({ id: s.id, name: s.name })),
  };
}

/** Checks a receipt once the round has closed: the ballot it stands for, as counted. */
export async function verifyReceipt(
  deps: Deps,
  roundId: string,
  code: string,
): Promise<{ found: boolean; ballot: PublicBallot | null }> {
  await closedRound(deps.database.db, roundId);
  const digest = receiptDigest(code);
  const ballot = await store.ballotByReceipt(deps.database.db, roundId, digest);
  return {
    found: ballot !== undefined,
    ballot: ballot
      ? { receipt: digest.slice(0, 16), answers: JSON.parse(ballot.answers) as BallotAnswers }
      : null,
  };
}

/** The closed round's ballots with their receipt digests, a page at a time (in random-id order). */
export async function publicBallots(
  deps: Deps,
  roundId: string,
  after: string,
  limit: number,
): Promise<{ ballots: (PublicBallot & { id: string })[]; next: string | null }> {
  await closedRound(deps.database.db, roundId);
  const page = await store.ballotsPage(deps.database.db, roundId, after, limit);
  return {
    ballots: page.map((b) => ({
      id: b.id,
      receipt: b.receiptDigest.slice(0, 16),
      answers: JSON.parse(b.answers) as BallotAnswers,
    })),
    next: page.length === limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
