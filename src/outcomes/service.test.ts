import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { AppError } from '../core/errors.js';
import { computeRun, recordVeto } from '../scoring/service.js';
import { FIXTURE_ACTOR } from '../scoring/testing.js';
import { RULE_PRESETS, type ConsequenceRule } from './model.js';
import {
  decide,
  decideAppeal,
  fileAppeal,
  listConsequences,
  markDone,
  putRules,
  getRules,
  runOutcomes,
  unitRecord,
} from './service.js';
import { publish, publishedFixture } from './testing.js';

const actor = FIXTURE_ACTOR;

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('expected a refusal');
}

const preset = (key: string): ConsequenceRule[] => {
  const p = RULE_PRESETS.find((r) => r.key === key);
  if (!p) throw new Error(key);
  return p.rules;
};

let counter = 0;
const prefix = () => `oc${++counter}`;

describeEachDatabase('outcomes service', (db) => {
  it('Xi’an: the largest decline is proposed a 5% bonus cut, confirmed once with who, when and basis', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, schemeId } = await publishedFixture(deps, prefix());
    await putRules(deps, actor, schemeId, preset('xian'));
    const run2025 = await publish(deps, schemeId, f.period2025);
    const run2026 = await publish(deps, schemeId, f.period2026);

    // 2025 has no previous period: no decline, nothing proposed.
    expect((await runOutcomes(deps, actor, run2025)).items).toEqual([]);

    const outcomes = await runOutcomes(deps, actor, run2026);
    expect(outcomes.hasRules).toBe(true);
    // S4 fell from 2nd to 4th; S2 fell one place only. No unit declined in both runs.
    expect(outcomes.items.map((i) => [i.proposal.ruleKey, i.proposal.unitId])).toEqual([
      ['decline_bonus', f.s4.id],
      ['decline_excellent', f.s4.id],
    ]);
    const cut = outcomes.items[0]?.proposal;
    expect(cut).toMatchObject({
      kind: 'bonus_cut',
      percent: 5,
      target: 'principal',
      startsOn: '2026-03-16',
      endsOn: null,
      basis: {
        runId: run2026,
        rank: 4,
        previousRank: 2,
        rankChange: -2,
        total: 54,
        trigger: { kind: 'flag', flag: 'largest_decline' },
      },
    });

    clock.set('2026-03-18T03:00:00.000Z');
    const confirmed = await decide(deps, actor, run2026, {
      ruleKey: 'decline_bonus',
      unitId: f.s4.id,
      decision: 'confirm',
      subject: '局长 王某',
    });
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      decidedBy: 'fixture',
      decidedAt: '2026-03-18T03:00:00.000Z',
      subject: '局长 王某',
      open: false, // a bonus cut is applied once; nothing stays open
      schemeName: '科室满意度考核',
      periodName: '2026年度',
    });

    // Confirmed twice: refused, nothing stored twice.
    expect(
      await refusal(
        decide(deps, actor, run2026, {
          ruleKey: 'decline_bonus',
          unitId: f.s4.id,
          decision: 'reject',
          note: '重复',
        }),
      ),
    ).toEqual({ status: 409, code: 'already_decided' });
    // A consequence the rules do not propose cannot be confirmed.
    expect(
      await refusal(
        decide(deps, actor, run2026, { ruleKey: 'decline_bonus', unitId: f.s1.id, decision: 'confirm' }),
      ),
    ).toEqual({ status: 400, code: 'not_proposed' });
    // A rejection needs its reason.
    expect(
      await refusal(
        decide(deps, actor, run2026, { ruleKey: 'decline_excellent', unitId: f.s4.id, decision: 'reject' }),
      ),
    ).toEqual({ status: 400, code: 'invalid_input' });
    expect(await listConsequences(deps, actor, { unitId: f.s4.id })).toHaveLength(1);

    const after = await runOutcomes(deps, actor, run2026);
    expect(after.items.map((i) => i.decision?.status ?? null)).toEqual(['confirmed', null]);
  });

  it('refuses consequences from a result not yet published, and unsound rules naming the rule', async () => {
    const { deps } = db();
    const { f, schemeId } = await publishedFixture(deps, prefix());
    const run = await computeRun(deps, actor, {
      schemeId,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: ['period_not_ended', 'source_partly_without_values', 'source_without_values'],
    });
    expect(await refusal(runOutcomes(deps, actor, run.id))).toEqual({ status: 409, code: 'not_published' });
    const bad = [{ ...preset('xian')[0], percent: 120 }];
    expect(await refusal(putRules(deps, actor, schemeId, bad))).toEqual({
      status: 400,
      code: 'invalid_percent',
    });
    expect((await getRules(deps, actor, schemeId)).rules).toEqual([]);
  });

  it('Nanchuan: the promotion bar of three months from 30 November ends on 28 February, and shows until then', async () => {
    const { deps, clock } = db();
    const { f, schemeId } = await publishedFixture(deps, prefix());
    await putRules(deps, actor, schemeId, preset('nanchuan'));
    clock.set('2026-11-30T02:00:00.000Z'); // 10:00 in China, 30 November
    const run = await publish(deps, schemeId, f.period2026);
    const items = (await runOutcomes(deps, actor, run)).items;
    // The worst list as approved holds S4 only (the second stage keeps one).
    expect(items.map((i) => [i.proposal.ruleKey, i.proposal.unitId, i.proposal.endsOn])).toEqual([
      ['talk_leader', f.s4.id, null],
      ['no_promotion', f.s4.id, '2027-02-28'],
    ]);
    const bar = await decide(deps, actor, run, {
      ruleKey: 'no_promotion',
      unitId: f.s4.id,
      decision: 'confirm',
    });
    expect(bar).toMatchObject({ startsOn: '2026-11-30', endsOn: '2027-02-28', months: 3, open: true });

    clock.set('2027-02-28T15:00:00.000Z'); // 23:00 on 28 February in China: the last day
    expect((await listConsequences(deps, actor, { open: true })).map((c) => c.id)).toContain(bar.id);
    clock.set('2027-02-28T16:00:00.000Z'); // 00:00 on 1 March in China: over
    expect((await listConsequences(deps, actor, { open: true })).map((c) => c.id)).not.toContain(bar.id);
    expect((await unitRecord(deps, actor, f.s4.id)).consequences[0]).toMatchObject({
      id: bar.id,
      open: false,
    });
  });

  it('Chuzhou: a vetoed unit is proposed its bonus by its actual score, and not the top grade', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, schemeId } = await publishedFixture(deps, prefix(), (d) => ({
      ...d,
      bonusByActualScore: true,
    }));
    await putRules(deps, actor, schemeId, preset('chuzhou'));
    await recordVeto(deps, actor, {
      unitId: f.s1.id,
      periodId: f.period2026,
      reason: '主要负责人严重违纪',
      evidence: '纪委通报',
    });
    const run = await publish(deps, schemeId, f.period2026);
    const items = (await runOutcomes(deps, actor, run)).items;
    expect(items.map((i) => [i.proposal.ruleKey, i.proposal.unitId])).toEqual([
      ['veto_actual', f.s1.id],
      ['veto_excellent', f.s1.id],
    ]);
    // S1 totals 90 (first by score); the veto bars 优秀 (it gets 合格) and the bonus is paid on 90.
    expect(items[0]?.proposal.basis).toMatchObject({
      rank: 1,
      total: 90,
      grade: 'qualified',
      bonusScore: 90,
    });
  });

  it('a talk is open until held; an appeal is recorded, upheld, appealed again and granted, revoking it', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, schemeId } = await publishedFixture(deps, prefix());
    await putRules(deps, actor, schemeId, preset('nanchuan'));
    const run = await publish(deps, schemeId, f.period2026);
    const talk = await decide(deps, actor, run, {
      ruleKey: 'talk_leader',
      unitId: f.s4.id,
      decision: 'confirm',
    });
    expect(talk.open).toBe(true);
    const held = await markDone(deps, actor, talk.id, {
      doneOn: '2026-03-20',
      note: '区纪委书记约谈分管副局长',
    });
    expect(held).toMatchObject({ open: false, doneOn: '2026-03-20' });
    expect(await refusal(markDone(deps, actor, talk.id, { doneOn: '2026-03-21', note: '再谈' }))).toEqual({
      status: 409,
      code: 'already_done',
    });

    const bar = await decide(deps, actor, run, {
      ruleKey: 'no_promotion',
      unitId: f.s4.id,
      decision: 'confirm',
    });
    expect(bar.endsOn).toBe('2026-06-16');
    const appealed = await fileAppeal(deps, actor, bar.id, {
      filedOn: '2026-03-19',
      grounds: '差评系误评，已申诉复核',
    });
    const first = appealed.appeals[0];
    expect(first).toMatchObject({ status: 'pending', filedOn: '2026-03-19' });
    expect(
      await refusal(fileAppeal(deps, actor, bar.id, { filedOn: '2026-03-19', grounds: '再次申诉' })),
    ).toEqual({
      status: 409,
      code: 'appeal_pending',
    });
    const upheld = await decideAppeal(deps, actor, first?.id ?? '', {
      decision: 'upheld',
      reason: '复核属实，维持',
    });
    expect(upheld).toMatchObject({ status: 'confirmed', open: true });
    expect(
      await refusal(decideAppeal(deps, actor, first?.id ?? '', { decision: 'granted', reason: '改判' })),
    ).toEqual({
      status: 409,
      code: 'appeal_decided',
    });
    const again = await fileAppeal(deps, actor, bar.id, { filedOn: '2026-04-01', grounds: '提供新证据' });
    const second = again.appeals[1];
    const granted = await decideAppeal(deps, actor, second?.id ?? '', {
      decision: 'granted',
      reason: '新证据成立，撤销',
    });
    expect(granted).toMatchObject({ status: 'revoked', open: false });
    expect(granted.appeals.map((a) => a.status)).toEqual(['upheld', 'granted']);
    expect(
      await refusal(fileAppeal(deps, actor, bar.id, { filedOn: '2026-04-02', grounds: '再诉' })),
    ).toEqual({
      status: 409,
      code: 'not_confirmed',
    });
  });

  it('a unit’s record lists every published result with grade and rank change, and its consequences', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, schemeId } = await publishedFixture(deps, prefix());
    await putRules(deps, actor, schemeId, preset('xian'));
    await publish(deps, schemeId, f.period2025);
    clock.set('2026-03-17T02:00:00.000Z');
    const run2026 = await publish(deps, schemeId, f.period2026);
    await decide(deps, actor, run2026, {
      ruleKey: 'decline_excellent',
      unitId: f.s4.id,
      decision: 'reject',
      note: '单项下降系客观原因',
    });
    await decide(deps, actor, run2026, { ruleKey: 'decline_bonus', unitId: f.s4.id, decision: 'confirm' });
    const record = await unitRecord(deps, actor, f.s4.id);
    expect(record.unitName).toBe('市场监管科');
    expect(
      record.results.map((r) => [
        r.periodName,
        r.total,
        r.rank,
        r.groupSize,
        r.gradeName,
        r.rankChange,
        r.onWorst,
      ]),
    ).toEqual([
      ['2026年度', 54, 4, 4, '合格', -2, true],
      ['2025年度', 25, 2, 4, '合格', null, false],
    ]);
    // The rejected proposal is not part of the record.
    expect(record.consequences.map((c) => [c.ruleKey, c.status])).toEqual([['decline_bonus', 'confirmed']]);
  });
});
