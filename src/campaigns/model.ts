import { Value } from 'typebox/value';
import { Invalid } from '../core/errors.js';
import { proportion } from '../core/stats.js';
import { QuestionnaireSchema } from './schema.js';
import {
  CHECKLIST,
  CHECKLIST_INDICATORS,
  DIFFICULTY_LEVELS,
  DIFFICULTY_VALUES,
  SATISFACTION_LEVELS,
  type Answer,
  type BallotAnswers,
  type ChecklistIndicator,
  type DifficultyFormula,
  type DifficultyLevel,
  type Estimate,
  type ItemResult,
  type QuestionItem,
  type Questionnaire,
  type SatisfactionLevel,
  type SubjectAnswers,
  type SubjectResult,
} from './types.js';

/*
 * The rules of campaigns, pure: a questionnaire's validity, a ballot's validity against it, and the
 * results of a subject's ballots (distributions, scores with n and 95% intervals, the key-task score).
 * Everything is computed in TypeScript from the raw answers so SQLite, PostgreSQL and verify agree.
 */

export const DEFAULT_TEXT_LENGTH = 500;
const Z95 = 1.959963984540054;

// --- questionnaire -------------------------------------------------------------------------------

/** A questionnaire checked against the one schema and the rules a schema cannot say; throws Invalid. */
export function validateQuestionnaire(input: unknown): Questionnaire {
  if (!Value.Check(QuestionnaireSchema, input)) {
    const first = [...Value.Errors(QuestionnaireSchema, input)][0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'unknown';
    throw new Invalid(
      'invalid_questionnaire',
      `The questionnaire is not valid (${where}). Correct it and save again.`,
      {
        path: first?.instancePath ?? '',
      },
    );
  }
  const q = input;
  const keys = new Set<string>();
  for (const item of q.items) {
    if (keys.has(item.key)) {
      throw new Invalid(
        'duplicate_item',
        `Two questions share the key “${item.key}”. Give each its own key.`,
        {
          item: item.key,
        },
      );
    }
    keys.add(item.key);
    const inner =
      item.kind === 'dimensions'
        ? item.dimensions.map((d) => d.key)
        : item.kind === 'choice'
          ? item.options.map((o) => o.key)
          : [];
    if (new Set(inner).size !== inner.length) {
      throw new Invalid(
        'duplicate_item',
        `Question “${item.key}” lists the same key twice. Give each its own key.`,
        {
          item: item.key,
        },
      );
    }
  }
  if (q.keyTask) {
    const sat = q.items.find((i) => i.key === q.keyTask?.satisfaction);
    const dif = q.items.find((i) => i.key === q.keyTask?.difficulty);
    if (sat?.kind !== 'satisfaction' || dif?.kind !== 'difficulty') {
      throw new Invalid(
        'invalid_key_task',
        'The key-task score needs a satisfaction question and a difficulty question of this questionnaire.',
        { satisfaction: q.keyTask.satisfaction, difficulty: q.keyTask.difficulty },
      );
    }
  }
  return q;
}

/** Whether an item must be answered for every subject (free text never must). */
export function isRequired(item: QuestionItem): boolean {
  return item.kind !== 'text' && item.required !== false;
}

/** The manifestation keys (`cold.0` …) an evaluator may tick on a checklist. */
export function manifestationKeys(): string[] {
  return CHECKLIST_INDICATORS.flatMap((i) => CHECKLIST[i].manifestations.map((_, n) => `${i}.${n}`));
}
const MANIFESTATIONS = new Set(manifestationKeys());

// --- ballots ------------------------------------------------------------------------------------

const outside = (item: string, subject: string, why: string) =>
  new Invalid(
    'answer_outside_scale',
    `The answer to “${item}” for this subject ${why}. Choose one of the offered answers.`,
    {
      item,
      subject,
    },
  );

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function checkAnswer(item: QuestionItem, answer: unknown, subject: string): Answer {
  const k = item.key;
  switch (item.kind) {
    case 'satisfaction':
      if (typeof answer !== 'string' || !(SATISFACTION_LEVELS as readonly string[]).includes(answer))
        throw outside(k, subject, 'is not a satisfaction level');
      return answer;
    case 'difficulty':
      if (typeof answer !== 'string' || !(DIFFICULTY_LEVELS as readonly string[]).includes(answer))
        throw outside(k, subject, 'is not a difficulty level');
      return answer;
    case 'yes_no':
      if (typeof answer !== 'boolean') throw outside(k, subject, 'is not yes or no');
      return answer;
    case 'checklist':
      if (
        !isStringList(answer) ||
        answer.some((m) => !MANIFESTATIONS.has(m)) ||
        new Set(answer).size !== answer.length
      )
        throw outside(k, subject, 'ticks something that is not on the checklist');
      return [...answer].sort();
    case 'choice': {
      const keys = new Set(item.options.map((o) => o.key));
      if (item.multiple) {
        if (
          !isStringList(answer) ||
          answer.some((o) => !keys.has(o)) ||
          new Set(answer).size !== answer.length
        )
          throw outside(k, subject, 'ticks an option that is not offered');
        return [...answer].sort();
      }
      if (typeof answer !== 'string' || !keys.has(answer))
        throw outside(k, subject, 'is not an offered option');
      return answer;
    }
    case 'dimensions': {
      if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
        throw outside(k, subject, 'is not a rating per dimension');
      const given = answer as Record<string, unknown>;
      const out: Record<string, string> = {};
      for (const key of Object.keys(given)) {
        if (!item.dimensions.some((d) => d.key === key))
          throw outside(k, subject, `rates an unknown dimension “${key}”`);
      }
      for (const d of item.dimensions) {
        const level = given[d.key];
        if (level === undefined) continue;
        if (typeof level !== 'string' || !(SATISFACTION_LEVELS as readonly string[]).includes(level))
          throw outside(k, subject, `rates “${d.name}” off the scale`);
        out[d.key] = level;
      }
      return out;
    }
    case 'text': {
      if (typeof answer !== 'string') throw outside(k, subject, 'is not text');
      const max = item.maxLength ?? DEFAULT_TEXT_LENGTH;
      if ([...answer].length > max) {
        throw new Invalid(
          'text_too_long',
          `The text for “${k}” is longer than ${max} characters. Shorten it.`,
          {
            item: k,
            subject,
            max,
          },
        );
      }
      return answer.trim();
    }
  }
}

/**
 * One subject's answers checked against the questionnaire; `complete` also requires every required item
 * (and every dimension). Returns the answers normalised (sorted lists, trimmed text, no empty text).
 */
export function validateSubjectAnswers(
  q: Questionnaire,
  subject: string,
  input: unknown,
  complete: boolean,
): SubjectAnswers {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Invalid('invalid_ballot', 'Each subject’s answers must be a set of answers by question.', {
      subject,
    });
  }
  const given = input as Record<string, unknown>;
  const byKey = new Map(q.items.map((i) => [i.key, i]));
  for (const key of Object.keys(given)) {
    if (!byKey.has(key)) {
      throw new Invalid('unknown_item', `The questionnaire has no question “${key}”.`, {
        item: key,
        subject,
      });
    }
  }
  const out: SubjectAnswers = {};
  for (const item of q.items) {
    const raw = given[item.key];
    if (raw !== undefined && raw !== null) {
      const answer = checkAnswer(item, raw, subject);
      if (!(item.kind === 'text' && answer === '')) out[item.key] = answer;
    }
    if (!complete || !isRequired(item)) continue;
    const answer = out[item.key];
    const missing =
      answer === undefined ||
      (item.kind === 'dimensions' &&
        item.dimensions.some((d) => (answer as Record<string, string>)[d.key] === undefined));
    if (missing) {
      throw new Invalid('answer_missing', `Answer “${item.prompt}” for every subject before submitting.`, {
        item: item.key,
        subject,
      });
    }
  }
  return out;
}

/**
 * A whole ballot checked: only the evaluator's assigned subjects, every one of them when `complete`
 * (a submitted ballot), any subset when not (a draft). Returns the normalised answers in subject order.
 */
export function validateBallot(
  q: Questionnaire,
  assigned: readonly string[],
  input: unknown,
  complete: boolean,
): BallotAnswers {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Invalid('invalid_ballot', 'A ballot must give answers by subject.');
  }
  const given = input as Record<string, unknown>;
  const allowed = new Set(assigned);
  for (const subject of Object.keys(given)) {
    if (!allowed.has(subject)) {
      throw new Invalid(
        'unknown_subject',
        'The ballot answers for a subject that is not on this evaluator’s list.',
        {
          subject,
        },
      );
    }
  }
  const out: BallotAnswers = {};
  for (const subject of assigned) {
    const answers = given[subject];
    if (answers === undefined) {
      if (complete) {
        throw new Invalid('answer_missing', 'Answer for every subject on the list before submitting.', {
          subject,
        });
      }
      continue;
    }
    out[subject] = validateSubjectAnswers(q, subject, answers, complete);
  }
  return out;
}

// --- results ------------------------------------------------------------------------------------

/** Mean of a sample given its sum, sum of squares and n, with mean ± 1.96·s/√n kept within [min, max]. */
export function meanEstimate(
  sum: number,
  squares: number,
  n: number,
  min: number,
  max: number,
): Estimate | null {
  if (n === 0) return null;
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
  const half = (Z95 * Math.sqrt(variance)) / Math.sqrt(n);
  return { value: mean, n, low: Math.max(min, mean - half), high: Math.min(max, mean + half) };
}

/** A count out of n as a share with its 95% Wilson interval, or null when n is 0. */
export function shareEstimate(count: number, n: number): Estimate | null {
  const p = proportion(count, n);
  if (p.value === null || p.low === null || p.high === null) return null;
  return { value: p.value, n, low: p.low, high: p.high };
}

/** The coefficient a difficulty figure (mean, 1 很容易 … 5 很难) gives under a formula. */
export function difficultyCoefficient(formula: DifficultyFormula, difficulty: number): number {
  if (formula.kind === 'linear') return 1 + formula.perLevel * (difficulty - formula.centre);
  const steps = [...formula.steps].sort((a, b) => b.atLeast - a.atLeast);
  return steps.find((s) => difficulty >= s.atLeast)?.coefficient ?? 1;
}

/** The key-task formula written out in Chinese, as the office publishes it. */
export function describeKeyTaskFormula(q: Questionnaire): string | null {
  const kt = q.keyTask;
  if (!kt) return null;
  const s = q.satisfactionScores;
  const scores = `满意度得分 = 各评价人得分的平均值（满意 ${s.satisfied}、比较满意 ${s.fairly_satisfied}、基本满意 ${s.basically_satisfied}、不满意 ${s.dissatisfied}）`;
  const difficulty = '难度值 = 各评价人难度的平均值（很难 5、较难 4、一般 3、较容易 2、很容易 1）';
  const coefficient =
    kt.formula.kind === 'linear'
      ? `难度系数 = 1 + ${kt.formula.perLevel} × (难度值 − ${kt.formula.centre})`
      : `难度系数 = ${[...kt.formula.steps]
          .sort((a, b) => b.atLeast - a.atLeast)
          .map((st) => `难度值 ≥ ${st.atLeast} 时 ${st.coefficient}`)
          .join('；')}；否则 1`;
  const total = `重点工作得分 = 满意度得分 × 难度系数${kt.cap === undefined ? '' : `，最高 ${kt.cap}`}`;
  return [scores, difficulty, coefficient, total].join('\n');
}

const zeroOf = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

interface Moments {
  sum: number;
  squares: number;
  n: number;
}
const addTo = (m: Moments, v: number) => {
  m.sum += v;
  m.squares += v * v;
  m.n += 1;
};
const moments = (): Moments => ({ sum: 0, squares: 0, n: 0 });

type ItemTally =
  | { kind: 'satisfaction'; item: QuestionItem; dist: Record<SatisfactionLevel, number>; m: Moments }
  | { kind: 'difficulty'; item: QuestionItem; dist: Record<DifficultyLevel, number>; m: Moments }
  | {
      kind: 'dimensions';
      item: QuestionItem & { kind: 'dimensions' };
      dims: { dist: Record<SatisfactionLevel, number>; m: Moments }[];
    }
  | {
      kind: 'checklist';
      item: QuestionItem;
      indicators: Record<ChecklistIndicator, number>;
      manifestations: Record<string, number>;
    }
  | { kind: 'yes_no'; item: QuestionItem; yes: number; no: number }
  | { kind: 'choice'; item: QuestionItem & { kind: 'choice' }; dist: Record<string, number> }
  | { kind: 'text'; item: QuestionItem; count: number };

/**
 * Accumulates one subject's ballots (answers already validated) and gives its results. Adding is O(items)
 * per ballot, so results for many subjects over a million ballots are one pass.
 */
export class SubjectTally {
  private n = 0;
  private readonly tallies: ItemTally[];
  private readonly scores: Record<SatisfactionLevel, number>;
  private readonly minScore: number;
  private readonly maxScore: number;

  constructor(private readonly q: Questionnaire) {
    this.scores = q.satisfactionScores;
    const values = SATISFACTION_LEVELS.map((l) => this.scores[l]);
    this.minScore = Math.min(...values);
    this.maxScore = Math.max(...values);
    this.tallies = q.items.map((item): ItemTally => {
      switch (item.kind) {
        case 'satisfaction':
          return { kind: 'satisfaction', item, dist: zeroOf(SATISFACTION_LEVELS), m: moments() };
        case 'difficulty':
          return { kind: 'difficulty', item, dist: zeroOf(DIFFICULTY_LEVELS), m: moments() };
        case 'dimensions':
          return {
            kind: 'dimensions',
            item,
            dims: item.dimensions.map(() => ({ dist: zeroOf(SATISFACTION_LEVELS), m: moments() })),
          };
        case 'checklist':
          return {
            kind: 'checklist',
            item,
            indicators: zeroOf(CHECKLIST_INDICATORS),
            manifestations: Object.fromEntries(manifestationKeys().map((k) => [k, 0])),
          };
        case 'yes_no':
          return { kind: 'yes_no', item, yes: 0, no: 0 };
        case 'choice':
          return { kind: 'choice', item, dist: Object.fromEntries(item.options.map((o) => [o.key, 0])) };
        case 'text':
          return { kind: 'text', item, count: 0 };
      }
    });
  }

  /** Counts one ballot's answers for this subject. */
  add(answers: SubjectAnswers): void {
    this.n += 1;
    for (const t of this.tallies) {
      const a = answers[t.item.key];
      if (a === undefined) continue;
      switch (t.kind) {
        case 'satisfaction': {
          const level = a as SatisfactionLevel;
          t.dist[level] += 1;
          addTo(t.m, this.scores[level]);
          break;
        }
        case 'difficulty': {
          const level = a as DifficultyLevel;
          t.dist[level] += 1;
          addTo(t.m, DIFFICULTY_VALUES[level]);
          break;
        }
        case 'dimensions': {
          const given = a as Record<string, SatisfactionLevel>;
          t.item.dimensions.forEach((d, i) => {
            const level = given[d.key];
            const dim = t.dims[i];
            if (level === undefined || !dim) return;
            dim.dist[level] += 1;
            addTo(dim.m, this.scores[level]);
          });
          break;
        }
        case 'checklist': {
          const seen = new Set<string>();
          for (const key of a as string[]) {
            t.manifestations[key] = (t.manifestations[key] ?? 0) + 1;
            seen.add(key.slice(0, key.indexOf('.')));
          }
          for (const i of seen) t.indicators[i as ChecklistIndicator] += 1;
          break;
        }
        case 'yes_no':
          if (a === true) t.yes += 1;
          else t.no += 1;
          break;
        case 'choice':
          for (const key of Array.isArray(a) ? a : [a as string]) t.dist[key] = (t.dist[key] ?? 0) + 1;
          break;
        case 'text':
          if (typeof a === 'string' && a !== '') t.count += 1;
          break;
      }
    }
  }

  /** The subject's results: n, every item's distribution and score, and the key-task score. */
  result(subjectId: string): SubjectResult {
    const { minScore: lo, maxScore: hi } = this;
    const items = this.tallies.map((t): ItemResult => {
      const key = t.item.key;
      switch (t.kind) {
        case 'satisfaction':
          return {
            key,
            kind: 'satisfaction',
            distribution: { ...t.dist },
            score: meanEstimate(t.m.sum, t.m.squares, t.m.n, lo, hi),
          };
        case 'difficulty':
          return {
            key,
            kind: 'difficulty',
            distribution: { ...t.dist },
            difficulty: meanEstimate(t.m.sum, t.m.squares, t.m.n, 1, 5),
          };
        case 'dimensions': {
          const dimensions = t.item.dimensions.map((d, i) => {
            const dim = t.dims[i] ?? { dist: zeroOf(SATISFACTION_LEVELS), m: moments() };
            return {
              key: d.key,
              distribution: { ...dim.dist },
              score: meanEstimate(dim.m.sum, dim.m.squares, dim.m.n, lo, hi),
            };
          });
          const scored = dimensions.flatMap((d) => (d.score ? [d.score.value] : []));
          const mean = scored.length === 0 ? null : scored.reduce((s, v) => s + v, 0) / scored.length;
          return { key, kind: 'dimensions', dimensions, mean };
        }
        case 'checklist': {
          const indicators = Object.fromEntries(
            CHECKLIST_INDICATORS.map((i) => [
              i,
              { count: t.indicators[i], share: shareEstimate(t.indicators[i], this.n) },
            ]),
          ) as Record<ChecklistIndicator, { count: number; share: Estimate | null }>;
          return { key, kind: 'checklist', indicators, manifestations: { ...t.manifestations } };
        }
        case 'yes_no':
          return { key, kind: 'yes_no', yes: t.yes, no: t.no, share: shareEstimate(t.yes, t.yes + t.no) };
        case 'choice':
          return { key, kind: 'choice', distribution: { ...t.dist } };
        case 'text':
          return { key, kind: 'text', count: t.count };
      }
    });
    return { subjectId, n: this.n, items, keyTask: keyTaskScore(this.q, items) };
  }
}

/** Tai'an's key-task score from a subject's item results: satisfaction × difficulty coefficient, capped. */
export function keyTaskScore(q: Questionnaire, items: readonly ItemResult[]): SubjectResult['keyTask'] {
  const kt = q.keyTask;
  if (!kt) return null;
  const sat = items.find((i) => i.key === kt.satisfaction);
  const dif = items.find((i) => i.key === kt.difficulty);
  if (sat?.kind !== 'satisfaction' || dif?.kind !== 'difficulty' || !sat.score || !dif.difficulty)
    return null;
  const coefficient = difficultyCoefficient(kt.formula, dif.difficulty.value);
  const cap = (v: number) => (kt.cap === undefined ? v : Math.min(kt.cap, v));
  return {
    coefficient,
    score: {
      value: cap(sat.score.value * coefficient),
      n: sat.score.n,
      low: cap(sat.score.low * coefficient),
      high: cap(sat.score.high * coefficient),
    },
  };
}

/** Results for every subject of a round from its ballots' per-subject answers, in the given subject order. */
export function computeResults(
  q: Questionnaire,
  subjectIds: readonly string[],
  answers: Iterable<{ subjectId: string; answers: SubjectAnswers }>,
): SubjectResult[] {
  const tallies = new Map(subjectIds.map((id) => [id, new SubjectTally(q)]));
  for (const a of answers) tallies.get(a.subjectId)?.add(a.answers);
  return subjectIds.map((id) => (tallies.get(id) as SubjectTally).result(id));
}

// --- measures (what a scoring leaf reads) --------------------------------------------------------

/**
 * A measure a scoring leaf names, e.g. `satisfaction:sat`, `dimension:social:service`, `dimensions:social`,
 * `difficulty:dif`, `key_task`, `checklist:signs:shirk` (ballots ticking a sign), `yes:aware` (share),
 * `count`.
 */
export type Measure =
  | { kind: 'count' }
  | { kind: 'key_task' }
  | { kind: 'satisfaction' | 'difficulty' | 'dimensions' | 'yes'; item: string }
  | { kind: 'dimension'; item: string; dimension: string }
  | { kind: 'checklist'; item: string; indicator: ChecklistIndicator };

/** Parses a measure against a questionnaire, or throws Invalid('unknown_measure'). */
export function parseMeasure(q: Questionnaire, text: string): Measure {
  const bad = () =>
    new Invalid(
      'unknown_measure',
      `The campaign has no measure “${text}”. Use e.g. satisfaction:<question>, dimension:<question>:<dimension>, difficulty:<question>, key_task, checklist:<question>:<sign>, yes:<question> or count.`,
      { measure: text },
    );
  const [first, item = '', sub] = text.split(':');
  const head = first ?? '';
  const found = q.items.find((i) => i.key === item);
  switch (head) {
    case 'count':
      return { kind: 'count' };
    case 'key_task':
      if (!q.keyTask) throw bad();
      return { kind: 'key_task' };
    case 'satisfaction':
    case 'difficulty':
      if (found?.kind !== head) throw bad();
      return { kind: head, item };
    case 'dimensions':
      if (found?.kind !== 'dimensions') throw bad();
      return { kind: 'dimensions', item };
    case 'dimension':
      if (found?.kind !== 'dimensions' || !found.dimensions.some((d) => d.key === sub)) throw bad();
      return { kind: 'dimension', item, dimension: sub as string };
    case 'yes':
      if (found?.kind !== 'yes_no') throw bad();
      return { kind: 'yes', item };
    case 'checklist':
      if (found?.kind !== 'checklist') throw bad();
      if (!(CHECKLIST_INDICATORS as readonly string[]).includes(sub ?? '')) throw bad();
      return { kind: 'checklist', item, indicator: sub as ChecklistIndicator };
    default:
      throw bad();
  }
}

/** A subject's value of a measure with n and interval (null when it has no ballots for it). */
export function measureOf(result: SubjectResult, m: Measure): Estimate | null {
  const item = 'item' in m ? result.items.find((i) => i.key === m.item) : undefined;
  switch (m.kind) {
    case 'count':
      return { value: result.n, n: result.n, low: result.n, high: result.n };
    case 'key_task':
      return result.keyTask?.score ?? null;
    case 'satisfaction':
      return item?.kind === 'satisfaction' ? item.score : null;
    case 'difficulty':
      return item?.kind === 'difficulty' ? item.difficulty : null;
    case 'dimension':
      return item?.kind === 'dimensions'
        ? (item.dimensions.find((d) => d.key === m.dimension)?.score ?? null)
        : null;
    case 'dimensions': {
      if (item?.kind !== 'dimensions' || item.mean === null) return null;
      const scored = item.dimensions.flatMap((d) => (d.score ? [d.score] : []));
      const avg = (f: (e: Estimate) => number) => scored.reduce((s, e) => s + f(e), 0) / scored.length;
      return {
        value: item.mean,
        n: Math.min(...scored.map((e) => e.n)),
        low: avg((e) => e.low),
        high: avg((e) => e.high),
      };
    }
    case 'yes':
      return item?.kind === 'yes_no' ? item.share : null;
    case 'checklist': {
      if (item?.kind !== 'checklist') return null;
      const c = item.indicators[m.indicator].count;
      return { value: c, n: result.n, low: c, high: c };
    }
  }
}
