import { canonicalJson, sha256Hex } from '../core/digest.js';
import { Invalid } from '../core/errors.js';
import { roundTo } from '../core/stats.js';
import {
  RATING_STATISTICS,
  ISSUER_MAX_LENGTH,
  type RatingStatisticKey,
  type SourceSpec,
  type SourceKind,
  type Mapping,
  type ComponentNode,
  type SchemeDefinition,
  type GroupUnit,
  type RankingInput,
  type ComponentFlag,
  type ComponentResult,
  type ResultFlag,
  type FiredRule,
  type UnitResult,
  type RankingOutcome,
  type ReviewLists,
  type ReviewDecision,
  type SchemeProblem,
} from './types.js';

export { canonicalJson };
// The shapes live in types.ts (shared with the console); the rules below.
export * from './types.js';

/*
 * Scoring schemes (考核方案) and the ranking engine: pure rules, no I/O.
 *
 * A scheme version is a JSON document (SchemeDefinition). A run feeds the engine the units of one ranking
 * group and, for every leaf, the raw value each unit has (collected by a source in service code); the
 * engine computes every component's points, the totals, ranks, grades, flags, lists and an explanation of
 * each number. It computes in doubles from raw inputs in a fixed order and rounds once at the end, so the
 * same inputs give byte-identical results on SQLite, PostgreSQL and `minping verify result`.
 *
 * THE RULES (docs/scoring.md copies these; keep them exact)
 *
 * A sound scheme (schemeProblems lists every breach, validateScheme refuses the first):
 * - precision is an integer 0–6; every component has an id of letters, digits, '_' and '-', unique in the
 *   scheme, a non-empty name and maxPoints > 0 (finite).
 * - An inner node's children's maxPoints add up to its own (tolerance 1e-9). A node has either children or
 *   a source and mapping, never both. A node may be at most 32 levels deep.
 * - A leaf names a source and a mapping: linear needs from ≠ to; steps needs at least one step, every share
 *   within 0–1; rank_rule needs fullUpTo ≥ 1, lastRank ≥ fullUpTo, stepShare and floorShare within 0–1.
 *   `missing` is 'zero' (the default) or 'average'.
 * - A component may not contain itself: neither the same object below itself nor a descendant repeating
 *   an ancestor's id (a cycle).
 * - At least one ranking group; keys unique; each group names at least one membership criterion
 *   (categoryCodes, kinds or unitCodes; withinCode only narrows).
 * - Grade keys are unique; minScore is finite, maxShare within (0, 1], quota a whole number ≥ 0.
 * - A promotion names existing leaves, a grade of the scheme and maxRank > 0; tieBreak names components.
 * - List sizes are whole numbers ≥ 0. Review stage sizes are whole numbers > 0, never larger than the
 *   stage before, and never larger than the larger proposed list.
 * - issuer, when given, is one line (no control characters) of 1–40 characters, not blank.
 *
 * Points of a leaf, for every unit of the group:
 * - value v = input.values[leaf][unit]. When it carries a sampleSize n < uncertainty.minSample (m) the
 *   component is flagged small_sample; when uncertainty.shrink is on, v' = (n·v + m·mean) / (n + m), where
 *   mean is the plain mean of the recorded values of all group units having a value for that leaf; the
 *   component is flagged shrunk and the interval bounds are shrunk alike: low' = (n·low + m·mean) / (n + m),
 *   high' likewise, so the interval stays within the range of the values (a rate within 0–1).
 * - mapping, for a leaf worth max points: direct → v clamped to [0, max]; linear → (v − from)/(to − from)
 *   clamped to [0, 1], × max (to < from when lower is better); steps → the step with the highest atLeast
 *   that v reaches gives share × max, none reached gives 0; rank_rule → rank ≤ fullUpTo: 100%;
 *   fullUpTo < rank ≤ lastRank: 1 − (rank − fullUpTo)·stepShare (never below 0); beyond lastRank:
 *   floorShare. Chuzhou (3, 0.05, 16): rank 3 → 100%, 4 → 95%, 16 → 35%, 17 → the floor.
 * - A unit without a value: missing 'zero' → 0 points, flagged no_value; 'average' → the mean of the
 *   (unrounded) points of the group units that have a value, flagged average_substituted (0 and no_value
 *   when no unit has one).
 * - A leaf value with an interval (low, high) maps both bounds through the mapping: pointsInterval, ordered.
 * - An inner node's points are the sum of its children's unrounded points; the total is the root's.
 * - Rounding happens once, at the end, half away from zero to `precision` decimals, for every published
 *   figure (points, total, intervals, bonus). A parent's rounded points may therefore differ from the sum
 *   of its children's rounded points in the last decimal. Raw values in the explanation keep 6 decimals.
 * - The total's interval is total ± √(Σ h²), h the half-width of each leaf's pointsInterval (independent
 *   components combined in quadrature), kept within [0, the paper's maximum]; none when no leaf has an
 *   interval. Components read from the same ratings (好评率 and 差评率) are not independent: their
 *   errors add up, so for such a scheme the interval is narrower than it should be.
 *
 * Ranks, flags, grades and lists:
 * - Units are ordered by rounded total, highest first; equal totals are ordered by the rounded points of
 *   the tieBreak components, in order, highest first; units still equal share a rank (standard competition
 *   ranking: 1, 2, 2, 4) and are listed by unit code. A unit whose total equals another's gets a 'tie' rule.
 * - Neighbours in rank order with different ranks whose rounded total intervals overlap are both flagged
 *   indistinct (not clearly distinguishable).
 * - A veto (一票否决) flags the unit vetoed with a 'veto' rule (reason, evidence). With veto.barsTopGrade it
 *   cannot receive the first grade, not even by promotion (the veto wins over a promotion); with
 *   veto.toBottomList it is put on the worst list whatever its score. It keeps its bonusScore.
 * - Promotion (例外晋级): the first promotion rule (in scheme order) with a listed leaf whose recorded value
 *   (a rank; before any shrinkage) is ≤ maxRank gives its grade regardless of score; flagged promoted.
 *   Promoted units are counted outside every grade quota. A promotion into the first grade is withheld from
 *   a unit vetoed under barsTopGrade; the next rule that fires, if any, applies instead.
 * - Grades (best first): in rank order each unit not promoted gets the first grade whose conditions it
 *   meets: minScore (rounded total ≥ minScore), maxShare (rank ≤ maxShare × group size, allowing 1e-9
 *   for binary fractions), quota (fewer than quota units already in it). A tie at a quota's edge is never
 *   split: when not all the units sharing a rank fit, none of them get the grade, and the grade is closed
 *   to every lower-ranked unit. The last grade takes every unit left (its own conditions are not applied);
 *   with a single grade and barsTopGrade, a vetoed unit has no grade. No grades: grade null. A 'grade'
 *   rule on each unit says which conditions it met (or why a tie was left out).
 * - bonusScore is the rounded total when bonusByActualScore, else null.
 * - Best list: the first lists.best units in rank order, never a vetoed unit. Worst list, worst first:
 *   with veto.toBottomList every vetoed unit first (by rank, worst first; this may make the list longer
 *   than lists.worst), then the lowest ranked units not on the best list until it holds lists.worst units.
 *   Within a shared rank units are taken by code, so a tie at a list's edge is broken by code; the review
 *   stages may amend the lists. lists.worst = 0: no worst list, vetoed units are not listed either.
 * - Rank change (against input.previous, the previous published run; its ranks keyed by unit id):
 *   previousRank, rankChange = previousRank − rank (positive when the unit rose; null if it was not ranked
 *   then). largestDecline: the units with the largest decline (rank − previousRank > 0), all of them on a
 *   tie, in rank order, flagged largest_decline; declinedTwoRunning: units that declined now and are in
 *   previous.declined, ordered by decline (largest first) then code, flagged declined_two_running.
 * - A unit is flagged small_sample when any of its components is.
 * - Every component result carries `working`, one English sentence saying how its value became its points.
 * - A unit's parentName (its parent as of the period's end), when the input gives one, is copied to its
 *   result as it is, so a published result names the department a section then belonged to.
 * - computeRanking checks the scheme first (Invalid 'invalid_scheme'), refuses a unit listed twice
 *   ('duplicate_unit') and a value that is not a finite number ('bad_value'). It reads units in input order
 *   and never relies on object key order, so the same input gives byte-identical output.
 *
 * Review (applyReviewStage): approve cuts each list to the stage's size keeping its order; amend may
 * remove and reorder units but never add one that was not on the list before the stage, with a non-blank
 * reason, no unit twice, and each list no longer than the stage's size.
 *
 * canonicalJson: object keys sorted at every level (by UTF-16 code units), arrays kept in order, undefined
 * object members dropped (undefined in an array becomes null, as in JSON), NaN and ±Infinity refused, a
 * value containing itself refused. digestOf: SHA-256 (hex) of canonicalJson.
 */

// --- scheme checks ---------------------------------------------------------------------------------

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_DEPTH = 32;
const POINTS_TOLERANCE = 1e-9;
const SOURCE_KINDS: readonly SourceKind[] = ['rating_statistic', 'imported', 'score_sheet', 'campaign'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isWhole(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

function isShare(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0 && value <= 1;
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** A number as a message shows it: no binary noise like 0.30000000000000004. */
function shown(value: number): string {
  return String(roundTo(value, 9) + 0);
}

function label(node: Record<string, unknown>): string {
  const id = typeof node.id === 'string' ? node.id : '?';
  return nonBlank(node.name) ? `Component '${id}' (${node.name})` : `Component '${id}'`;
}

function sourceProblem(source: unknown): string | null {
  if (!isRecord(source)) return 'its source is not an object';
  const kind = source.kind;
  if (typeof kind !== 'string' || !SOURCE_KINDS.includes(kind as SourceKind)) {
    return `its source kind must be one of ${SOURCE_KINDS.join(', ')}`;
  }
  switch (kind as SourceKind) {
    case 'rating_statistic':
      return typeof source.statistic === 'string' &&
        RATING_STATISTICS.includes(source.statistic as RatingStatisticKey)
        ? null
        : `its rating statistic must be one of ${RATING_STATISTICS.join(', ')}`;
    case 'imported':
      return nonBlank(source.series) ? null : 'its imported source names no series';
    case 'score_sheet':
      return nonBlank(source.task) ? null : 'its score-sheet source names no task';
    case 'campaign':
      return nonBlank(source.campaign) && nonBlank(source.measure)
        ? null
        : 'its campaign source must name a campaign and a measure';
  }
}

function mappingProblem(mapping: Record<string, unknown>): string | null {
  switch (mapping.kind) {
    case 'direct':
      return null;
    case 'linear':
      if (!isFiniteNumber(mapping.from) || !isFiniteNumber(mapping.to)) {
        return 'its linear mapping needs numbers from and to';
      }
      return mapping.from === mapping.to
        ? `its linear mapping runs from ${mapping.from} to the same value`
        : null;
    case 'steps': {
      const steps = mapping.steps;
      if (!Array.isArray(steps) || steps.length === 0) return 'its steps mapping has no steps';
      for (const step of steps) {
        if (!isRecord(step) || !isFiniteNumber(step.atLeast)) return 'every step needs a number atLeast';
        if (!isShare(step.share)) return `the step at ${step.atLeast} has a share outside 0–1`;
      }
      return null;
    }
    case 'rank_rule': {
      const { fullUpTo, lastRank, stepShare, floorShare } = mapping;
      if (!isFiniteNumber(fullUpTo) || fullUpTo < 1) return 'its rank rule needs fullUpTo ≥ 1';
      if (!isFiniteNumber(lastRank) || lastRank < fullUpTo) {
        return `its rank rule needs lastRank ≥ fullUpTo (${fullUpTo})`;
      }
      if (!isShare(stepShare)) return 'its rank rule needs a stepShare within 0–1';
      if (!isShare(floorShare)) return 'its rank rule needs a floorShare within 0–1';
      return null;
    }
    default:
      return 'its mapping kind must be direct, linear, steps or rank_rule';
  }
}

interface TreeFacts {
  leafIds: Set<string>;
  allIds: Set<string>;
}

type Walk =
  | { exit: false; node: unknown; depth: number; parent: string | null }
  | { exit: true; node: object; id: string | null };

/** Checks the component tree without recursion, so that neither depth nor a cycle can overflow the stack. */
function treeProblems(root: unknown, problems: SchemeProblem[]): TreeFacts {
  const facts: TreeFacts = { leafIds: new Set(), allIds: new Set() };
  const onPath = new Set<object>();
  const idsOnPath = new Map<string, number>();
  const visited = new Set<object>();
  const stack: Walk[] = [{ exit: false, node: root, depth: 1, parent: null }];
  const add = (component: string | null, code: string, message: string) =>
    problems.push({ component, code, message });

  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.exit) {
      onPath.delete(step.node);
      if (step.id !== null) {
        const left = (idsOnPath.get(step.id) ?? 1) - 1;
        if (left === 0) idsOnPath.delete(step.id);
        else idsOnPath.set(step.id, left);
      }
      continue;
    }
    const { node, depth, parent } = step;
    const where = parent === null ? 'The root component' : `A child of '${parent}'`;
    if (!isRecord(node)) {
      add(parent, 'not_object', `${where} is not an object.`);
      continue;
    }
    const id = typeof node.id === 'string' ? node.id : null;
    const name = label(node);
    if (onPath.has(node)) {
      add(id, 'cycle', `${name} contains itself (a cycle).`);
      continue;
    }
    if (visited.has(node)) {
      add(id, 'duplicate_id', `${name} appears twice in the scheme; ids must be unique.`);
      continue;
    }
    visited.add(node);

    let cyclic = false;
    if (id === null || id === '') {
      add(parent, 'missing_field', `${where} has no id.`);
    } else {
      if (!ID_PATTERN.test(id)) {
        add(id, 'bad_id', `${name}: an id may hold only letters, digits, '_' and '-'.`);
      }
      if (idsOnPath.has(id)) {
        cyclic = true;
        add(id, 'cycle', `${name} contains itself (a cycle): a descendant repeats the id of its ancestor.`);
      } else if (facts.allIds.has(id)) {
        add(id, 'duplicate_id', `${name}: the id '${id}' is used by another component; ids must be unique.`);
      }
      facts.allIds.add(id);
    }
    if (!nonBlank(node.name)) add(id, 'missing_field', `${name} has no name.`);
    const max = node.maxPoints;
    const maxOk = isFiniteNumber(max) && max > 0;
    if (!maxOk) add(id, 'bad_max_points', `${name}: maxPoints must be a positive number.`);
    if (cyclic) continue;

    const children = node.children;
    if (children !== undefined && !Array.isArray(children)) {
      add(id, 'missing_field', `${name}: children must be a list of components.`);
      continue;
    }
    if (Array.isArray(children) && children.length > 0) {
      if (node.source !== undefined || node.mapping !== undefined) {
        add(
          id,
          'children_and_source',
          `${name} has both children and a source or mapping; a node is one or the other.`,
        );
      }
      if (depth >= MAX_DEPTH) {
        add(
          id,
          'too_deep',
          `${name} is ${depth} levels deep; a scheme may nest at most ${MAX_DEPTH} levels.`,
        );
        continue;
      }
      const points = children.map((child) => (isRecord(child) ? child.maxPoints : undefined));
      if (maxOk && points.every((p) => isFiniteNumber(p) && p > 0)) {
        const sum = (points as number[]).reduce((a, b) => a + b, 0);
        if (Math.abs(sum - max) > POINTS_TOLERANCE) {
          add(
            id,
            'points_mismatch',
            `${name}: its children's points add up to ${shown(sum)}, not its own ${shown(max)}.`,
          );
        }
      }
      onPath.add(node);
      if (id !== null) idsOnPath.set(id, (idsOnPath.get(id) ?? 0) + 1);
      stack.push({ exit: true, node, id });
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push({ exit: false, node: children[i], depth: depth + 1, parent: id ?? parent });
      }
      continue;
    }

    // A leaf.
    if (id !== null) facts.leafIds.add(id);
    if (node.source === undefined) {
      add(id, 'no_source', `${name} is a leaf without a source: say where its value comes from.`);
    } else {
      const problem = sourceProblem(node.source);
      if (problem !== null) add(id, 'bad_source', `${name}: ${problem}.`);
    }
    if (node.mapping === undefined) {
      add(id, 'no_mapping', `${name} is a leaf without a mapping: say how its value becomes points.`);
    } else {
      const problem = isRecord(node.mapping) ? mappingProblem(node.mapping) : 'its mapping is not an object';
      if (problem !== null) add(id, 'bad_mapping', `${name}: ${problem}.`);
    }
    if (node.missing !== undefined && node.missing !== 'zero' && node.missing !== 'average') {
      add(id, 'bad_missing_rule', `${name}: the rule for units without a value must be 'zero' or 'average'.`);
    }
  }
  return facts;
}

/** Every problem of a definition (empty when it is sound), for the editor's live check. */
export function schemeProblems(definition: unknown): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const add = (component: string | null, code: string, message: string) =>
    problems.push({ component, code, message });
  if (!isRecord(definition)) {
    add(null, 'not_object', 'The scheme must be an object.');
    return problems;
  }
  const d = definition;

  if (d.precision === undefined) add(null, 'missing_field', "The scheme has no 'precision' (decimals, 0–6).");
  else if (!isWhole(d.precision, 0) || d.precision > 6) {
    add(null, 'bad_precision', 'The precision must be a whole number of decimals from 0 to 6.');
  }

  let facts: TreeFacts = { leafIds: new Set(), allIds: new Set() };
  if (d.root === undefined) add(null, 'missing_field', "The scheme has no 'root' component.");
  else facts = treeProblems(d.root, problems);

  // Ranking groups.
  if (!Array.isArray(d.groups) || d.groups.length === 0) {
    add(null, 'no_groups', 'The scheme needs at least one ranking group.');
  } else {
    const keys = new Set<string>();
    for (const group of d.groups as unknown[]) {
      if (!isRecord(group) || !nonBlank(group.key) || !nonBlank(group.name)) {
        add(null, 'bad_group', 'Every ranking group needs a key and a name.');
        continue;
      }
      if (keys.has(group.key)) {
        add(null, 'duplicate_group', `The ranking group key '${group.key}' is used twice.`);
      }
      keys.add(group.key);
      const criteria = [group.categoryCodes, group.kinds, group.unitCodes];
      for (const list of criteria) {
        if (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === 'string'))) {
          add(
            null,
            'bad_group',
            `The ranking group '${group.key}' has a criterion that is not a list of codes.`,
          );
        }
      }
      if (!criteria.some((list) => Array.isArray(list) && list.length > 0)) {
        add(
          null,
          'group_without_members',
          `The ranking group '${group.key}' names no membership criterion (categories, kinds or unit codes).`,
        );
      }
      if (group.withinCode !== undefined && !nonBlank(group.withinCode)) {
        add(null, 'bad_group', `The ranking group '${group.key}' has an empty withinCode.`);
      }
    }
  }

  // Tie-break.
  if (!Array.isArray(d.tieBreak)) {
    add(null, 'missing_field', "The scheme has no 'tieBreak' list (it may be empty).");
  } else {
    for (const id of d.tieBreak as unknown[]) {
      if (typeof id !== 'string' || !facts.allIds.has(id)) {
        add(
          null,
          'unknown_tie_break',
          `The tie-break names '${String(id)}', which is not a component of the scheme.`,
        );
      }
    }
  }

  // Uncertainty and veto.
  if (!isRecord(d.uncertainty)) add(null, 'missing_field', "The scheme has no 'uncertainty' settings.");
  else if (!isFiniteNumber(d.uncertainty.minSample) || d.uncertainty.minSample < 0) {
    add(null, 'bad_uncertainty', 'The minimum sample must be a number ≥ 0.');
  } else if (typeof d.uncertainty.shrink !== 'boolean') {
    add(null, 'bad_uncertainty', 'Say whether small samples are shrunk (shrink: true or false).');
  }
  if (!isRecord(d.veto)) add(null, 'missing_field', "The scheme has no 'veto' settings.");
  else if (typeof d.veto.barsTopGrade !== 'boolean' || typeof d.veto.toBottomList !== 'boolean') {
    add(null, 'bad_veto', 'The veto settings barsTopGrade and toBottomList must be true or false.');
  }
  if (typeof d.bonusByActualScore !== 'boolean') {
    add(null, 'missing_field', "Say whether a bonus figure by actual score is kept ('bonusByActualScore').");
  }

  // Grades.
  const gradeKeys = new Set<string>();
  if (!Array.isArray(d.grades))
    add(null, 'missing_field', "The scheme has no 'grades' list (it may be empty).");
  else {
    for (const grade of d.grades as unknown[]) {
      if (!isRecord(grade) || !nonBlank(grade.key) || !nonBlank(grade.name)) {
        add(null, 'bad_grade', 'Every grade needs a key and a name.');
        continue;
      }
      if (gradeKeys.has(grade.key))
        add(null, 'duplicate_grade', `The grade key '${grade.key}' is used twice.`);
      gradeKeys.add(grade.key);
      if (grade.minScore !== undefined && !isFiniteNumber(grade.minScore)) {
        add(null, 'bad_grade', `The grade '${grade.key}' has a minScore that is not a number.`);
      }
      if (grade.maxShare !== undefined && !(isShare(grade.maxShare) && grade.maxShare > 0)) {
        add(null, 'bad_grade', `The grade '${grade.key}' has a maxShare outside (0, 1].`);
      }
      if (grade.quota !== undefined && !isWhole(grade.quota, 0)) {
        add(null, 'bad_grade', `The grade '${grade.key}' has a quota that is not a whole number ≥ 0.`);
      }
    }
  }

  // Promotions.
  if (!Array.isArray(d.promotions)) {
    add(null, 'missing_field', "The scheme has no 'promotions' list (it may be empty).");
  } else {
    const ids = new Set<string>();
    for (const rule of d.promotions as unknown[]) {
      if (!isRecord(rule) || !nonBlank(rule.id) || !nonBlank(rule.label)) {
        add(null, 'bad_promotion', 'Every promotion rule needs an id and a label.');
        continue;
      }
      if (ids.has(rule.id))
        add(null, 'duplicate_promotion', `The promotion rule id '${rule.id}' is used twice.`);
      ids.add(rule.id);
      if (!Array.isArray(rule.leaves) || rule.leaves.length === 0) {
        add(null, 'bad_promotion', `The promotion rule '${rule.id}' names no leaf.`);
      } else {
        for (const leaf of rule.leaves as unknown[]) {
          if (typeof leaf !== 'string' || !facts.leafIds.has(leaf)) {
            add(
              leaf === undefined || typeof leaf !== 'string' ? null : leaf,
              'unknown_promotion_leaf',
              `The promotion rule '${rule.id}' names '${String(leaf)}', which is not a leaf of the scheme.`,
            );
          }
        }
      }
      if (!isFiniteNumber(rule.maxRank) || rule.maxRank <= 0) {
        add(null, 'bad_promotion', `The promotion rule '${rule.id}' needs a maxRank > 0.`);
      }
      if (typeof rule.grade !== 'string' || !gradeKeys.has(rule.grade)) {
        add(
          null,
          'unknown_promotion_grade',
          `The promotion rule '${rule.id}' gives the grade '${String(rule.grade)}', which the scheme does not define.`,
        );
      }
    }
  }

  // The issuing office (optional).
  if (
    d.issuer !== undefined &&
    !(
      typeof d.issuer === 'string' &&
      d.issuer.trim() !== '' &&
      [...d.issuer].length <= ISSUER_MAX_LENGTH &&
      ![...d.issuer].some((c) => c < ' ' || c === '\u007f')
    )
  ) {
    add(
      null,
      'bad_issuer',
      `The issuing office is one line of 1–${ISSUER_MAX_LENGTH} characters (e.g. 示范市绩效考核办公室); leave it out to print 考核办公室.`,
    );
  }

  // Lists and review stages.
  let largestList: number | null = null;
  if (!isRecord(d.lists)) add(null, 'missing_field', "The scheme has no 'lists' sizes.");
  else if (!isWhole(d.lists.best, 0) || !isWhole(d.lists.worst, 0)) {
    add(null, 'bad_list_size', 'The best and worst list sizes must be whole numbers ≥ 0.');
  } else largestList = Math.max(d.lists.best, d.lists.worst);
  if (!isRecord(d.review) || !Array.isArray(d.review.stages)) {
    add(null, 'missing_field', "The scheme has no 'review' stages list (it may be empty).");
  } else {
    let before: number | null = null;
    (d.review.stages as unknown[]).forEach((stage, index) => {
      const n = index + 1;
      if (!isRecord(stage) || !nonBlank(stage.name) || !nonBlank(stage.body)) {
        add(null, 'bad_stage', `Review stage ${n} needs a name and the body that decides.`);
        return;
      }
      if (!isWhole(stage.size, 1)) {
        add(
          null,
          'bad_stage_size',
          `Review stage ${n} (${stage.name}) must keep a whole number > 0 of units.`,
        );
        return;
      }
      if (before !== null && stage.size > before) {
        add(
          null,
          'stage_size_increases',
          `Review stage ${n} (${stage.name}) keeps ${stage.size} units, more than the ${before} of the stage before.`,
        );
      }
      if (largestList !== null && stage.size > largestList) {
        add(
          null,
          'stage_larger_than_list',
          `Review stage ${n} (${stage.name}) keeps ${stage.size} units, more than the proposed lists hold (${largestList}).`,
        );
      }
      before = stage.size;
    });
  }
  return problems;
}

/** The definition, typed, or Invalid('invalid_scheme') naming the first problem's component. */
export function validateScheme(definition: unknown): SchemeDefinition {
  const problems = schemeProblems(definition);
  const first = problems[0];
  if (first !== undefined) {
    throw new Invalid('invalid_scheme', first.message, { component: first.component, problem: first.code });
  }
  return definition as SchemeDefinition;
}

// --- helpers for service code ----------------------------------------------------------------------

/** The scheme's leaves in tree order (the components a run collects values for). */
export function leafComponents(scheme: SchemeDefinition): ComponentNode[] {
  return componentList(scheme)
    .filter((entry) => entry.leaf)
    .map((entry) => entry.node);
}

/** Every component in tree order with its depth (the root is 0), for tables and exports. */
export function componentList(
  scheme: SchemeDefinition,
): { id: string; name: string; maxPoints: number; depth: number; leaf: boolean; node: ComponentNode }[] {
  const out: {
    id: string;
    name: string;
    maxPoints: number;
    depth: number;
    leaf: boolean;
    node: ComponentNode;
  }[] = [];
  const stack: { node: ComponentNode; depth: number }[] = [{ node: scheme.root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const children = node.children ?? [];
    out.push({
      id: node.id,
      name: node.name,
      maxPoints: node.maxPoints,
      depth,
      leaf: children.length === 0,
      node,
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: depth + 1 });
  }
  return out;
}

/** Every component's published (rounded) points of one unit result, keyed by component id. */
export function componentPoints(result: UnitResult): Record<string, number> {
  const out: Record<string, number> = {};
  const stack: ComponentResult[] = [result.explanation];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out[node.id] = node.points;
    for (const child of node.children ?? []) stack.push(child);
  }
  return out;
}

// --- the ranking engine ------------------------------------------------------------------------------

interface Interval {
  low: number;
  high: number;
}

/** One unit's unrounded outcome on one leaf. */
interface LeafOutcome {
  points: number;
  pointsInterval: Interval | null;
  value: number | null;
  recorded: number | null;
  sampleSize: number | null;
  valueInterval: Interval | null;
  provenance: string | null;
  flags: ComponentFlag[];
  working: string;
  rules: FiredRule[];
}

const COMPONENT_FLAG_ORDER: readonly ComponentFlag[] = [
  'small_sample',
  'shrunk',
  'average_substituted',
  'no_value',
];
const RESULT_FLAG_ORDER: readonly ResultFlag[] = [
  'vetoed',
  'promoted',
  'small_sample',
  'indistinct',
  'largest_decline',
  'declined_two_running',
];

/** A copy of a mapping for a result, so that no result shares objects with the scheme. */
function copyMapping(mapping: Mapping): Mapping {
  return mapping.kind === 'steps'
    ? { ...mapping, steps: mapping.steps.map((step) => ({ ...step })) }
    : { ...mapping };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The share (0–1) of a leaf's points that a value earns under a mapping. */
function shareOf(mapping: Mapping, value: number, maxPoints: number): number {
  switch (mapping.kind) {
    case 'direct':
      return clamp(value, 0, maxPoints) / maxPoints;
    case 'linear':
      return clamp((value - mapping.from) / (mapping.to - mapping.from), 0, 1);
    case 'steps': {
      const step = sortedSteps(mapping).find((s) => value >= s.atLeast);
      return step === undefined ? 0 : step.share;
    }
    case 'rank_rule':
      if (value <= mapping.fullUpTo) return 1;
      if (value <= mapping.lastRank) return clamp(1 - (value - mapping.fullUpTo) * mapping.stepShare, 0, 1);
      return mapping.floorShare;
  }
}

function pointsOf(mapping: Mapping, value: number, maxPoints: number): number {
  // direct keeps the value itself (clamped) rather than value / max × max, which may lose a bit.
  return mapping.kind === 'direct'
    ? clamp(value, 0, maxPoints)
    : shareOf(mapping, value, maxPoints) * maxPoints;
}

function sortedSteps(mapping: {
  steps: { atLeast: number; share: number }[];
}): { atLeast: number; share: number }[] {
  return [...mapping.steps].sort((a, b) => b.atLeast - a.atLeast);
}

function percent(share: number): string {
  return `${shown(share * 100)}%`;
}

/** How a mapping turns a value into points, as the middle of a sentence: "on a linear scale 0→1 gives". */
function mappingPhrase(mapping: Mapping, value: number, maxPoints: number): string {
  switch (mapping.kind) {
    case 'direct':
      return `taken as points (clamped to 0–${shown(maxPoints)}) gives`;
    case 'linear':
      return `on a linear scale ${shown(mapping.from)}→${shown(mapping.to)} gives`;
    case 'steps': {
      const step = sortedSteps(mapping).find((s) => value >= s.atLeast);
      return step === undefined
        ? `reaches no step (the lowest is ${shown(Math.min(...mapping.steps.map((s) => s.atLeast)))}) and gives`
        : `reaches the step ≥ ${shown(step.atLeast)} (${percent(step.share)}) and gives`;
    }
    case 'rank_rule':
      return (
        `as a rank earns ${percent(shareOf(mapping, value, maxPoints))} (ranks 1–${shown(mapping.fullUpTo)} earn ` +
        `100%, ${percent(mapping.stepShare)} less per place through ${shown(mapping.lastRank)}, then ` +
        `${percent(mapping.floorShare)}) and gives`
      );
  }
}

/** What the value of a leaf is called in a sentence. */
function subjectOf(source: SourceSpec | undefined): string {
  if (source === undefined) return 'value';
  switch (source.kind) {
    case 'rating_statistic':
      return source.statistic.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
    case 'imported':
      return `imported ${source.series}`;
    case 'score_sheet':
      return `score sheet ${source.task}`;
    case 'campaign':
      return `campaign ${source.campaign} ${source.measure}`;
  }
}

function raw(value: number): number {
  return roundTo(value, 6) + 0;
}

function ordered(a: number, b: number): Interval {
  return a <= b ? { low: a, high: b } : { low: b, high: a };
}

function flagsInOrder<T extends string>(order: readonly T[], flags: Set<T>): T[] {
  return order.filter((flag) => flags.has(flag));
}

function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every unit's outcome on one leaf (index = unit index). */
function leafOutcomes(leaf: ComponentNode, input: RankingInput, precision: number): LeafOutcome[] {
  const { scheme, units } = input;
  const mapping = leaf.mapping!;
  const max = leaf.maxPoints;
  const fmt = (x: number) => String(roundTo(x, precision) + 0);
  const subject = subjectOf(leaf.source);
  const byUnit = Object.hasOwn(input.values, leaf.id) ? input.values[leaf.id]! : {};
  const recorded = units.map((unit) => {
    if (!Object.hasOwn(byUnit, unit.id)) return undefined;
    const value = byUnit[unit.id]!;
    const numbers = [value.value, value.sampleSize, value.low, value.high];
    if (!numbers.every((n) => n === undefined || isFiniteNumber(n)) || (value.sampleSize ?? 0) < 0) {
      throw new Invalid(
        'bad_value',
        `The value of '${leaf.id}' for unit ${unit.code} is not a finite number.`,
        {
          component: leaf.id,
          unitId: unit.id,
        },
      );
    }
    return value;
  });
  let sum = 0;
  let count = 0;
  for (const value of recorded) {
    if (value === undefined) continue;
    sum += value.value;
    count += 1;
  }
  const mean = count > 0 ? sum / count : 0;
  const m = scheme.uncertainty.minSample;

  const outcomes: (LeafOutcome | null)[] = recorded.map((source) => {
    if (source === undefined) return null;
    const flags = new Set<ComponentFlag>();
    const rules: FiredRule[] = [];
    let value = source.value;
    const n = source.sampleSize ?? null;
    let valueInterval: Interval | null =
      source.low !== undefined && source.high !== undefined ? ordered(source.low, source.high) : null;
    let note = '';
    if (n !== null && n < m) {
      flags.add('small_sample');
      note = ` (a sample of ${n}, below the minimum ${shown(m)})`;
      if (scheme.uncertainty.shrink) {
        const shrink = (x: number) => (n * x + m * mean) / (n + m);
        value = shrink(source.value);
        // The bounds by the same convex combination: they stay within the range the values can take.
        if (valueInterval !== null)
          valueInterval = { low: shrink(valueInterval.low), high: shrink(valueInterval.high) };
        flags.add('shrunk');
        note =
          ` (a sample of ${n}, below the minimum ${shown(m)}, shrunk toward the group mean ${raw(mean)} ` +
          `to ${raw(value)})`;
        rules.push({
          rule: 'shrinkage',
          detail:
            `${leaf.name}: ${subject} ${raw(source.value)} from a sample of ${n} (minimum ${shown(m)}) shrunk toward ` +
            `the group mean ${raw(mean)}: (${n}·${raw(source.value)} + ${shown(m)}·${raw(mean)}) / (${n} + ${shown(m)}) = ${raw(value)}.`,
          params: {
            component: leaf.id,
            recorded: raw(source.value),
            sampleSize: n,
            minSample: m,
            mean: raw(mean),
            value: raw(value),
          },
        });
      }
    }
    const points = pointsOf(mapping, value, max);
    const pointsInterval =
      valueInterval === null
        ? null
        : ordered(pointsOf(mapping, valueInterval.low, max), pointsOf(mapping, valueInterval.high, max));
    return {
      points,
      pointsInterval,
      value,
      recorded: source.value,
      sampleSize: n,
      valueInterval,
      provenance: source.provenance,
      flags: flagsInOrder(COMPONENT_FLAG_ORDER, flags),
      working:
        `${subject} ${raw(source.value)}${note} ${mappingPhrase(mapping, value, max)} ` +
        `${fmt(points)} of ${shown(max)} points`,
      rules,
    };
  });

  let pointSum = 0;
  let withValue = 0;
  for (const outcome of outcomes) {
    if (outcome === null) continue;
    pointSum += outcome.points;
    withValue += 1;
  }
  const rule = leaf.missing ?? 'zero';
  return outcomes.map((outcome) => {
    if (outcome !== null) return outcome;
    const empty = {
      pointsInterval: null,
      value: null,
      recorded: null,
      sampleSize: null,
      valueInterval: null,
      provenance: null,
    };
    if (rule === 'average' && withValue > 0) {
      const points = pointSum / withValue;
      return {
        ...empty,
        points,
        flags: ['average_substituted'],
        working:
          `no value recorded: given the average of the ${withValue} unit(s) that have one, ` +
          `${fmt(points)} of ${shown(max)} points`,
        rules: [
          {
            rule: 'average',
            detail: `${leaf.name}: no value recorded, so the unit receives the average points of the ${withValue} unit(s) that have one (${fmt(points)}).`,
            params: { component: leaf.id, units: withValue, points: roundTo(points, precision) + 0 },
          },
        ],
      };
    }
    return {
      ...empty,
      points: 0,
      flags: ['no_value'],
      working:
        rule === 'average'
          ? `no value recorded, and no unit of the group has one: 0 of ${shown(max)} points`
          : `no value recorded: a unit without one gets 0 of ${shown(max)} points`,
      rules: [],
    };
  });
}

interface UnitWork {
  index: number;
  unit: GroupUnit;
  rawTotal: number;
  total: number;
  interval: Interval | null;
  explanation: ComponentResult;
  points: Record<string, number>;
  tieKey: number[];
  flags: Set<ResultFlag>;
  componentRules: FiredRule[];
  tieRules: FiredRule[];
  vetoRules: FiredRule[];
  promotionRules: FiredRule[];
  gradeRules: FiredRule[];
  changeRules: FiredRule[];
  rank: number;
  grade: string | null;
  promotedTo: string | null;
  vetoed: boolean;
  previousRank: number | null;
}

/** Computes points, totals, ranks, grades, flags, lists and explanations for one ranking group. */
export function computeRanking(input: RankingInput): RankingOutcome {
  const scheme = validateScheme(input.scheme);
  const { units } = input;
  const precision = scheme.precision;
  const round = (x: number) => roundTo(x, precision) + 0;
  const fmt = (x: number) => String(round(x));
  const seen = new Set<string>();
  for (const unit of units) {
    if (seen.has(unit.id))
      throw new Invalid('duplicate_unit', `Unit ${unit.code} is in the group twice.`, { unitId: unit.id });
    seen.add(unit.id);
  }

  const leaves = new Map<string, LeafOutcome[]>();
  for (const leaf of leafComponents(scheme)) leaves.set(leaf.id, leafOutcomes(leaf, input, precision));

  // Every unit's tree, unrounded sums first, rounded once when published.
  const work: UnitWork[] = units.map((unit, index) => {
    const points: Record<string, number> = {};
    const componentRules: FiredRule[] = [];
    const flags = new Set<ResultFlag>();
    let squares = 0;
    let anyInterval = false;
    const build = (node: ComponentNode): { result: ComponentResult; raw: number } => {
      const children = node.children ?? [];
      if (children.length === 0) {
        const outcome = leaves.get(node.id)![index]!;
        componentRules.push(...outcome.rules);
        if (outcome.flags.includes('small_sample')) flags.add('small_sample');
        if (outcome.pointsInterval !== null) {
          anyInterval = true;
          squares += ((outcome.pointsInterval.high - outcome.pointsInterval.low) / 2) ** 2;
        }
        points[node.id] = round(outcome.points);
        const result: ComponentResult = {
          id: node.id,
          name: node.name,
          maxPoints: node.maxPoints,
          points: round(outcome.points),
          source: node.source === undefined ? undefined : { ...node.source },
          mapping: node.mapping === undefined ? undefined : copyMapping(node.mapping),
          value: outcome.value === null ? null : raw(outcome.value),
          recordedValue:
            outcome.flags.includes('shrunk') && outcome.recorded !== null ? raw(outcome.recorded) : null,
          sampleSize: outcome.sampleSize,
          valueInterval:
            outcome.valueInterval === null
              ? null
              : { low: raw(outcome.valueInterval.low), high: raw(outcome.valueInterval.high) },
          pointsInterval:
            outcome.pointsInterval === null
              ? null
              : { low: round(outcome.pointsInterval.low), high: round(outcome.pointsInterval.high) },
          provenance: outcome.provenance,
          working: outcome.working,
          flags: outcome.flags,
        };
        return { result, raw: outcome.points };
      }
      const parts = children.map(build);
      const sum = parts.reduce((acc, part) => acc + part.raw, 0);
      points[node.id] = round(sum);
      return {
        raw: sum,
        result: {
          id: node.id,
          name: node.name,
          maxPoints: node.maxPoints,
          points: round(sum),
          working:
            `the sum of its parts ${parts.map((p) => `${p.result.name} ${fmt(p.raw)}`).join(' + ')} ` +
            `gives ${fmt(sum)} of ${shown(node.maxPoints)} points`,
          flags: [],
          children: parts.map((p) => p.result),
        },
      };
    };
    const { result, raw: rawTotal } = build(scheme.root);
    const half = Math.sqrt(squares);
    return {
      index,
      unit,
      rawTotal,
      total: round(rawTotal),
      // A paper cannot score below 0 or above its maximum, whatever the spread of its parts.
      interval: anyInterval
        ? {
            low: round(Math.max(0, rawTotal - half)),
            high: round(Math.min(scheme.root.maxPoints, rawTotal + half)),
          }
        : null,
      explanation: result,
      points,
      tieKey: scheme.tieBreak.map((id) => points[id] ?? 0),
      flags,
      componentRules,
      tieRules: [],
      vetoRules: [],
      promotionRules: [],
      gradeRules: [],
      changeRules: [],
      rank: 0,
      grade: null,
      promotedTo: null,
      vetoed: false,
      previousRank: null,
    };
  });

  // Ranks: rounded total, then the tie-break components, then a shared rank listed by code.
  const compareScore = (a: UnitWork, b: UnitWork): number => {
    if (a.total !== b.total) return b.total - a.total;
    for (let i = 0; i < a.tieKey.length; i++) {
      const diff = b.tieKey[i]! - a.tieKey[i]!;
      if (diff !== 0) return diff;
    }
    return 0;
  };
  const sorted = [...work].sort(
    (a, b) => compareScore(a, b) || compareCodes(a.unit.code, b.unit.code) || a.index - b.index,
  );
  sorted.forEach((entry, i) => {
    const before = sorted[i - 1];
    entry.rank = before !== undefined && compareScore(before, entry) === 0 ? before.rank : i + 1;
  });
  const tieBreakNames = scheme.tieBreak.join(', ');
  const byTotal = new Map<number, number>();
  const byRank = new Map<number, number>();
  for (const entry of sorted) {
    byTotal.set(entry.total, (byTotal.get(entry.total) ?? 0) + 1);
    byRank.set(entry.rank, (byRank.get(entry.rank) ?? 0) + 1);
  }
  for (const entry of sorted) {
    const sameTotal = byTotal.get(entry.total)! - 1;
    if (sameTotal === 0) continue;
    const sharedWith = byRank.get(entry.rank)! - 1;
    const detail =
      sharedWith > 0
        ? `Total ${fmt(entry.rawTotal)} equals that of ${sameTotal} other unit(s); ` +
          (scheme.tieBreak.length > 0
            ? `the tie-break components (${tieBreakNames}) are equal too, so it shares rank ${entry.rank} with ${sharedWith} other unit(s).`
            : `the scheme breaks no ties, so it shares rank ${entry.rank} with ${sharedWith} other unit(s).`)
        : `Total ${fmt(entry.rawTotal)} equals that of ${sameTotal} other unit(s); the tie-break components (${tieBreakNames}) place it at rank ${entry.rank}.`;
    entry.tieRules.push({
      rule: 'tie',
      detail,
      params: {
        rank: entry.rank,
        total: entry.total,
        tiedOnTotal: sameTotal,
        sharedWith,
        tieBreak: tieBreakNames || null,
      },
    });
  }

  // Neighbours whose intervals overlap are not clearly distinguishable.
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.rank === b.rank || a.interval === null || b.interval === null) continue;
    if (a.interval.low <= b.interval.high && b.interval.low <= a.interval.high) {
      a.flags.add('indistinct');
      b.flags.add('indistinct');
    }
  }

  // Vetoes.
  const grades = scheme.grades;
  const top = grades[0];
  for (const entry of sorted) {
    for (const veto of input.vetoes) {
      if (veto.unitId !== entry.unit.id) continue;
      entry.vetoed = true;
      entry.flags.add('vetoed');
      const effects = [
        scheme.veto.barsTopGrade && top !== undefined ? `it cannot receive the grade ${top.name}` : null,
        scheme.veto.toBottomList && scheme.lists.worst > 0 ? 'it is put on the worst list for review' : null,
        scheme.lists.best > 0 ? 'it cannot be on the best list' : null,
      ].filter((x): x is string => x !== null);
      entry.vetoRules.push({
        rule: 'veto',
        detail: `One-vote veto: ${veto.reason}` + (effects.length > 0 ? `; ${effects.join(', ')}.` : '.'),
        params: { vetoId: veto.id, reason: veto.reason, evidence: veto.evidence },
      });
    }
  }
  const barred = (entry: UnitWork) => entry.vetoed && scheme.veto.barsTopGrade;

  // Promotions.
  const gradeByKey = new Map(grades.map((g) => [g.key, g]));
  for (const entry of sorted) {
    for (const rule of scheme.promotions) {
      const hit = rule.leaves.find((leafId) => {
        const recorded = leaves.get(leafId)?.[entry.index]?.recorded;
        return recorded !== undefined && recorded !== null && recorded <= rule.maxRank;
      });
      if (hit === undefined) continue;
      const rank = leaves.get(hit)![entry.index]!.recorded!;
      const grade = gradeByKey.get(rule.grade)!;
      if (barred(entry) && top !== undefined && rule.grade === top.key) {
        entry.vetoRules.push({
          rule: 'veto',
          detail: `The promotion "${rule.label}" (rank ${raw(rank)} on '${hit}') would give the grade ${grade.name}, but the veto bars the top grade; the veto wins.`,
          params: { promotion: rule.id, component: hit, rank: raw(rank), grade: rule.grade },
        });
        continue;
      }
      entry.promotedTo = rule.grade;
      entry.flags.add('promoted');
      entry.promotionRules.push({
        rule: 'promotion',
        detail: `${rule.label}: rank ${raw(rank)} on '${hit}' is within ${shown(rule.maxRank)}, so the unit is graded ${grade.name} regardless of score (outside the grade's quota).`,
        params: {
          promotion: rule.id,
          component: hit,
          rank: raw(rank),
          maxRank: rule.maxRank,
          grade: rule.grade,
        },
      });
      break;
    }
  }

  // Grades, rank by rank; a tie at a quota's edge is never split.
  const size = units.length;
  const used = grades.map(() => 0);
  const closed = grades.map(() => false);
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end < sorted.length && sorted[end]!.rank === sorted[start]!.rank) end++;
    const group = sorted.slice(start, end);
    start = end;
    for (const entry of group) {
      if (entry.promotedTo === null) continue;
      entry.grade = entry.promotedTo;
      entry.gradeRules.push({
        rule: 'grade',
        detail: `Grade ${gradeByKey.get(entry.promotedTo)!.name} by promotion, counted outside the quota.`,
        params: { grade: entry.promotedTo, rank: entry.rank, total: entry.total },
      });
    }
    let remaining = group.filter((entry) => entry.promotedTo === null);
    grades.forEach((grade, gi) => {
      if (remaining.length === 0) return;
      const last = gi === grades.length - 1;
      let eligible = remaining.filter((entry) => !(gi === 0 && barred(entry)));
      const reasons: string[] = [];
      if (!last) {
        eligible = eligible.filter(
          (entry) =>
            (grade.minScore === undefined || entry.total >= grade.minScore) &&
            (grade.maxShare === undefined || entry.rank <= grade.maxShare * size + 1e-9),
        );
        if (grade.minScore !== undefined) reasons.push(`total ≥ ${shown(grade.minScore)}`);
        if (grade.maxShare !== undefined) {
          reasons.push(
            `rank within the top ${percent(grade.maxShare)} of ${size} units (≤ ${shown(grade.maxShare * size)})`,
          );
        }
        if (grade.quota !== undefined && eligible.length > 0) {
          if (closed[gi] || used[gi]! + eligible.length > grade.quota) {
            if (!closed[gi] && used[gi]! < grade.quota) {
              for (const entry of eligible) {
                entry.gradeRules.push({
                  rule: 'grade',
                  detail: `Not graded ${grade.name}: the ${eligible.length} units sharing rank ${entry.rank} do not all fit in its quota of ${grade.quota} (${grade.quota - used[gi]!} place(s) left), and a tie is never split.`,
                  params: {
                    grade: grade.key,
                    rank: entry.rank,
                    quota: grade.quota,
                    placesLeft: grade.quota - used[gi]!,
                  },
                });
              }
            }
            closed[gi] = true;
            eligible = [];
          } else {
            reasons.push(`within its quota of ${grade.quota}`);
          }
        }
        if (reasons.length === 0) reasons.push('the grade sets no condition');
      } else {
        reasons.push('the last grade takes every unit left');
      }
      for (const entry of eligible) {
        entry.grade = grade.key;
        used[gi] = used[gi]! + 1;
        entry.gradeRules.push({
          rule: 'grade',
          detail: `Grade ${grade.name} at rank ${entry.rank} with total ${fmt(entry.rawTotal)}: ${reasons.join('; ')}.`,
          params: {
            grade: grade.key,
            rank: entry.rank,
            total: entry.total,
            minScore: grade.minScore ?? null,
            maxShare: grade.maxShare ?? null,
            quota: grade.quota ?? null,
          },
        });
      }
      const taken = new Set(eligible);
      remaining = remaining.filter((entry) => !taken.has(entry));
    });
  }

  // Proposed lists.
  const best = sorted
    .filter((entry) => !entry.vetoed)
    .slice(0, scheme.lists.best)
    .map((entry) => entry.unit.id);
  const worst: string[] = [];
  const listed = new Set(best);
  if (scheme.lists.worst > 0) {
    const worstFirst = [...sorted].sort(
      (a, b) => b.rank - a.rank || compareCodes(a.unit.code, b.unit.code) || a.index - b.index,
    );
    if (scheme.veto.toBottomList) {
      for (const entry of worstFirst) {
        if (!entry.vetoed) continue;
        worst.push(entry.unit.id);
        listed.add(entry.unit.id);
      }
    }
    for (const entry of worstFirst) {
      if (worst.length >= scheme.lists.worst) break;
      if (listed.has(entry.unit.id)) continue;
      worst.push(entry.unit.id);
      listed.add(entry.unit.id);
    }
  }

  // Rank change against the previous published run.
  const previous = input.previous;
  const declines = new Map<UnitWork, number>();
  if (previous !== null) {
    for (const entry of sorted) {
      if (!Object.hasOwn(previous.ranks, entry.unit.id)) continue;
      entry.previousRank = previous.ranks[entry.unit.id]!;
      const decline = entry.rank - entry.previousRank;
      if (decline > 0) declines.set(entry, decline);
    }
  }
  const largest = Math.max(0, ...declines.values());
  const largestDecline = sorted.filter((entry) => largest > 0 && declines.get(entry) === largest);
  for (const entry of largestDecline) {
    entry.flags.add('largest_decline');
    entry.changeRules.push({
      rule: 'rank_change',
      detail: `The largest decline in the group since ${previous!.periodName}: from rank ${entry.previousRank} to ${entry.rank} (${largest} place(s)).`,
      params: {
        previousRank: entry.previousRank,
        rank: entry.rank,
        decline: largest,
        previousRun: previous!.runId,
      },
    });
  }
  const declinedBefore = new Set(previous?.declined ?? []);
  const twoRunning = sorted
    .filter((entry) => declines.has(entry) && declinedBefore.has(entry.unit.id))
    .sort(
      (a, b) =>
        declines.get(b)! - declines.get(a)! || compareCodes(a.unit.code, b.unit.code) || a.index - b.index,
    );
  for (const entry of twoRunning) {
    entry.flags.add('declined_two_running');
    entry.changeRules.push({
      rule: 'rank_change',
      detail: `Declined two runs running: from rank ${entry.previousRank} to ${entry.rank} now, after declining in ${previous!.periodName} too.`,
      params: {
        previousRank: entry.previousRank,
        rank: entry.rank,
        decline: declines.get(entry)!,
        previousRun: previous!.runId,
      },
    });
  }

  return {
    groupKey: input.groupKey,
    precision,
    units: sorted.map((entry) => ({
      unitId: entry.unit.id,
      code: entry.unit.code,
      name: entry.unit.name,
      ...(entry.unit.parentName === undefined ? {} : { parentName: entry.unit.parentName }),
      total: entry.total,
      interval: entry.interval,
      rank: entry.rank,
      grade: entry.grade,
      bonusScore: scheme.bonusByActualScore ? entry.total : null,
      previousRank: entry.previousRank,
      rankChange: entry.previousRank === null ? null : entry.previousRank - entry.rank,
      flags: flagsInOrder(RESULT_FLAG_ORDER, entry.flags),
      rules: [
        ...entry.componentRules,
        ...entry.tieRules,
        ...entry.vetoRules,
        ...entry.promotionRules,
        ...entry.gradeRules,
        ...entry.changeRules,
      ],
      explanation: entry.explanation,
    })),
    best,
    worst,
    largestDecline: largestDecline.map((entry) => entry.unit.id),
    declinedTwoRunning: twoRunning.map((entry) => entry.unit.id),
  };
}

// --- review stages -----------------------------------------------------------------------------------

/** The lists after one review stage's decision: approve cuts them to the stage's size, amend replaces them. */
export function applyReviewStage(
  scheme: SchemeDefinition,
  stageIndex: number,
  before: ReviewLists,
  decision: ReviewDecision,
): ReviewLists {
  const stage = Number.isInteger(stageIndex) ? scheme.review.stages[stageIndex] : undefined;
  if (stage === undefined) {
    throw new Invalid('unknown_stage', `The scheme has no review stage ${stageIndex + 1}.`, { stageIndex });
  }
  if (decision.kind === 'approve') {
    return { best: before.best.slice(0, stage.size), worst: before.worst.slice(0, stage.size) };
  }
  if (typeof decision.reason !== 'string' || decision.reason.trim() === '') {
    throw new Invalid('reason_required', `An amendment at the stage ${stage.name} needs a written reason.`, {
      stageIndex,
    });
  }
  for (const list of ['best', 'worst'] as const) {
    const allowed = new Set(before[list]);
    const seen = new Set<string>();
    for (const unitId of decision[list]) {
      if (!allowed.has(unitId)) {
        throw new Invalid(
          'not_on_list',
          `Unit ${unitId} was not on the ${list} list before this stage; an amendment may remove or reorder units, not add them.`,
          { unitId, list },
        );
      }
      if (seen.has(unitId)) {
        throw new Invalid('duplicate_unit', `Unit ${unitId} appears twice on the ${list} list.`, {
          unitId,
          list,
        });
      }
      seen.add(unitId);
    }
    if (decision[list].length > stage.size) {
      throw new Invalid(
        'list_too_long',
        `The ${list} list holds ${decision[list].length} units; the stage ${stage.name} keeps at most ${stage.size}.`,
        { list, size: stage.size, count: decision[list].length },
      );
    }
  }
  return { best: [...decision.best], worst: [...decision.worst] };
}

// --- canonical form and digests ----------------------------------------------------------------------

/** SHA-256 (hex) of the canonical JSON of a value: equal values give equal digests. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
