import type { Deps } from '../core/context.js';
import { computeRun, createScheme, publishRun, recordReview } from '../scoring/service.js';
import {
  FIXTURE_ACTOR,
  scoringDefinition,
  seedScoring,
  seedValues,
  type ScoringFixture,
} from '../scoring/testing.js';
import type { SchemeDefinition } from '../scoring/types.js';

/*
 * For tests only: the scoring fixture (four sections, 2025 and 2026) with a scheme of its own, and runs
 * computed, approved through both review stages and published. With the fixture's values:
 *
 * | unit | 2025 rank | 2026 total | 2026 rank | change | 2026 grade |
 * |------|-----------|------------|-----------|--------|------------|
 * | S1   | 4         | 90         | 1         | +3     | 优秀       |
 * | S2   | 1         | 87         | 2         | −1     | 合格       |
 * | S3   | 3         | 68         | 3         | 0      | 合格       |
 * | S4   | 2         | 54         | 4         | −2     | 合格       |
 *
 * 2026: S4 declined most (largest_decline); the lists as approved are best [S1], worst [S4].
 */

export async function publishedFixture(
  deps: Deps,
  prefix: string,
  adapt: (d: SchemeDefinition) => SchemeDefinition = (d) => d,
): Promise<{ f: ScoringFixture; schemeId: string }> {
  const f = await seedScoring(deps, prefix);
  await seedValues(deps, f);
  const scheme = await createScheme(deps, FIXTURE_ACTOR, {
    code: `${prefix}-scheme`,
    name: '科室满意度考核',
    definition: adapt(scoringDefinition(f)),
  });
  return { f, schemeId: scheme.id };
}

/** Every warning scoring may raise before a run is computed, reviewed or published: the fixture accepts them. */
const ACCEPT = [
  'source_without_values',
  'source_partly_without_values',
  'period_not_ended',
  'list_size_differs',
  'problems_missing',
];

/** Computes, approves (both stages, on the clock's day) and publishes a run; its id. */
export async function publish(deps: Deps, schemeId: string, periodId: string): Promise<string> {
  const run = await computeRun(deps, FIXTURE_ACTOR, {
    schemeId,
    periodId,
    groupKey: 'sections',
    acceptWarnings: ACCEPT,
  });
  const decidedOn = new Date(deps.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  await recordReview(deps, FIXTURE_ACTOR, run.id, {
    stageIndex: 0,
    body: '区纪委',
    decidedOn,
    decision: 'approve',
  });
  await recordReview(deps, FIXTURE_ACTOR, run.id, {
    stageIndex: 1,
    body: '区委',
    decidedOn,
    decision: 'approve',
  });
  await publishRun(deps, FIXTURE_ACTOR, run.id, { acceptWarnings: ACCEPT });
  return run.id;
}
