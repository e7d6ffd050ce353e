import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeTree, SYSTEM } from '../../test/support/factories.js';
import { AppError } from '../core/errors.js';
import { ballotForm, saveBallotDraft, submitBallot, verifyReceipt } from './ballots.js';
import { responseMonitor, sendReminders } from './invitations.js';
import { advanceRound, createCampaign, roundResults, updateCampaign } from './service.js';
import { inviteSome, KEY_TASK_SHEET, seedKeyTaskCampaign } from './testing.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);

describeEachDatabase('campaign lifecycle and ballots', (db) => {
  it('invites by SMS, keeps a draft, takes one complete ballot per token, and counts it', async () => {
    const { deps, clock } = db();
    clock.set('2026-06-15T02:00:00.000Z');
    const tree = await makeTree(deps);
    const f = await seedKeyTaskCampaign(deps, SYSTEM, [tree.deptA.id, tree.deptB.id]);
    const [t1, t2] = f.campaign.subjects.map((s) => s.id) as [string, string];
    const invitations = await inviteSome(deps, SYSTEM, f, 3);
    const sms = await deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('relatedType', '=', 'campaign_invitation')
      .execute();
    expect(sms).toHaveLength(3);
    expect(sms.map((m) => m.recipient).sort()).toEqual(['13900000000', '13900000001', '13900000002']);
    const first = invitations[0];
    if (!first) throw new Error('no invitation');
    expect(sms.find((m) => m.relatedId === first.invitationId)?.body).toContain(`/ballot#${first.token}`);

    // The form shows both key tasks with their highlights; a draft comes back on the next visit.
    const token = tokenOf(first.link);
    const form = await ballotForm(deps, token);
    expect(form.subjects.map((s) => s.name)).toEqual(['重点工作1', '重点工作2']);
    expect(form.subjects[0]?.highlights).toContain('新增停车位600余个');
    expect(form.draft).toBeNull();
    await saveBallotDraft(deps, token, { [t1]: { sat: 'satisfied' } });
    expect((await ballotForm(deps, token)).draft).toEqual({ [t1]: { sat: 'satisfied' } });
    // The stored draft is sealed: the answers are not readable in the database.
    const stored = await deps.database.db
      .selectFrom('campaignInvitations')
      .select('draft')
      .where('id', '=', first.invitationId)
      .executeTakeFirstOrThrow();
    expect(stored.draft).not.toContain('satisfied');

    const full = {
      [t1]: { sat: 'satisfied', dif: 'hard', advice: '加快进度' },
      [t2]: { sat: 'dissatisfied', dif: 'very_easy' },
    };
    const { receipt } = await submitBallot(deps, token, full);
    expect(receipt).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(await codeOf(submitBallot(deps, token, full))).toBe('token_used');
    expect((await ballotForm(deps, token)).submitted).toBe(true);
    const altered = `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`;
    expect(await codeOf(submitBallot(deps, altered, full))).toBe('unknown_token');
    expect(await codeOf(submitBallot(deps, 'forged-token-forged-token', full))).toBe('unknown_token');

    // The questionnaire is frozen once anyone has answered.
    expect(await codeOf(updateCampaign(deps, SYSTEM, f.campaign.id, { questionnaire: KEY_TASK_SHEET }))).toBe(
      'questionnaire_frozen',
    );

    const second = tokenOf(invitations[1]?.link ?? '');
    await submitBallot(deps, second, {
      [t1]: { sat: 'basically_satisfied', dif: 'very_hard', signs: ['shirk.0'] },
      [t2]: { sat: 'fairly_satisfied', dif: 'moderate' },
    });

    const monitor = await responseMonitor(deps, SYSTEM, f.roundId);
    expect([monitor.invited, monitor.answered]).toEqual([3, 2]);
    expect(monitor.pending.map((p) => p.name)).toEqual([invitations[2]?.name]);
    expect(monitor.bySubject.map((s) => [s.invited, s.answered])).toEqual([
      [3, 2],
      [3, 2],
    ]);
    expect(await sendReminders(deps, SYSTEM, f.roundId)).toEqual({ queued: 1 });
    const reminder = await deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('relatedId', '=', invitations[2]?.invitationId ?? '')
      .orderBy('createdAt')
      .execute();
    expect(reminder).toHaveLength(2);
    expect(reminder[1]?.body).toContain('提醒');
    expect(reminder[1]?.body).toContain(invitations[2]?.link);

    // Receipts are checked only after close; then the ballot comes back as counted.
    expect(await codeOf(verifyReceipt(deps, f.roundId, receipt))).toBe('round_not_closed');
    await advanceRound(deps, SYSTEM, f.roundId, 'close');
    expect(await codeOf(submitBallot(deps, tokenOf(invitations[2]?.link ?? ''), full))).toBe('round_closed');
    const checked = await verifyReceipt(deps, f.roundId, receipt.toLowerCase());
    expect(checked.ballot?.answers).toEqual(full);
    expect((await verifyReceipt(deps, f.roundId, 'AAAA-BBBB-CCCC')).found).toBe(false);

    const results = await advanceRound(deps, SYSTEM, f.roundId, 'compute');
    expect(results.ballots).toBe(2);
    // Task 1: 100 and 60 → 80; difficulty 4 and 5 → 4.5; coefficient 1.075; key task 86.
    const r1 = results.subjects.find((s) => s.subjectId === t1);
    expect(r1?.n).toBe(2);
    expect(r1?.keyTask?.score.value).toBeCloseTo(86, 10);
    // Task 2: 0 and 80 → 40; difficulty 1 and 3 → 2; coefficient 0.95; key task 38.
    expect(results.subjects.find((s) => s.subjectId === t2)?.keyTask?.score.value).toBeCloseTo(38, 10);
    expect((await roundResults(deps, SYSTEM, f.roundId)).subjects).toHaveLength(2);
    // The suggestion is kept for the ledger, by the lead unit, with no identity.
    const comments = await deps.database.db
      .selectFrom('campaignComments')
      .selectAll()
      .where('roundId', '=', f.roundId)
      .execute();
    expect(comments.map((c) => [c.unitId, c.text])).toEqual([[tree.deptA.id, '加快进度']]);
  });

  it('refuses bad ballots with a clear code and stores nothing of them', async () => {
    const { deps, clock } = db();
    clock.set('2026-06-15T02:00:00.000Z');
    const tree = await makeTree(deps);
    const f = await seedKeyTaskCampaign(deps, SYSTEM, [tree.deptA.id]);
    const [t1] = f.campaign.subjects.map((s) => s.id) as [string];
    const [inv] = await inviteSome(deps, SYSTEM, f, 1);
    const token = tokenOf(inv?.link ?? '');
    const ok = { sat: 'satisfied', dif: 'hard' };
    expect(await codeOf(submitBallot(deps, token, { [t1]: { ...ok, sat: 'great' } }))).toBe(
      'answer_outside_scale',
    );
    expect(await codeOf(submitBallot(deps, token, { [t1]: ok, 'no-such-subject': ok }))).toBe(
      'unknown_subject',
    );
    expect(await codeOf(submitBallot(deps, token, { [t1]: { ...ok, advice: '长'.repeat(501) } }))).toBe(
      'text_too_long',
    );
    expect(await codeOf(submitBallot(deps, token, { [t1]: { sat: 'satisfied' } }))).toBe('answer_missing');
    expect(await codeOf(submitBallot(deps, token, { [t1]: { ...ok, advice: 'x'.repeat(300_000) } }))).toBe(
      'ballot_too_large',
    );
    const invitation = await deps.database.db
      .selectFrom('campaignInvitations')
      .select('used')
      .where('id', '=', inv?.invitationId ?? '')
      .executeTakeFirstOrThrow();
    expect(invitation.used).toBe(0);
    const pooled = await deps.database.db
      .selectFrom('campaignBallotPool')
      .selectAll()
      .where('roundId', '=', f.roundId)
      .execute();
    expect(pooled).toHaveLength(0);
    // Still usable afterwards.
    expect(await codeOf(submitBallot(deps, token, { [t1]: ok }))).toBe('no error');
  });

  it('refuses ballots before a round opens and a campaign over an unknown unit', async () => {
    const { deps, clock } = db();
    clock.set('2026-06-15T02:00:00.000Z');
    const tree = await makeTree(deps);
    const f = await seedKeyTaskCampaign(deps, SYSTEM, [tree.deptA.id], { open: false });
    const [inv] = await inviteSome(deps, SYSTEM, f, 1);
    const [t1] = f.campaign.subjects.map((s) => s.id) as [string];
    expect(
      await codeOf(submitBallot(deps, tokenOf(inv?.link ?? ''), { [t1]: { sat: 'satisfied', dif: 'hard' } })),
    ).toBe('round_not_open');
    expect(await codeOf(seedKeyTaskCampaign(deps, SYSTEM, ['no-such-unit']))).toBe('unknown_unit');
    expect(await codeOf(advanceRound(deps, SYSTEM, f.roundId, 'compute'))).toBe('invalid_round_state');
    expect(
      await codeOf(
        createCampaign(deps, SYSTEM, {
          ...f.campaign,
          key: 'another',
          subjects: [{ kind: 'key_task', unitId: tree.deptA.id, name: 'x' }],
          rounds: [{ key: 'r', name: 'r', opensOn: '2026-02-30', closesOn: '2026-03-01', stages: [] }],
        }),
      ),
    ).toBe('invalid_dates');
  });

  it('casts one ballot per token when the same token is submitted many times at once', async () => {
    const { deps, clock } = db();
    clock.set('2026-06-15T02:00:00.000Z');
    const tree = await makeTree(deps);
    const f = await seedKeyTaskCampaign(deps, SYSTEM, [tree.deptA.id]);
    const [t1] = f.campaign.subjects.map((s) => s.id) as [string];
    const invitations = await inviteSome(deps, SYSTEM, f, 4);
    const ballot = { [t1]: { sat: 'satisfied', dif: 'hard' } };
    // Twelve requests: three for each of four tokens, all at once.
    const outcomes = await Promise.all(
      invitations.flatMap((inv) =>
        [0, 1, 2].map(() => codeOf(submitBallot(deps, tokenOf(inv.link), ballot))),
      ),
    );
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'token_used')).toHaveLength(8);
    await advanceRound(deps, SYSTEM, f.roundId, 'close');
    const ballots = await deps.database.db
      .selectFrom('campaignBallots')
      .selectAll()
      .where('roundId', '=', f.roundId)
      .execute();
    expect(ballots).toHaveLength(4);
  });
});

/** Spearman's rank correlation of two equally long lists of distinct positions. */
function spearman(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  let d2 = 0;
  for (let i = 0; i < n; i += 1) d2 += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describeEachDatabase('anonymity after a campaign of 200 ballots', (db) => {
  it('leaves no column, order or transaction that links a ballot to its token or evaluator', async () => {
    const { deps, clock } = db();
    clock.set('2026-06-15T02:00:00.000Z');
    const tree = await makeTree(deps);
    const f = await seedKeyTaskCampaign(deps, SYSTEM, [tree.deptA.id, tree.deptB.id], { mixSize: 20 });
    const [t1, t2] = f.campaign.subjects.map((s) => s.id) as [string, string];
    const invitations = await inviteSome(deps, SYSTEM, f, 200);
    const levels = ['satisfied', 'fairly_satisfied', 'basically_satisfied', 'dissatisfied'];
    const cast: { invitationId: string; receipt: string }[] = [];
    for (const [i, inv] of invitations.entries()) {
      clock.advanceMinutes(3);
      const { receipt } = await submitBallot(deps, tokenOf(inv.link), {
        [t1]: { sat: levels[i % 4], dif: 'hard', advice: `建议${i}` },
        [t2]: { sat: levels[(i >> 2) % 4], dif: 'easy' },
      });
      cast.push({ invitationId: inv.invitationId, receipt });
    }
    await advanceRound(deps, SYSTEM, f.roundId, 'close');

    // The dump: every row of both tables as the database gives them back, in stored order.
    const dump = async (table: string) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(deps.database.db)).rows;
    const ballots = await dump('campaign_ballots');
    const uses = await dump('campaign_invitations');
    expect(ballots).toHaveLength(200);

    // 1. No value of a ballot row appears in any invitation row, except the campaign, the round and
    //    the source, which every ballot and invitation of the round share.
    const shared = new Set([f.campaign.id, f.roundId, 'directed']);
    const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    const invitationValues = new Set(uses.flatMap((u) => Object.values(u).map(asText)));
    for (const b of ballots) {
      for (const [column, value] of Object.entries(b)) {
        if (value === null || shared.has(asText(value))) continue;
        expect(invitationValues.has(asText(value)), `ballot column ${column}`).toBe(false);
      }
    }
    // 2. Ballots carry no time and no time-ordered id (UUIDv4: version digit 4).
    expect(Object.keys(ballots[0] ?? {}).sort()).toEqual(
      ['answers', 'campaignId', 'id', 'namedAs', 'receiptDigest', 'roundId', 'source'].sort(),
    );
    for (const b of ballots) expect(String(b.id)[14]).toBe('4');
    // 3. The stored order of ballots does not follow the order tokens were used, nor the stored order
    //    of the invitations (Spearman's ρ of 200 random orders: |ρ| < 0.3 except once in ~20,000).
    const { receiptDigest } = await import('./ballots.js');
    const ballotPosition = new Map(ballots.map((b, i) => [String(b.receiptDigest), i]));
    const invitationPosition = new Map(uses.map((u, i) => [String(u.id), i]));
    const byUse = cast.map((c) => ballotPosition.get(receiptDigest(c.receipt)) ?? -1);
    expect(byUse.every((p) => p >= 0)).toBe(true);
    const useOrder = cast.map((_, i) => i);
    expect(Math.abs(spearman(useOrder, byUse))).toBeLessThan(0.3);
    const byInvitationRow = cast.map((c) => invitationPosition.get(c.invitationId) ?? -1);
    expect(Math.abs(spearman(byInvitationRow, byUse))).toBeLessThan(0.3);
    // 4. On PostgreSQL, every ballot was written by one transaction (the close), which used no token.
    if (deps.database.dialect === 'postgres') {
      const xminBallots = await sql<{
        x: string;
      }>`select distinct xmin::text as x from campaign_ballots`.execute(deps.database.db);
      expect(xminBallots.rows).toHaveLength(1);
      const xminUses = await sql<{ x: string }>`select xmin::text as x from campaign_invitations`.execute(
        deps.database.db,
      );
      expect(xminUses.rows.map((r) => r.x)).not.toContain(xminBallots.rows[0]?.x);
    }
    // 5. Nothing is left in the pool, and the office still sees who answered (all 200 here).
    expect(await dump('campaign_ballot_pool')).toHaveLength(0);
    expect(uses.every((u) => Number(u.used) === 1 && u.draft === null)).toBe(true);
  });
});
