import { expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../test/support/db.js';
import { makeAccount } from '../../test/support/factories.js';
import { AppError } from '../core/errors.js';
import type { SchemeDefinition } from './model.js';
import {
  computeRun,
  createScheme,
  enterSheetScores,
  getRun,
  getRunUnit,
  importScores,
  listScores,
  publicResult,
  publicResults,
  publicUnit,
  publishRun,
  recordReview,
  recordVeto,
  revokeVeto,
  setProblems,
  storeScores,
  addSchemeVersion,
  type RunDetail,
} from './service.js';
import { FIXTURE_ACTOR, FIXTURE_WARNINGS, scoringDefinition, seedScoring, seedValues } from './testing.js';

const actor = FIXTURE_ACTOR;

/** The error a promise rejects with, as {status, code, params}. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, params: error.params };
    throw error;
  }
  throw new Error('expected a refusal');
}

const byCode = (run: RunDetail): Record<string, RunDetail['units'][number] | undefined> =>
  Object.fromEntries(run.units.map((u) => [u.code.split('-').pop() ?? u.code, u]));

let counter = 0;
const prefix = () => {
  counter += 1;
  return `sc${counter}`;
};

async function fixtureWithScheme({ deps, clock }: TestDatabase) {
  clock.set('2026-03-16T02:00:00.000Z');
  const f = await seedScoring(deps, prefix());
  await seedValues(deps, f);
  const scheme = await createScheme(deps, actor, {
    code: `${f.prefix}-scheme`,
    name: '科室满意度考核',
    definition: scoringDefinition(f),
  });
  return { f, scheme };
}

async function approveAll(deps: Parameters<typeof seedScoring>[0], runId: string) {
  await recordReview(deps, actor, runId, {
    stageIndex: 0,
    body: '区纪委',
    decidedOn: '2026-03-20',
    decision: 'approve',
  });
  return recordReview(deps, actor, runId, {
    stageIndex: 1,
    body: '区委',
    decidedOn: '2026-03-25',
    decision: 'approve',
  });
}

describeEachDatabase('scoring service', (db) => {
  it('creates a scheme at version 1, adds immutable versions, and refuses an unsound one naming the component', async () => {
    const { deps } = db();
    const f = await seedScoring(deps, prefix());
    const definition = scoringDefinition(f);
    const created = await createScheme(deps, actor, { code: `${f.prefix}-v`, name: '方案', definition });
    expect(created).toMatchObject({ latestVersion: 1, versions: [{ version: 1, createdBy: 'fixture' }] });
    const changed: SchemeDefinition = { ...definition, precision: 1 };
    const second = await addSchemeVersion(deps, actor, created.id, {
      definition: changed,
      note: '保留一位小数',
    });
    expect(second.latestVersion).toBe(2);
    expect(second.definition.precision).toBe(1);
    expect(second.versions.map((v) => [v.version, v.note])).toEqual([
      [1, ''],
      [2, '保留一位小数'],
    ]);

    const broken = structuredClone(definition);
    const survey = broken.root.children?.[1];
    if (survey) survey.maxPoints = 25; // children now add up to 95, not 100
    expect(
      await refusal(
        createScheme(deps, actor, { code: `${f.prefix}-bad`, name: '坏方案', definition: broken }),
      ),
    ).toMatchObject({
      status: 400,
      code: 'invalid_scheme',
      params: { component: 'total' },
    });
    const noSource = structuredClone(definition);
    const joint = noSource.root.children?.[2];
    if (joint) delete joint.source;
    expect(await refusal(addSchemeVersion(deps, actor, created.id, { definition: noSource }))).toMatchObject({
      code: 'invalid_scheme',
      params: { component: 'joint' },
    });
    expect(
      await refusal(createScheme(deps, actor, { code: `${f.prefix}-v`, name: '重名', definition })),
    ).toMatchObject({ status: 409, code: 'duplicate' });
  });

  it('imports scores from a CSV with provenance, previews before applying, and supersedes corrected values', async () => {
    const { deps, clock } = db();
    const f = await seedScoring(deps, prefix());
    const office = await makeAccount(deps, 'office', { username: `${f.prefix}-office` });
    const csv = (rows: string) => Buffer.from(`抽访结果\n单位编码,单位名称,分值,备注\n${rows}\n\n`, 'utf8');
    const input = {
      filename: 'survey.csv',
      series: 'phone',
      periodId: f.period2026,
      document: '第三方电话抽访报告',
    };
    const preview = await importScores(deps, office, {
      ...input,
      bytes: csv(`${f.s1.code},行政审批科,88.5,\n${f.s2.code},社会事务科,90,复核后`),
      apply: false,
    });
    expect(preview.applied).toBe(false);
    expect(preview.rows.map((r) => [r.line, r.unitName, r.value, r.status])).toEqual([
      [3, '行政审批科', 88.5, 'new'],
      [4, '社会事务科', 90, 'new'],
    ]);
    expect(preview.skipped.map((s) => [s.line, s.code])).toEqual([
      [1, 'title_line'],
      [2, 'header_line'],
      [5, 'blank_line'],
    ]);
    expect(await listScores(deps, office, { series: 'phone', periodId: f.period2026 })).toEqual([]);

    await importScores(deps, office, {
      ...input,
      bytes: csv(`${f.s1.code},行政审批科,88.5,\n${f.s2.code},社会事务科,90,复核后`),
      apply: true,
    });
    clock.advanceMinutes(60 * 24);
    const corrected = await importScores(deps, office, {
      ...input,
      document: '抽访报告（更正）',
      bytes: csv(`${f.s1.code},行政审批科,86,\n${f.s2.code},社会事务科,90,`),
      apply: true,
    });
    expect(corrected.rows.map((r) => [r.status, r.previous])).toEqual([
      ['changed', 88.5],
      ['unchanged', 90],
    ]);
    const history = await listScores(deps, office, { series: 'phone', periodId: f.period2026 });
    expect(
      history.map((h) => [h.unitCode, h.value, h.document, h.enteredBy, h.supersededAt !== null]),
    ).toEqual([
      [f.s1.code, 86, '抽访报告（更正）', office.displayName, false],
      [f.s2.code, 90, '第三方电话抽访报告', office.displayName, false],
      [f.s1.code, 88.5, '第三方电话抽访报告', office.displayName, true],
    ]);

    // One bad line: the whole file is refused and nothing is stored.
    const refused = await refusal(
      importScores(deps, office, {
        ...input,
        bytes: csv(`${f.s1.code},行政审批科,70,\nNO-SUCH-UNIT,?,80,\n${f.s2.code},社会事务科,八十,`),
        apply: true,
      }),
    );
    expect(refused).toMatchObject({ status: 400, code: 'import_has_errors', params: { errors: 2, line: 4 } });
    // The preview names each line's problem by a stable code the console translates, with its params.
    const problems = await importScores(deps, office, {
      ...input,
      bytes: csv(
        `${f.s1.code},行政审批科,70,\nNO-SUCH-UNIT,?,80,\n${f.s2.code},社会事务科,八十,\n` +
          `${f.s1.code},行政审批科,71,\n,无编码,60,\n${f.s3.code},城建管理科,,\n${f.s4.code},市场监管科,2000000000,`,
      ),
      apply: false,
    });
    expect(problems.rows.map((r) => [r.line, r.status, r.errorCode, r.errorParams])).toEqual([
      [3, 'changed', null, null],
      [4, 'error', 'unknown_unit_code', { code: 'NO-SUCH-UNIT' }],
      [5, 'error', 'not_a_number', { value: '八十' }],
      [6, 'error', 'duplicate_unit_line', { code: f.s1.code, line: 3 }],
      [7, 'error', 'empty_unit_code', {}],
      [8, 'error', 'empty_value', {}],
      [9, 'error', 'value_out_of_range', { max: 1e9 }],
    ]);
    expect(problems.rows[1]?.error).toBe('No unit has the code NO-SUCH-UNIT.');
    const after = await listScores(deps, office, { series: 'phone', periodId: f.period2026 });
    expect(after).toEqual(history);
  });

  it('stores values sent through the API all or nothing, naming the unknown unit’s line', async () => {
    const { deps } = db();
    const f = await seedScoring(deps, prefix());
    const base = { series: 'inspection', periodId: f.period2026, document: '人大视察' };
    expect(
      await refusal(
        storeScores(deps, actor, {
          ...base,
          values: [
            { unitCode: f.s1.code, value: 9 },
            { unitCode: 'GHOST', value: 8 },
          ],
        }),
      ),
    ).toMatchObject({ status: 400, code: 'unknown_unit', params: { line: 2, unitCode: 'GHOST' } });
    expect(await listScores(deps, actor, { series: 'inspection', periodId: f.period2026 })).toEqual([]);
    expect(await storeScores(deps, actor, { ...base, values: [{ unitCode: f.s1.code, value: 9 }] })).toEqual({
      stored: 1,
      unchanged: 0,
    });
  });

  it('refuses a lead unit scoring itself, and unit staff scoring for a task their unit does not lead', async () => {
    const { deps } = db();
    const f = await seedScoring(deps, prefix());
    const input = { task: f.taskKey, periodId: f.period2026, document: '联考评分表' };
    expect(
      await refusal(
        enterSheetScores(deps, actor, {
          ...input,
          entries: [
            { unitId: f.s1.id, value: 20 },
            { unitId: f.lead.id, value: 30 },
          ],
        }),
      ),
    ).toMatchObject({ status: 400, code: 'self_scoring', params: { unitId: f.lead.id } });
    const outsider = await makeAccount(deps, 'unit_staff', { unitId: f.s1.id });
    expect(
      await refusal(
        enterSheetScores(deps, outsider, { ...input, entries: [{ unitId: f.s2.id, value: 20 }] }),
      ),
    ).toMatchObject({ status: 403, code: 'outside_scope' });
    const leadStaff = await makeAccount(deps, 'unit_staff', { unitId: f.lead.id });
    expect(
      await enterSheetScores(deps, leadStaff, { ...input, entries: [{ unitId: f.s2.id, value: 20 }] }),
    ).toEqual({ stored: 1 });
  });

  it('computes totals, ranks, grades and lists by hand-computed expectations', async () => {
    const { deps } = db();
    const { f, scheme } = await fixtureWithScheme(db());
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    const u = byCode(run);
    expect(run.status).toBe('computed');
    expect(run.units.map((x) => [x.code, x.total, x.rank, x.grade])).toEqual([
      [f.s1.code, 90, 1, 'excellent'],
      [f.s2.code, 87, 2, 'qualified'],
      [f.s3.code, 68, 3, 'qualified'],
      [f.s4.code, 54, 4, 'qualified'],
    ]);
    expect(u.S1?.components).toMatchObject({ service: 32, survey: 28, joint: 30, total: 90 });
    expect(u.S3?.components).toMatchObject({ service: 16, survey: 25, joint: 27 });
    expect(run.proposed).toEqual({ best: [f.s1.id, f.s2.id], worst: [f.s4.id, f.s3.id] });
    expect(run.nextStage).toBe(0);

    const s1 = await getRunUnit(deps, actor, run.id, f.s1.id);
    const leaves = s1.explanation.children ?? [];
    expect(leaves.map((c) => [c.id, c.provenance])).toEqual([
      ['service', '好评率 9/10 (ratings 2026-01-01…2026-12-31)'],
      ['survey', 'entered by fixture from 《第三方电话抽访报告》 on 2026-03-16'],
      ['joint', 'scored by 区效能办; entered by fixture from 《联考评分表》 on 2026-03-16'],
    ]);
    expect(leaves[0]?.sampleSize).toBe(10);
  });

  it('refuses a rank that is not a place (0, −5, 5.5) on a rank-rule leaf, storing no run, and computes once corrected', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const f = await seedScoring(deps, prefix());
    await seedValues(deps, f);
    const definition = scoringDefinition(f);
    const survey = definition.root.children?.find((c) => c.id === 'survey');
    if (!survey) throw new Error('no survey leaf');
    // Chuzhou's rule: ranks 1–3 earn 100%, then 5 points of percent less per place through 16.
    survey.mapping = { kind: 'rank_rule', fullUpTo: 3, stepShare: 0.05, lastRank: 16, floorShare: 0 };
    const scheme = await createScheme(deps, actor, {
      code: `${f.prefix}-ranks`,
      name: '省考核名次',
      definition,
    });
    const request = {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    };
    const enter = (value: number) =>
      storeScores(deps, actor, {
        series: 'survey',
        periodId: f.period2026,
        document: '省考核名次通报',
        values: [{ unitCode: f.s1.code, value }],
      });
    for (const bad of [0, -5, 5.5]) {
      clock.advanceMinutes(1);
      await enter(bad);
      clock.advanceMinutes(1);
      expect(await refusal(computeRun(deps, actor, request))).toMatchObject({
        status: 400,
        code: 'invalid_rank',
        params: { component: 'survey', unitCode: f.s1.code, value: bad },
      });
    }
    const stored = await deps.database.db
      .selectFrom('scoringRuns')
      .select('id')
      .where('schemeId', '=', scheme.id)
      .execute();
    expect(stored).toEqual([]);

    clock.advanceMinutes(1);
    await enter(5);
    clock.advanceMinutes(1);
    const run = await computeRun(deps, actor, request);
    // Rank 5: two places past the third, 100% − 2 × 5% = 90% of 30 points.
    expect(byCode(run).S1?.components).toMatchObject({ survey: 27 });
  });

  it('names each unit’s parent as of the period’s end, and keeps it after the registry changes', async () => {
    const { deps, clock } = db();
    const { f, scheme } = await fixtureWithScheme(db());
    const registry = deps.database.db;
    // S2 moves from 示范区 to 区效能办 on 2026-07-01: within 2026, before its end.
    await registry
      .updateTable('unitVersions')
      .set({ validTo: '2026-07-01' })
      .where('id', '=', `${f.s2.id}-v1`)
      .execute();
    const version = await registry
      .selectFrom('unitVersions')
      .selectAll()
      .where('id', '=', `${f.s2.id}-v1`)
      .executeTakeFirstOrThrow();
    await registry
      .insertInto('unitVersions')
      .values({
        ...version,
        id: `${f.s2.id}-v2`,
        validFrom: '2026-07-01',
        validTo: null,
        parentId: f.lead.id,
      })
      .execute();
    const parents = (run: RunDetail) => run.units.map((u) => [u.code, u.parentName]);
    const in2025 = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2025,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    // 2025 ranks (survey only): S2 30, S4 25, S3 20, S1 10; S2 was still under 示范区 on 2025-12-31.
    expect(parents(in2025)).toEqual([
      [f.s2.code, '示范区'],
      [f.s4.code, '示范区'],
      [f.s3.code, '示范区'],
      [f.s1.code, '示范区'],
    ]);
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    expect(parents(run)).toEqual([
      [f.s1.code, '示范区'],
      [f.s2.code, '区效能办'],
      [f.s3.code, '示范区'],
      [f.s4.code, '示范区'],
    ]);
    clock.set('2026-03-26T02:00:00.000Z');
    await approveAll(deps, run.id);
    await publishRun(deps, actor, run.id, { acceptWarnings: FIXTURE_WARNINGS });

    // 区效能办 is renamed afterwards: the published result keeps the name it had.
    await registry
      .updateTable('unitVersions')
      .set({ name: '区效能中心' })
      .where('id', '=', `${f.lead.id}-v1`)
      .execute();
    expect(parents(await getRun(deps, actor, run.id))[1]).toEqual([f.s2.code, '区效能办']);
    expect((await getRunUnit(deps, actor, run.id, f.s2.id)).parentName).toBe('区效能办');
    const published = await publicResult(deps, run.id);
    expect(published.units.map((u) => u.parentName)).toEqual(['示范区', '区效能办', '示范区', '示范区']);
    expect(published.best.map((u) => [u.name, u.parentName])).toEqual([['行政审批科', '示范区']]);
    expect((await publicUnit(deps, run.id, f.s2.id)).parentName).toBe('区效能办');
  });

  it('a veto bars the top grade and puts the unit on the worst list; a revoked veto does not', async () => {
    const { deps, clock } = db();
    const { f, scheme } = await fixtureWithScheme(db());
    const veto = await recordVeto(deps, actor, {
      unitId: f.s1.id,
      periodId: f.period2026,
      schemeId: scheme.id,
      reason: '发生重大安全责任事故',
      evidence: '区安委办通报〔2026〕3号',
    });
    clock.advanceMinutes(1);
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    const u = byCode(run);
    expect([u.S1?.rank, u.S1?.grade]).toEqual([1, 'qualified']);
    expect(u.S1?.flags).toContain('vetoed');
    expect(u.S2?.grade).toBe('excellent');
    expect(run.proposed).toEqual({ best: [f.s2.id, f.s3.id], worst: [f.s1.id, f.s4.id] });

    await revokeVeto(deps, actor, veto.id, { reason: '经复核不属于本单位责任' });
    clock.advanceMinutes(1);
    const again = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    expect(again.proposed.worst).toEqual([f.s4.id, f.s3.id]);
    // The newer run replaces the older unpublished one.
    expect((await getRun(deps, actor, run.id)).status).toBe('superseded');
  });

  it('moves the lists through every review stage, refuses what is out of order, then locks and publishes', async () => {
    const { deps, clock } = db();
    const { f, scheme } = await fixtureWithScheme(db());
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    const stage = { body: '区纪委', decidedOn: '2026-03-16' };
    expect(
      await refusal(recordReview(deps, actor, run.id, { ...stage, stageIndex: 1, decision: 'approve' })),
    ).toMatchObject({ status: 400, code: 'wrong_stage', params: { expected: 0 } });
    expect(
      await refusal(
        recordReview(deps, actor, run.id, { ...stage, stageIndex: 0, decision: 'amend', best: [f.s1.id] }),
      ),
    ).toMatchObject({ status: 400, code: 'reason_required' });
    expect(
      await refusal(
        recordReview(deps, actor, run.id, {
          ...stage,
          stageIndex: 0,
          decision: 'amend',
          best: [f.s1.id, f.s3.id],
          reason: '调整',
        }),
      ),
    ).toMatchObject({ status: 400, code: 'not_on_list', params: { unitId: f.s3.id } });
    expect(
      await refusal(publishRun(deps, actor, run.id, { acceptWarnings: FIXTURE_WARNINGS })),
    ).toMatchObject({
      status: 409,
      code: 'not_approved',
    });
    // Computed on 2026-03-16 (the clock): a body cannot decide before it has the lists, nor in the future.
    for (const decidedOn of ['2026-03-15', '2026-03-20']) {
      expect(
        await refusal(
          recordReview(deps, actor, run.id, { ...stage, decidedOn, stageIndex: 0, decision: 'approve' }),
        ),
      ).toMatchObject({
        status: 400,
        code: 'bad_decision_date',
        params: { earliest: '2026-03-16', latest: '2026-03-16' },
      });
    }

    clock.set('2026-03-26T02:00:00.000Z');
    const amendment = {
      ...stage,
      decidedOn: '2026-03-20',
      stageIndex: 0,
      decision: 'amend' as const,
      best: [f.s2.id, f.s1.id],
      worst: [f.s4.id],
      reason: '社会事务科群众来信反映突出，调整次序',
    };
    // The stage keeps two on each list; a worst list of one is recorded only once the clerk confirms it.
    expect(await refusal(recordReview(deps, actor, run.id, amendment))).toMatchObject({
      status: 409,
      code: 'warnings_not_accepted',
      params: { codes: 'list_size_differs', count: 1 },
    });
    const first = await recordReview(deps, actor, run.id, {
      ...amendment,
      acceptWarnings: ['list_size_differs'],
    });
    expect(first.status).toBe('in_review');
    expect(first.current).toEqual({ best: [f.s2.id, f.s1.id], worst: [f.s4.id] });
    expect(first.nextStage).toBe(1);

    expect(
      await refusal(
        recordReview(deps, actor, run.id, {
          stageIndex: 1,
          body: '区委',
          decidedOn: '2026-03-19',
          decision: 'approve',
        }),
      ),
    ).toMatchObject({ status: 400, code: 'bad_decision_date', params: { earliest: '2026-03-20' } });
    const second = await recordReview(deps, actor, run.id, {
      stageIndex: 1,
      body: '区委',
      decidedOn: '2026-03-25',
      decision: 'approve',
    });
    expect(second.status).toBe('approved');
    expect(second.current).toEqual({ best: [f.s2.id], worst: [f.s4.id] });
    expect(second.reviews.map((r) => [r.stageName, r.decision, r.reason])).toEqual([
      ['纪委常委会审议', 'amend', '社会事务科群众来信反映突出，调整次序'],
      ['区委常委会审定', 'approve', null],
    ]);
    expect(
      await refusal(recordReview(deps, actor, run.id, { ...stage, stageIndex: 2, decision: 'approve' })),
    ).toMatchObject({ status: 409, code: 'run_locked' });

    // Main problems stay editable until publication.
    await setProblems(deps, actor, run.id, f.s4.id, { text: '办事指南不清，群众多次跑动' });
    const published = await publishRun(deps, actor, run.id, { acceptWarnings: FIXTURE_WARNINGS });
    expect(published.status).toBe('published');
    expect(await refusal(setProblems(deps, actor, run.id, f.s4.id, { text: '改' }))).toMatchObject({
      status: 409,
      code: 'run_locked',
    });

    const view = await publicResult(deps, run.id);
    expect(view.best.map((r) => r.code)).toEqual([f.s2.code]);
    expect(view.worst.map((r) => [r.code, r.problems])).toEqual([[f.s4.code, '办事指南不清，群众多次跑动']]);
    expect(JSON.stringify(view)).not.toContain('fixture');
    const unit = await publicUnit(deps, run.id, f.s1.id);
    expect(unit.explanation.children?.[1]?.provenance).toBe('from 《第三方电话抽访报告》 on 2026-03-16');
    expect(JSON.stringify(unit)).not.toContain('fixture');
  });

  it('tells the public what kind of result it is (十佳十差, a worst list only, a ranking) and who issues it', async () => {
    const { deps } = db();
    const { f } = await fixtureWithScheme(db());
    const kinds: [string, { best: number; worst: number }][] = [
      ['lists', { best: 2, worst: 2 }],
      ['worst', { best: 0, worst: 2 }],
      ['ranking', { best: 0, worst: 0 }],
    ];
    const ids: Record<string, string> = {};
    for (const [key, lists] of kinds) {
      // Without review stages a run is approved as computed and can be published at once.
      const scheme = await createScheme(deps, actor, {
        code: `${f.prefix}-${key}`,
        name: `方案 ${key}`,
        definition: {
          ...scoringDefinition(f),
          lists,
          review: { stages: [] },
          ...(key === 'lists' ? { issuer: '示范区绩效考核办公室' } : {}),
        },
      });
      const run = await computeRun(deps, actor, {
        schemeId: scheme.id,
        periodId: f.period2026,
        groupKey: 'sections',
        acceptWarnings: FIXTURE_WARNINGS,
      });
      await publishRun(deps, actor, run.id, { acceptWarnings: FIXTURE_WARNINGS });
      ids[key] = run.id;
    }
    const listed = new Map((await publicResults(deps)).map((r) => [r.id, r.kind]));
    expect([ids.lists, ids.worst, ids.ranking].map((id) => listed.get(id ?? ''))).toEqual([
      'best_worst',
      'worst_only',
      'ranking',
    ]);
    // The notice names the office the scheme gives, or none (the page then says 考核办公室).
    expect((await publicResult(deps, ids.lists ?? '')).issuer).toBe('示范区绩效考核办公室');
    const ranking = await publicResult(deps, ids.ranking ?? '');
    expect(ranking.issuer).toBeNull();
    // The notice's paragraph of method reads the components from the result itself: 100 = 40 + 30 + 30.
    expect(ranking.components.map((c) => [c.id, c.name, c.maxPoints, c.depth])).toEqual([
      ['total', '总分', 100, 0],
      ['service', '即时评价好评率', 40, 1],
      ['survey', '第三方电话抽访', 30, 1],
      ['joint', '联考', 30, 1],
    ]);
    // No lists at all: every unit in rank order (S1 90, S2 87, S3 68, S4 54), nothing best or worst.
    expect(ranking).toMatchObject({ kind: 'ranking', best: [], worst: [] });
    expect(ranking.units.map((u) => u.code)).toEqual([f.s1.code, f.s2.code, f.s3.code, f.s4.code]);
    const worst = await publicResult(deps, ids.worst ?? '');
    expect([worst.kind, worst.best.length, worst.worst.map((u) => u.code)]).toEqual([
      'worst_only',
      0,
      [f.s4.code, f.s3.code],
    ]);
  });

  it('compares ranks with the previous published period and names the largest decline', async () => {
    const { deps, clock } = db();
    const { f, scheme } = await fixtureWithScheme(db());
    const last = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2025,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    expect(last.units.map((u) => [u.code, u.total, u.rank])).toEqual([
      [f.s2.code, 30, 1],
      [f.s4.code, 25, 2],
      [f.s3.code, 20, 3],
      [f.s1.code, 10, 4],
    ]);
    // The reviewing bodies meet after the run is computed.
    clock.set('2026-03-26T02:00:00.000Z');
    await approveAll(deps, last.id);
    await publishRun(deps, actor, last.id, { acceptWarnings: FIXTURE_WARNINGS });
    clock.advanceMinutes(10);
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: FIXTURE_WARNINGS,
    });
    expect(run.units.map((u) => [u.code, u.previousRank, u.rankChange])).toEqual([
      [f.s1.code, 4, 3],
      [f.s2.code, 1, -1],
      [f.s3.code, 3, 0],
      [f.s4.code, 2, -2],
    ]);
    expect(run.largestDecline).toEqual([f.s4.id]);
    expect(byCode(run).S4?.flags).toContain('largest_decline');
  });
});
