import { randomUUID } from 'node:crypto';
import type { Actor } from '../core/auth/model.js';
import { loadConfig } from '../core/config.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { CampaignsTable } from '../core/db/schema.js';
import { Conflict, Invalid } from '../core/errors.js';
import { enqueue } from '../core/outbox/service.js';
import { chinaDate, isoNow } from '../core/time.js';
import { tokenFor, tokenHash } from './ballots.js';
import { MAX_INVITATIONS, parseList, requireManager, roundAndCampaign, text } from './service.js';
import * as store from './store.js';
import type { EvaluatorEntry, IssuedInvitation, ResponseCount, ResponseMonitor } from './types.js';

/*
 * Evaluators reached by token: invitations from an evaluator source (SMS through the outbox, or a printed
 * sheet), the response monitor of a round, and reminders to those who have not answered.
 */

// --- invitations -----------------------------------------------------------------------------------

/** The evaluator's link: the token after '#', so it never reaches a server log. */
export function ballotLink(token: string): string {
  return `${loadConfig().publicUrl}/ballot#${token}`;
}

const smsText = (campaign: CampaignsTable, roundName: string, link: string, reminder: boolean) =>
  `【民评】${reminder ? '提醒：您尚未完成' : '诚邀您参加'}“${campaign.name}”${roundName}评价，${campaign.named === 1 ? '本次评价为实名评价' : '评价匿名进行'}。请打开 ${link} 作答（仅限本人使用一次）。`;

/**
 * Issues one-time invitations to evaluators from a source (a directed list today; a draw's or a leader
 * panel's evaluators through the same entries) and queues an SMS to each that has a phone. The tokens
 * come back once, for printed sheets; the server keeps only their digests.
 */
export async function issueInvitations(
  deps: Deps,
  actor: Actor,
  roundId: string,
  input: { stageId: string; evaluators: EvaluatorEntry[]; sendSms?: boolean },
): Promise<IssuedInvitation[]> {
  requireManager(actor);
  if (input.evaluators.length === 0 || input.evaluators.length > MAX_INVITATIONS) {
    throw new Invalid('invalid_evaluators', `Invite from 1 to ${MAX_INVITATIONS} evaluators at a time.`, {});
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const { round, campaign } = await roundAndCampaign(trx, roundId);
    if (round.state !== 'draft' && round.state !== 'open') {
      throw new Conflict('round_closed', 'The round is closed: no more invitations.', { roundId });
    }
    const stage = (await store.stagesOf(trx, campaign.id)).find(
      (s) => s.id === input.stageId && s.roundId === roundId,
    );
    if (!stage) throw new Invalid('unknown_stage', 'The round has no such stage.', { field: 'stageId' });
    if (stage.source === 'public' || stage.source === 'paper') {
      throw new Invalid('invalid_source', 'Public and paper stages take no invitations.', {
        source: stage.source,
      });
    }
    const subjectIds = (await store.subjectsOf(trx, campaign.id)).map((s) => s.id);
    const known = new Set(subjectIds);
    const now = isoNow(deps.clock);
    const issued: IssuedInvitation[] = [];
    const rows = input.evaluators.map((e, i) => {
      const name = text(e.name, 60, 'name');
      const phone = (e.phone ?? '').trim();
      if (name === '')
        throw new Invalid('invalid_evaluators', 'Name every evaluator.', { field: `evaluators[${i}]` });
      if (phone !== '' && !/^1\d{10}$/.test(phone)) {
        throw new Invalid('invalid_phone', 'A mobile number has 11 digits starting with 1.', {
          field: `evaluators[${i}]`,
        });
      }
      const subjects = e.subjectIds ?? subjectIds;
      if (subjects.length === 0 || subjects.some((s) => !known.has(s))) {
        throw new Invalid(
          'unknown_subject',
          'An evaluator is assigned a subject the campaign does not have.',
          {
            field: `evaluators[${i}]`,
          },
        );
      }
      const id = randomUUID();
      const token = tokenFor(campaign, id);
      issued.push({ invitationId: id, name, token, link: ballotLink(token) });
      return {
        id,
        campaignId: campaign.id,
        roundId,
        stageId: stage.id,
        source: stage.source,
        evaluatorRef: text(e.ref, 100, 'ref'),
        name,
        phone,
        groupName: text(e.group, 60, 'group'),
        subjects: JSON.stringify([...new Set(subjects)]),
        tokenHash: tokenHash(token),
        used: 0,
        draft: null,
        reminders: 0,
        lastRemindedOn: null,
        createdAt: now,
      };
    });
    await store.insertInvitations(trx, rows);
    if (input.sendSms !== false) {
      for (const [i, row] of rows.entries()) {
        const link = issued[i]?.link ?? '';
        if (row.phone === '') continue;
        await enqueue(trx, deps.clock, {
          channel: 'sms',
          recipient: row.phone,
          subject: campaign.name,
          body: smsText(campaign, round.name, link, false),
          relatedType: 'campaign_invitation',
          relatedId: row.id,
        });
      }
    }
    await audit({
      action: 'campaign.invited',
      entityType: 'campaign_round',
      entityId: roundId,
      before: null,
      after: null,
      detail: { stage: stage.name, count: rows.length },
    });
    return issued;
  });
}

// --- response monitor and reminders ------------------------------------------------------------------

/** Response rates of a round by subject, group, source and stage, with those who have not answered. */
export async function responseMonitor(deps: Deps, actor: Actor, roundId: string): Promise<ResponseMonitor> {
  requireManager(actor);
  const db = deps.database.db;
  const { round, campaign } = await roundAndCampaign(db, roundId);
  const invitations = await store.invitationsOfRound(db, roundId);
  const subjects = await store.subjectsOf(db, campaign.id);
  const stages = (await store.stagesOf(db, campaign.id)).filter((s) => s.roundId === roundId);
  const today = chinaDate(deps.clock.now());
  const ended = round.state !== 'draft' && round.state !== 'open' ? true : round.closesOn < today;
  const count = (
    keys: { key: string; label: string; ended: boolean; perSubject: boolean }[],
    of: (i: store.InvitationBrief) => string[],
  ) => {
    const map = new Map(keys.map((k) => [k.key, { ...k, invited: 0, answered: 0 }]));
    for (const inv of invitations) {
      for (const k of of(inv)) {
        const entry = map.get(k);
        if (!entry) continue;
        entry.invited += 1;
        entry.answered += inv.used;
      }
    }
    return [...map.values()].map((e): ResponseCount => ({
      key: e.key,
      label: e.label,
      invited: e.invited,
      answered: e.answered,
      flagged: e.perSubject && e.ended && e.answered < campaign.minResponses,
    }));
  };
  const groups = [...new Set(invitations.map((i) => i.groupName))].sort();
  const sources = [...new Set(invitations.map((i) => i.source))].sort();
  return {
    roundId,
    invited: invitations.length,
    answered: invitations.reduce((s, i) => s + i.used, 0),
    bySubject: count(
      subjects.map((s) => ({ key: s.id, label: s.name, ended, perSubject: true })),
      (i) => parseList(i.subjects),
    ),
    byGroup: count(
      groups.map((g) => ({ key: g, label: g, ended, perSubject: false })),
      (i) => [i.groupName],
    ),
    bySource: count(
      sources.map((s) => ({ key: s, label: s, ended, perSubject: false })),
      (i) => [i.source],
    ),
    byStage: count(
      stages.map((s) => ({
        key: s.id,
        label: s.name,
        ended: ended || s.closesOn < today,
        perSubject: false,
      })),
      (i) => [i.stageId],
    ),
    pending: invitations
      .filter((i) => i.used === 0)
      .map((i) => ({
        invitationId: i.id,
        name: i.name,
        group: i.groupName,
        reminders: i.reminders,
        lastRemindedOn: i.lastRemindedOn,
      })),
  };
}

/** Sends a reminder SMS (with the same link) to everyone in an open round who has not answered. */
export async function sendReminders(
  deps: Deps,
  actor: Actor,
  roundId: string,
  input: { invitationIds?: string[] } = {},
): Promise<{ queued: number }> {
  requireManager(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const { round, campaign } = await roundAndCampaign(trx, roundId);
    if (round.state !== 'open')
      throw new Conflict('round_not_open', 'Reminders go out only while the round is open.', {});
    const wanted = input.invitationIds ? new Set(input.invitationIds) : null;
    const pending = (await store.invitationsOfRound(trx, roundId)).filter(
      (i) => i.used === 0 && i.phone !== '' && (wanted === null || wanted.has(i.id)),
    );
    for (const inv of pending) {
      await enqueue(trx, deps.clock, {
        channel: 'sms',
        recipient: inv.phone,
        subject: campaign.name,
        body: smsText(campaign, round.name, ballotLink(tokenFor(campaign, inv.id)), true),
        relatedType: 'campaign_invitation',
        relatedId: inv.id,
      });
    }
    await store.markReminded(
      trx,
      pending.map((i) => i.id),
      chinaDate(deps.clock.now()),
    );
    await audit({
      action: 'campaign.reminded',
      entityType: 'campaign_round',
      entityId: roundId,
      before: null,
      after: null,
      detail: { count: pending.length },
    });
    return { queued: pending.length };
  });
}
