import type { Executor } from '../core/db/database.js';
import type { CampaignsTable } from '../core/db/schema.js';
import { Invalid } from '../core/errors.js';
import { parseQuestionnaire } from './ballots.js';
import { computeResults, measureOf, parseMeasure } from './model.js';
import * as store from './store.js';
import type { BallotAnswers, Estimate, SubjectResult } from './types.js';

/*
 * Results of a round from its stored ballots, and the values a scoring leaf of kind `campaign` reads:
 * the same function serves a run (stored results) and `minping verify result` (recounted from ballots).
 */

/** A round's results computed from its stored ballots (id order, so every recount adds in one order). */
export async function computeRoundResults(
  db: Executor,
  roundId: string,
  campaign: CampaignsTable,
): Promise<SubjectResult[]> {
  const q = parseQuestionnaire(campaign.questionnaire);
  const subjects = await store.subjectsOf(db, campaign.id);
  const answers: { subjectId: string; answers: BallotAnswers[string] }[] = [];
  let after = '';
  for (;;) {
    const page = await store.ballotsPage(db, roundId, after, 5000);
    for (const b of page) {
      const ballot = JSON.parse(b.answers) as BallotAnswers;
      for (const [subjectId, a] of Object.entries(ballot)) answers.push({ subjectId, answers: a });
    }
    if (page.length < 5000) break;
    after = page[page.length - 1]?.id ?? after;
  }
  return computeResults(
    q,
    subjects.map((s) => s.id),
    answers,
  );
}

/** A leaf's value for a unit, in the shape scoring keeps (see scoring's SourceValue). */
export interface CampaignLeafValue {
  value: number;
  sampleSize: number;
  low: number;
  high: number;
  provenance: string;
}

/**
 * The values of a campaign measure per unit: `campaign` is a campaign key, or `key/round` for one round.
 * Rounds count once computed (by `asOf`); a unit's value is the mean over its subjects (a unit judged,
 * or the key tasks it leads) and rounds, with n summed and the interval bounds averaged. `recount`
 * computes each round again from its ballots instead of reading the stored results.
 */
export async function campaignLeafValues(
  db: Executor,
  spec: { campaign: string; measure: string },
  unitIds: readonly string[],
  asOf: string,
  recount: boolean,
): Promise<Map<string, CampaignLeafValue>> {
  const [key = '', roundKey] = spec.campaign.split('/');
  const campaign = await store.campaignByKey(db, key);
  if (!campaign) {
    throw new Invalid(
      'unknown_campaign',
      `No campaign has the key “${key}”. Check the scheme's campaign leaf.`,
      {
        campaign: spec.campaign,
      },
    );
  }
  const q = parseQuestionnaire(campaign.questionnaire);
  const measure = parseMeasure(q, spec.measure);
  const all = await store.roundsOf(db, campaign.id);
  if (roundKey !== undefined && !all.some((r) => r.key === roundKey)) {
    throw new Invalid('unknown_round', `Campaign “${key}” has no round “${roundKey}”.`, {
      campaign: spec.campaign,
    });
  }
  const rounds = all.filter(
    (r) =>
      (roundKey === undefined || r.key === roundKey) &&
      r.state === 'computed' &&
      r.computedAt !== null &&
      r.computedAt <= asOf,
  );
  const unitOf = new Map((await store.subjectsOf(db, campaign.id)).map((s) => [s.id, s.unitId]));
  const wanted = new Set(unitIds);
  const collected = new Map<string, Estimate[]>();
  for (const round of rounds) {
    const results = recount
      ? await computeRoundResults(db, round.id, campaign)
      : (JSON.parse(round.results ?? '[]') as SubjectResult[]);
    for (const r of results) {
      const unitId = unitOf.get(r.subjectId);
      if (unitId === undefined || !wanted.has(unitId)) continue;
      const e = measureOf(r, measure);
      if (!e) continue;
      const list = collected.get(unitId);
      if (list) list.push(e);
      else collected.set(unitId, [e]);
    }
  }
  const roundNames = rounds.map((r) => r.name).join('、');
  const out = new Map<string, CampaignLeafValue>();
  for (const unitId of unitIds) {
    const list = collected.get(unitId);
    if (!list || list.length === 0) continue;
    const mean = (f: (e: Estimate) => number) => list.reduce((s, e) => s + f(e), 0) / list.length;
    const value = mean((e) => e.value);
    const n = list.reduce((s, e) => s + e.n, 0);
    out.set(unitId, {
      value,
      sampleSize: n,
      low: mean((e) => e.low),
      high: mean((e) => e.high),
      provenance: `${spec.measure} ${value.toFixed(4)} of ${n} ballots (campaign 《${campaign.name}》 ${roundNames}${list.length > 1 ? `, mean of ${list.length}` : ''})`,
    });
  }
  return out;
}
