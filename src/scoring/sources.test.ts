import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { AppError } from '../core/errors.js';
import { proportion } from '../core/stats.js';
import { ratingStatistics, zeroLevels } from '../ratings/model.js';
import type { SchemeDefinition } from './model.js';
import { computeRun, createScheme, storeScores } from './service.js';
import { collectValues, countedAt, SOURCES, statisticValue } from './sources.js';
import { FIXTURE_ACTOR, FIXTURE_WARNINGS, scoringDefinition, seedScoring } from './testing.js';

const period = { id: 'p', name: '2026年度', startDate: '2026-01-01', endDate: '2026-12-31' };

function statistics(byLevel: Partial<Record<1 | 2 | 3 | 4 | 5, number>>) {
  return ratingStatistics({
    byLevel: { ...zeroLevels(), ...byLevel },
    defaultByLevel: zeroLevels(),
    transactions: 0,
    activelyRated: 0,
    badCases: 0,
    replied: 0,
    calledBackAndRectified: 0,
    judged: 0,
    judgedSatisfied: 0,
  });
}

describe('rating statistic values', () => {
  it('a rate is the share with its Wilson interval, the denominator as sample size', () => {
    const value = statisticValue(statistics({ 5: 900, 3: 12, 1: 68 }), 'goodRate', period);
    const p = proportion(912, 980);
    expect(value).toEqual({
      value: 912 / 980,
      sampleSize: 980,
      low: p.low,
      high: p.high,
      provenance: '好评率 912/980 (ratings 2026-01-01…2026-12-31)',
    });
  });

  it('the average has mean ± 1.96·sd/√n from the level counts, kept within 1–5', () => {
    // Levels 5, 5, 4, 3: mean 4.25, squared deviations 2.75, sd √(2.75/3), half-width 1.96·sd/2.
    const value = statisticValue(statistics({ 5: 2, 4: 1, 3: 1 }), 'average', period);
    const half = (1.96 * Math.sqrt(2.75 / 3)) / 2;
    expect(value?.value).toBe(4.25);
    expect(value?.sampleSize).toBe(4);
    expect(value?.low).toBeCloseTo(4.25 - half, 12);
    expect(value?.high).toBe(5);
    expect(value?.provenance).toBe('平均分 4.2500 of 4 ratings (ratings 2026-01-01…2026-12-31)');
  });

  it('no ratings: no value (the scheme’s rule for a missing value applies)', () => {
    expect(statisticValue(statistics({}), 'goodRate', period)).toBeNull();
    expect(statisticValue(statistics({}), 'average', period)).toBeNull();
  });

  it('a rating counts from when it was given (or released from review) until it is removed', () => {
    const base = { status: 'counted', createdAt: '2026-03-01T00:00:00Z', reviewedAt: null, removedAt: null };
    expect(countedAt(base, '2026-03-02T00:00:00Z')).toBe(true);
    expect(countedAt(base, '2026-02-28T00:00:00Z')).toBe(false);
    expect(countedAt({ ...base, reviewedAt: '2026-03-05T00:00:00Z' }, '2026-03-02T00:00:00Z')).toBe(false);
    const removed = { ...base, status: 'removed', removedAt: '2026-04-01T00:00:00Z' };
    expect(countedAt(removed, '2026-03-02T00:00:00Z')).toBe(true);
    expect(countedAt(removed, '2026-04-02T00:00:00Z')).toBe(false);
    expect(countedAt({ ...base, status: 'held' }, '2026-03-02T00:00:00Z')).toBe(false);
  });

  it('has one source for every kind of leaf', () => {
    expect(Object.keys(SOURCES).sort()).toEqual(['campaign', 'imported', 'rating_statistic', 'score_sheet']);
  });
});

describeEachDatabase('score sources', (db) => {
  it('imported values are read as they stood at the run’s instant: a later correction is not seen', async () => {
    const { deps, clock } = db();
    const f = await seedScoring(deps, 'src1');
    const input = { series: 'survey', periodId: f.period2026, document: '抽访报告' };
    await storeScores(deps, FIXTURE_ACTOR, { ...input, values: [{ unitCode: f.s1.code, value: 80 }] });
    const before = clock.now().toISOString();
    clock.advanceMinutes(60);
    await storeScores(deps, FIXTURE_ACTOR, { ...input, values: [{ unitCode: f.s1.code, value: 85 }] });
    const units = [f.s1, f.s2].map((u) => ({ id: u.id, code: u.code, name: u.name }));
    const scheme = scoringDefinition(f);
    const periodInfo = { id: f.period2026, name: '2026年度', startDate: '2026-01-01', endDate: '2026-12-31' };
    const then = await collectValues(deps.database.db, scheme, {
      period: periodInfo,
      units,
      asOf: before,
      recount: false,
      goodFrom: 3,
    });
    const now = await collectValues(deps.database.db, scheme, {
      period: periodInfo,
      units,
      asOf: clock.now().toISOString(),
      recount: false,
      goodFrom: 3,
    });
    expect(then.survey?.[f.s1.id]?.value).toBe(80);
    expect(now.survey?.[f.s1.id]?.value).toBe(85);
    expect(Object.keys(now.survey ?? {})).toEqual([f.s1.id]);
    expect(Object.keys(now)).toEqual(['service', 'survey', 'joint']);
  });

  it('a campaign leaf naming a campaign that does not exist is refused, naming it, and nothing is stored', async () => {
    const { deps } = db();
    const f = await seedScoring(deps, 'src2');
    const definition: SchemeDefinition = scoringDefinition(f);
    const survey = definition.root.children?.[1];
    if (survey) survey.source = { kind: 'campaign', campaign: 'annual', measure: 'satisfaction' };
    const scheme = await createScheme(deps, FIXTURE_ACTOR, {
      code: 'src2-scheme',
      name: '测评方案',
      definition,
    });
    let refusal: AppError | null = null;
    try {
      await computeRun(deps, FIXTURE_ACTOR, {
        schemeId: scheme.id,
        periodId: f.period2026,
        groupKey: 'sections',
        acceptWarnings: FIXTURE_WARNINGS,
      });
    } catch (error) {
      if (error instanceof AppError) refusal = error;
    }
    expect(refusal).toMatchObject({
      status: 400,
      code: 'unknown_campaign',
      params: { campaign: 'annual' },
    });
    expect(await deps.database.db.selectFrom('scoringRuns').selectAll().execute()).toEqual([]);
  });
});
