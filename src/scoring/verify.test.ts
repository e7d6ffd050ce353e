import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import {
  DIALECTS,
  describeEachDatabase,
  openTestDatabase,
  type TestDatabase,
} from '../../test/support/db.js';
import { boot } from '../core/boot.js';
import { loadRatingsConfig } from '../ratings/config.js';
import { putRatingsSettings, removeRating } from '../ratings/service.js';
import { inTransaction } from '../core/context.js';
import type { Deps } from '../core/context.js';
import { canonicalJson, digestOf, type RankingInput, type RankingOutcome } from './model.js';
import { computeRun, createScheme } from './service.js';
import {
  FIXTURE_ACTOR,
  FIXTURE_WARNINGS,
  scoringDefinition,
  seedScoring,
  seedValues,
  type ScoringFixture,
} from './testing.js';
import { firstDifference, verifyResult } from './verify.js';

const actor = FIXTURE_ACTOR;
let counter = 0;

async function computed(deps: Deps, prefix: string, before?: (f: ScoringFixture) => Promise<void>) {
  const f = await seedScoring(deps, prefix);
  await seedValues(deps, f);
  if (before) await before(f);
  const scheme = await createScheme(deps, actor, {
    code: `${prefix}-scheme`,
    name: '核验方案',
    definition: scoringDefinition(f),
  });
  const run = await computeRun(deps, actor, {
    schemeId: scheme.id,
    periodId: f.period2026,
    groupKey: 'sections',
    acceptWarnings: FIXTURE_WARNINGS,
  });
  return { f, run };
}

describeEachDatabase('verify result', (db) => {
  const fresh = () => {
    counter += 1;
    return `vr${counter}`;
  };

  it('reports identical for a run just computed (rating statistics recounted from the raw ratings)', async () => {
    const { deps } = db();
    const { run } = await computed(deps, fresh());
    expect(await verifyResult(deps.database.db, run.id)).toEqual({
      identical: true,
      runId: run.id,
      inputsDigest: run.inputsDigest,
      resultsDigest: run.resultsDigest,
    });
  });

  it('names the first difference after a stored score value was altered', async () => {
    const { deps } = db();
    const { f, run } = await computed(deps, fresh());
    await deps.database.db
      .updateTable('scoreValues')
      .set({ value: '12' })
      .where('series', '=', 'survey')
      .where('periodId', '=', f.period2026)
      .where('unitId', '=', f.s3.id)
      .execute();
    const result = await verifyResult(deps.database.db, run.id);
    expect(result).toMatchObject({
      identical: false,
      path: `inputs.values.survey["${f.s3.id}"].value`,
      stored: 25,
      recomputed: 12,
    });
  });

  it('names the first difference after a stored outcome row was altered (and its digest with it)', async () => {
    const { deps } = db();
    const { run } = await computed(deps, fresh());
    const row = await deps.database.db
      .selectFrom('scoringRuns')
      .select('outcome')
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    const outcome = JSON.parse(row.outcome) as RankingOutcome;
    const second = outcome.units[1];
    if (second) second.total = 95;
    await deps.database.db
      .updateTable('scoringRuns')
      .set({ outcome: canonicalJson(outcome) })
      .where('id', '=', run.id)
      .execute();
    expect(await verifyResult(deps.database.db, run.id)).toMatchObject({
      identical: false,
      path: 'resultsDigest',
    });
    await deps.database.db
      .updateTable('scoringRuns')
      .set({ resultsDigest: digestOf(outcome) })
      .where('id', '=', run.id)
      .execute();
    expect(await verifyResult(deps.database.db, run.id)).toMatchObject({
      identical: false,
      path: 'outcome.units[1].total',
      stored: 95,
      recomputed: 87,
    });
  });

  it('catches an altered parent and inputs stored without the parents', async () => {
    const { deps } = db();
    const { run } = await computed(deps, fresh());
    const runs = deps.database.db;
    const row = await runs
      .selectFrom('scoringRuns')
      .select(['inputs'])
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    const inputs = JSON.parse(row.inputs) as RankingInput;
    expect(inputs.units.map((u) => u.parentName)).toEqual(['示范区', '示范区', '示范区', '示范区']);

    // An altered parent in a run that records them is a difference in the inputs.
    const altered = {
      ...inputs,
      units: inputs.units.map((u, i) => (i === 2 ? { ...u, parentName: '别处' } : u)),
    };
    await runs
      .updateTable('scoringRuns')
      .set({ inputs: canonicalJson(altered), inputsDigest: digestOf(altered) })
      .where('id', '=', run.id)
      .execute();
    expect(await verifyResult(runs, run.id)).toMatchObject({
      identical: false,
      path: 'inputs.units[2].parentName',
      stored: '别处',
      recomputed: '示范区',
    });

    // Inputs stored without the parents (a field dropped, digests made to match) are a difference too.
    const withoutParents = { ...inputs, units: inputs.units.map(({ parentName: _p, ...u }) => u) };
    await runs
      .updateTable('scoringRuns')
      .set({ inputs: canonicalJson(withoutParents), inputsDigest: digestOf(withoutParents) })
      .where('id', '=', run.id)
      .execute();
    expect(await verifyResult(runs, run.id)).toMatchObject({
      identical: false,
      path: 'inputs.units[0].parentName',
      stored: undefined,
      recomputed: '示范区',
    });
  });

  it('recounts with the good-rating threshold the run recorded, whatever the setting is now', async () => {
    const { deps } = db();
    const runs = deps.database.db;
    const { f, run } = await computed(deps, fresh());
    const stored = await runs
      .selectFrom('scoringRuns')
      .select('inputs')
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    // The fixture's scheme reads 好评率, counted with the default threshold ★3.
    expect((JSON.parse(stored.inputs) as RankingInput).ratings).toEqual({ goodFrom: 3 });
    // The settings as the office sends them back (the per-unit overrides are left as they are).
    const { byUnit: _overrides, ...setting } = await loadRatingsConfig(runs);
    expect(setting.goodFrom).toBe(3);
    try {
      // The office now counts only ★4–5 as good.
      await putRatingsSettings(deps, actor, { ...setting, goodFrom: 4 });
      expect(await verifyResult(runs, run.id)).toMatchObject({ identical: true, runId: run.id });

      // The setting does matter: a run computed now counts S3's 7 × ★3 and 3 × ★2 as 0/10 good
      // (0 service points instead of 7/10 → (0.7 − 0.5) / 0.5 × 40 = 16), and records ★4.
      const again = await computeRun(deps, actor, {
        schemeId: run.schemeId,
        periodId: f.period2026,
        groupKey: 'sections',
        acceptWarnings: FIXTURE_WARNINGS,
      });
      const s3 = (detail: typeof run) => detail.units.find((u) => u.unitId === f.s3.id)?.components.service;
      expect([s3(run), s3(again)]).toEqual([16, 0]);
      expect(await verifyResult(runs, again.id)).toMatchObject({ identical: true });

      // Tampering with the recorded threshold is a difference in the inputs.
      const inputs = JSON.parse(stored.inputs) as RankingInput;
      const altered = { ...inputs, ratings: { goodFrom: 4 } };
      await runs
        .updateTable('scoringRuns')
        .set({ inputs: canonicalJson(altered), inputsDigest: digestOf(altered) })
        .where('id', '=', run.id)
        .execute();
      // S3's 好评率 is recounted as 0/10 rather than 7/10; the first key that differs (in sorted order) is
      // the Wilson interval's upper bound: 7/10 → 0.8922, 0/10 → 2·(z²/2n)/(1 + z²/n) = 0.3841/1.3841 = 0.2775.
      const tampered = await verifyResult(runs, run.id);
      expect(tampered).toMatchObject({ identical: false, path: `inputs.values.service["${f.s3.id}"].high` });
      if (tampered.identical) throw new Error('expected a difference');
      expect(tampered.stored).toBeCloseTo(0.8922, 4);
      expect(tampered.recomputed).toBeCloseTo(0.2775, 4);
    } finally {
      await putRatingsSettings(deps, actor, setting);
    }
  });

  it('keeps a run identical after an appeal upheld since, and shows the difference when asked about now', async () => {
    const { deps, clock } = db();
    const { f, run } = await computed(deps, fresh());
    const rating = await deps.database.db
      .selectFrom('ratings')
      .select('id')
      .where('unitId', '=', f.s3.id)
      .where('status', '=', 'counted')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // An hour later the office upholds an appeal against one of S3's ratings: it no longer counts.
    clock.advanceMinutes(60);
    await inTransaction(deps, actor, (trx) => removeRating(trx, deps, rating.id, 'appeal upheld'));
    // The published result was what the records said when it was computed…
    expect(await verifyResult(deps.database.db, run.id)).toMatchObject({ identical: true });
    // …and the records as they stand now give S3 a different statistic.
    const now = await verifyResult(deps.database.db, run.id, { asOf: clock.now().toISOString() });
    expect(now.identical).toBe(false);
    if (now.identical) throw new Error('expected a difference');
    expect(now.path).toMatch(new RegExp(`^inputs\\.values\\.service\\["${f.s3.id}"\\]`));
  });

  it('catches rollups that disagree with the raw ratings they count', async () => {
    const { deps } = db();
    const { f, run } = await computed(deps, fresh(), async (fixture) => {
      // Two extra ★5 ratings of S3 appear in the rollups that were never given.
      await deps.database.db
        .updateTable('ratingRollups')
        .set((eb) => ({ n: eb('n', '+', 2) }))
        .where('scopeType', '=', 'subtree')
        .where('scopeId', '=', fixture.s3.id)
        .where('level', '=', 3)
        .execute();
    });
    expect(run.units.find((u) => u.unitId === f.s3.id)?.components.service).toBe(20); // 9/12 → 0.75 → 20
    expect(await verifyResult(deps.database.db, run.id)).toMatchObject({
      identical: false,
      path: `inputs.values.service["${f.s3.id}"].high`,
    });
  });
});

it('the same fixture computed on every database gives byte-identical inputs and outcome', async () => {
  const dialects = DIALECTS.length > 1 ? DIALECTS : (['sqlite', 'sqlite'] as const);
  const outcomes: { dialect: string; inputs: string; outcome: string; digests: string[] }[] = [];
  for (const dialect of dialects) {
    const database: TestDatabase = await openTestDatabase(dialect);
    try {
      const { deps } = database;
      const { run } = await computed(deps, 'same', async (f) => {
        // A veto with a fixed id, so that the inputs are the same row for row.
        await deps.database.db
          .insertInto('vetoes')
          .values({
            id: 'veto-same-1',
            unitId: f.s1.id,
            periodId: f.period2026,
            schemeId: null,
            reason: '重大安全责任事故',
            evidence: '通报〔2026〕3号',
            recordedBy: null,
            recordedByName: 'fixture',
            recordedAt: '2026-03-01T00:00:00.000Z',
            revokedAt: null,
            revokeReason: null,
          })
          .execute();
      });
      const row = await deps.database.db
        .selectFrom('scoringRuns')
        .select(['inputs', 'outcome', 'inputsDigest', 'resultsDigest'])
        .where('id', '=', run.id)
        .executeTakeFirstOrThrow();
      outcomes.push({
        dialect,
        inputs: row.inputs,
        outcome: row.outcome,
        digests: [row.inputsDigest, row.resultsDigest],
      });
    } finally {
      await database.close();
    }
  }
  const [first, second] = outcomes;
  expect(first?.outcome).toContain('"vetoed"');
  expect(second?.inputs).toBe(first?.inputs);
  expect(second?.outcome).toBe(first?.outcome);
  expect(second?.digests).toEqual(first?.digests);
});

it('firstDifference walks keys in sorted order and arrays in order', () => {
  expect(firstDifference({ b: 1, a: [1, 2] }, { a: [1, 3], b: 2 }, '$')).toEqual({
    path: '$.a[1]',
    stored: 2,
    recomputed: 3,
  });
  expect(firstDifference([1, 2], [1, 2, 3], '$')).toEqual({ path: '$.length', stored: 2, recomputed: 3 });
  expect(firstDifference({ a: 1 }, { a: 1 }, '$')).toBeNull();
});

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('`minping verify result <id>` prints identical (exit 0), and the first difference after tampering (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minping-verify-'));
  dirs.push(dir);
  const url = `sqlite:${join(dir, 'minping.db')}`;
  const deps = await boot({ databaseUrl: url, sessionMinutes: 60 });
  let runId: string;
  let unitId: string;
  try {
    const { f, run } = await computed(deps, 'cli');
    runId = run.id;
    unitId = f.s2.id;
  } finally {
    await deps.database.close();
  }
  const cli = (id: string) =>
    exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify', 'result', id], {
      env: { ...process.env, MINPING_DATABASE_URL: url },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  const ok = await cli(runId);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/^identical/);

  const again = await boot({ databaseUrl: url, sessionMinutes: 60 });
  try {
    await again.database.db
      .updateTable('sheetScores')
      .set({ value: '29' })
      .where('unitId', '=', unitId)
      .execute();
  } finally {
    await again.database.close();
  }
  const bad = await cli(runId);
  expect(bad.code).toBe(2);
  expect(JSON.parse(bad.stdout)).toEqual({
    path: `inputs.values.joint["${unitId}"].value`,
    stored: 27,
    recomputed: 29,
  });
  expect(bad.stderr).toContain('first difference at');
}, 60_000);
