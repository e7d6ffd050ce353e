import { expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../test/support/db.js';
import { AppError } from '../core/errors.js';
import { createUnit, deactivateUnit, updateUnit } from '../registry/service.js';
import type { SchemeDefinition } from './model.js';
import {
  computeRun,
  createScheme,
  publishRun,
  recordReview,
  runRequestWarnings,
  runWarnings,
  setProblems,
} from './service.js';
import { FIXTURE_ACTOR, scoringDefinition, seedScoring, seedValues, type ScoringFixture } from './testing.js';
import { verifyResult } from './verify.js';

/*
 * Publication safety (issue 14, section 1): computing, approving and publishing name every condition that
 * would make a result misleading, and refuse until the request accepts each; a published result keeps
 * verifying after ordinary registry work. The fixture's values are in src/scoring/testing.ts.
 */

const actor = FIXTURE_ACTOR;

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, params: error.params };
    throw error;
  }
  throw new Error('expected a refusal');
}

let counter = 0;

async function setup({ deps, clock }: TestDatabase, definition?: (f: ScoringFixture) => SchemeDefinition) {
  clock.set('2026-03-16T02:00:00.000Z');
  counter += 1;
  const f = await seedScoring(deps, `pw${counter}`);
  await seedValues(deps, f);
  const scheme = await createScheme(deps, actor, {
    code: `${f.prefix}-scheme`,
    name: '发布检查方案',
    definition: (definition ?? scoringDefinition)(f),
  });
  return { f, scheme };
}

const runCount = async ({ deps }: TestDatabase) =>
  Number(
    (
      await deps.database.db
        .selectFrom('scoringRuns')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeEachDatabase('publication warnings', (db) => {
  it('computing names the unfinished period and each leaf without values for some units, and stores nothing until accepted', async () => {
    const { f, scheme } = await setup(db());
    const { deps } = db();
    const request = { schemeId: scheme.id, periodId: f.period2026, groupKey: 'sections' };
    const { warnings } = await runRequestWarnings(deps, actor, request);
    // 2026 ends on 2026-12-31 (the clock says 2026-03-16); 市场监管科 has no ratings, 城建管理科 no joint score.
    expect(warnings.map((w) => [w.code, w.params])).toEqual([
      ['period_not_ended', { periodName: '2026年度', endDate: '2026-12-31', today: '2026-03-16' }],
      [
        'source_partly_without_values',
        {
          leafId: 'service',
          leafName: '即时评价好评率',
          missing: 1,
          total: 4,
          missingRule: 'zero',
          units: '市场监管科',
        },
      ],
      [
        'source_partly_without_values',
        {
          leafId: 'joint',
          leafName: '联考',
          missing: 1,
          total: 4,
          missingRule: 'average',
          units: '城建管理科',
        },
      ],
    ]);

    const before = await runCount(db());
    expect(await refusal(computeRun(deps, actor, request))).toEqual({
      status: 409,
      code: 'warnings_not_accepted',
      params: { codes: 'period_not_ended,source_partly_without_values', count: 3 },
    });
    // Accepting one kind is not accepting the other.
    expect(
      await refusal(
        computeRun(deps, actor, { ...request, acceptWarnings: ['source_partly_without_values'] }),
      ),
    ).toMatchObject({ status: 409, params: { codes: 'period_not_ended', count: 1 } });
    expect(await runCount(db())).toBe(before);

    const run = await computeRun(deps, actor, {
      ...request,
      acceptWarnings: ['period_not_ended', 'source_partly_without_values'],
    });
    expect(run.status).toBe('computed');
    expect(await runCount(db())).toBe(before + 1);
    const entry = await deps.database.db
      .selectFrom('auditLog')
      .select(['detail'])
      .where('entityId', '=', run.id)
      .where('action', '=', 'run.computed')
      .executeTakeFirstOrThrow();
    expect(String(entry.detail)).toContain('The period 2026年度 ends on 2026-12-31');

    // Once the year is over, the period warning is gone.
    db().clock.set('2027-01-04T02:00:00.000Z');
    expect((await runRequestWarnings(deps, actor, request)).warnings.map((w) => w.code)).toEqual([
      'source_partly_without_values',
      'source_partly_without_values',
    ]);
  });

  it('a leaf with no value for any unit is named as such (the Nanchuan 0.00 of 40)', async () => {
    const { f, scheme } = await setup(db());
    // 2025 has survey scores only: no ratings, no joint scores.
    const { warnings } = await runRequestWarnings(db().deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2025,
      groupKey: 'sections',
    });
    expect(warnings.map((w) => [w.code, w.params.leafName, w.params.missing, w.params.total])).toEqual([
      ['source_without_values', '即时评价好评率', 4, 4],
      ['source_without_values', '联考', 4, 4],
    ]);
    expect(warnings[0]?.message).toBe(
      'No unit of the group has a value for “即时评价好评率”: all 4 receive the missing rule (zero) instead of a score.',
    );
  });

  it('publishing a worst list names the units without main problems, and a final list shorter than the stage keeps', async () => {
    const { f, scheme } = await setup(db(), (fx) => ({
      ...scoringDefinition(fx),
      lists: { best: 0, worst: 2 },
      review: { stages: [{ name: '区委常委会审定', body: '区委', size: 2 }] },
    }));
    const { deps } = db();
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2025,
      groupKey: 'sections',
      acceptWarnings: ['source_without_values'],
    });
    // 2025 has survey scores only (S1 10, S2 30, S3 20, S4 25): the worst are S1, then S3.
    expect(run.current.worst).toEqual([f.s1.id, f.s3.id]);
    const amend = {
      stageIndex: 0,
      body: '区委',
      decidedOn: '2026-03-16',
      decision: 'amend' as const,
      best: [],
      worst: [f.s1.id],
      reason: '城建管理科已整改到位',
    };
    expect(await refusal(recordReview(deps, actor, run.id, amend))).toMatchObject({
      status: 409,
      code: 'warnings_not_accepted',
      params: { codes: 'list_size_differs' },
    });
    // A run whose lists were refused stays where it was.
    expect((await runWarnings(deps, actor, run.id)).warnings.map((w) => w.code)).toEqual([
      'source_without_values',
      'source_without_values',
      'problems_missing',
    ]);
    await recordReview(deps, actor, run.id, { ...amend, acceptWarnings: ['list_size_differs'] });

    const codes = async () =>
      (await runWarnings(deps, actor, run.id)).warnings.map((w) => [w.code, w.params]);
    expect((await codes()).slice(2)).toEqual([
      ['problems_missing', { missing: 1, total: 1, units: '行政审批科' }],
      ['list_size_differs', { list: 'worst', count: 1, size: 2, stageName: '区委常委会审定' }],
    ]);
    expect(
      await refusal(publishRun(deps, actor, run.id, { acceptWarnings: ['source_without_values'] })),
    ).toMatchObject({ status: 409, params: { codes: 'problems_missing,list_size_differs', count: 2 } });
    // Blank text is no main problem.
    await setProblems(deps, actor, run.id, f.s1.id, { text: '   ' });
    expect((await codes()).map(([code]) => code)).toContain('problems_missing');
    await setProblems(deps, actor, run.id, f.s1.id, { text: '审批材料反复退回，群众多次跑动' });
    expect((await codes()).map(([code]) => code)).toEqual([
      'source_without_values',
      'source_without_values',
      'list_size_differs',
    ]);
    const published = await publishRun(deps, actor, run.id, {
      acceptWarnings: ['source_without_values', 'list_size_differs'],
    });
    expect(published.status).toBe('published');
  });

  it('a published result keeps verifying after a section is added inside its period', async () => {
    const { f, scheme } = await setup(db());
    const { deps } = db();
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: ['period_not_ended', 'source_partly_without_values'],
    });
    for (const [stageIndex, body] of [
      [0, '区纪委'],
      [1, '区委'],
    ] as const) {
      await recordReview(deps, actor, run.id, {
        stageIndex,
        body,
        decidedOn: '2026-03-16',
        decision: 'approve',
      });
    }
    await setProblems(deps, actor, run.id, f.s4.id, { text: '办事指南不清' });
    await publishRun(deps, actor, run.id, {
      acceptWarnings: ['period_not_ended', 'source_partly_without_values'],
    });
    expect((await verifyResult(deps.database.db, run.id)).identical).toBe(true);

    // A section of the same kind under the same jurisdiction, in force from today (inside 2026), with a code
    // that sorts before the others: before, verify read the group again and saw it as units[0].
    await createUnit(deps, actor, {
      code: `${f.prefix}-A0`,
      name: '新设政务服务科',
      kind: 'section',
      parentId: f.city.id,
      validFrom: '2026-03-16',
    });
    expect(await verifyResult(deps.database.db, run.id)).toMatchObject({ identical: true });
    // A new run of the group does include it.
    const again = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: ['period_not_ended', 'source_partly_without_values', 'source_without_values'],
    });
    expect(again.units.map((u) => u.name)).toContain('新设政务服务科');
  });

  it('refuses a registry change dated inside a published period unless the office confirms it, and audits it', async () => {
    const { f, scheme } = await setup(db());
    const { deps } = db();
    const run = await computeRun(deps, actor, {
      schemeId: scheme.id,
      periodId: f.period2025,
      groupKey: 'sections',
      acceptWarnings: ['source_without_values', 'source_partly_without_values'],
    });
    for (const [stageIndex, body] of [
      [0, '区纪委'],
      [1, '区委'],
    ] as const) {
      await recordReview(deps, actor, run.id, {
        stageIndex,
        body,
        decidedOn: '2026-03-16',
        decision: 'approve',
      });
    }
    await setProblems(deps, actor, run.id, f.s4.id, { text: '办事指南不清' });
    await publishRun(deps, actor, run.id, {
      acceptWarnings: ['source_without_values', 'source_partly_without_values', 'list_size_differs'],
    });
    expect((await verifyResult(deps.database.db, run.id)).identical).toBe(true);
    const versions = async () =>
      Number(
        (
          await deps.database.db
            .selectFrom('unitVersions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('unitId', '=', f.s3.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await versions();

    // Renaming a ranked section from a day inside 2025: refused, naming the result it would change.
    expect(
      await refusal(updateUnit(deps, actor, f.s3.id, { name: '城建科', effectiveFrom: '2025-06-01' })),
    ).toEqual({
      status: 409,
      code: 'published_results_affected',
      params: {
        field: 'effectiveFrom',
        from: '2025-06-01',
        count: 1,
        periods: '2025年度',
        after: '2025-12-31',
      },
    });
    // Closing one inside 2025 too; moving the jurisdiction above it as well.
    expect((await refusal(deactivateUnit(deps, actor, f.s4.id, { effectiveFrom: '2025-07-01' }))).code).toBe(
      'published_results_affected',
    );
    expect(
      (await refusal(updateUnit(deps, actor, f.city.id, { name: '示范新区', effectiveFrom: '2025-07-01' })))
        .code,
    ).toBe('published_results_affected');
    expect(await versions()).toBe(before);
    expect((await verifyResult(deps.database.db, run.id)).identical).toBe(true);

    // What no result reads may change from any day; so may a unit no published result ranks, and a
    // change dated after the published period.
    await updateUnit(deps, actor, f.s3.id, { responsiblePhone: '13800000003', effectiveFrom: '2025-06-01' });
    await updateUnit(deps, actor, f.lead.id, { name: '区效能建设办公室', effectiveFrom: '2025-06-01' });
    expect((await verifyResult(deps.database.db, run.id)).identical).toBe(true);

    // Confirmed: stored, audited with the result it touches, and the result no longer verifies.
    await updateUnit(deps, actor, f.s3.id, {
      name: '城建科',
      effectiveFrom: '2025-06-02',
      confirmPublishedResults: true,
    });
    const audit = await deps.database.db
      .selectFrom('auditLog')
      .select(['action', 'detail'])
      .where('entityId', '=', f.s3.id)
      .where('action', '=', 'unit.published_results_affected')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ from: '2025-06-02', runs: [run.id] });
    expect((await verifyResult(deps.database.db, run.id)).identical).toBe(false);
  });
});
