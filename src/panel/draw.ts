/*
 * The stratified sample draw (pure; the solver is passed in). In two stages, so that the chances are
 * known before anyone knows the seed:
 *
 * 1. planDraw (no randomness): who is eligible (filters, conflicts of interest, rotation, manual exclusions),
 *    the strata (evaluators alike in every value some quota names) and how many to take from each. The
 *    allocation is the integer solution, found by the HiGHS MIP solver, that meets every quota and the size
 *    exactly and is closest to proportional: it minimises Σ |n_s − size·N_s/N| over the strata s, which is
 *    the sum over eligible people of how far their chance is from the equal chance size/N. Each member of
 *    stratum s then has probability n_s / N_s exactly.
 * 2. executeDraw (the seed): within each stratum, in the order of the strata's keys, the members (sorted by
 *    id) are put in a uniformly random order by Fisher–Yates with the counter-mode generator (random.ts);
 *    the first n_s are selected and the next `reservePerStratum` are that stratum's reserves, in order.
 *
 * When the quotas cannot all hold, planDraw refuses and names each failing quota and by how much.
 */
import type { ExclusionCounts, Quota, QuotaFeature, SampleRules, StratumView } from './types.js';
import { QUOTA_FEATURES } from './types.js';
import { CounterRng, shuffledPrefix } from './random.js';
import { LpModel, solve, type Solver, type Term } from './solver.js';

/** One evaluator as the draw sees them: the pool snapshot holds these, and nothing identifying. */
export interface Candidate {
  id: string;
  active: boolean;
  groups: string[];
  /** The region's unit id followed by its ancestors, nearest first (empty: no region). */
  regionPath: string[];
  grassroots: boolean;
  tags: string[];
  /** Units the evaluator may not judge, with their ancestors. */
  conflicts: string[];
  /** The date of the last published draw that selected them (YYYY-MM-DD), or null. */
  lastDrawnOn: string | null;
}

export interface Stratum extends StratumView {
  members: string[];
}

/** One quota the draw cannot meet, and by how much. */
export interface QuotaShortfall {
  feature: QuotaFeature | 'size';
  value: string;
  bound: 'min' | 'max' | 'size';
  required: number;
  /** How many the draw can reach at best (below `required` for a min, above it for a max). */
  reachable: number;
  message: string;
}

export type DrawPlan =
  | {
      ok: true;
      strata: Stratum[];
      eligible: number;
      excluded: ExclusionCounts;
      /** Σ |n_s − size·N_s/N|: 0 when the sample is exactly proportional. */
      deviation: number;
    }
  | { ok: false; shortfalls: QuotaShortfall[]; eligible: number; excluded: ExclusionCounts };

export interface DrawOutcome {
  /** Selected evaluator ids, stratum by stratum in key order, each stratum in draw order. */
  selected: string[];
  /** Replacements: for each stratum drawn from, in order. */
  reserve: { id: string; stratum: string; rank: number }[];
}

/** The values of a feature an evaluator has (region: every unit up the tree; grassroots: yes/no). */
export function featureValues(c: Candidate, feature: QuotaFeature): readonly string[] {
  switch (feature) {
    case 'group':
      return c.groups;
    case 'region':
      return c.regionPath;
    case 'grassroots':
      return [c.grassroots ? 'yes' : 'no'];
  }
}

/** The date `days` days before a YYYY-MM-DD date. */
function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Why a candidate may not be drawn under the rules, or null when eligible. */
export function exclusionOf(
  c: Candidate,
  rules: SampleRules,
  manual: ReadonlySet<string>,
): keyof ExclusionCounts | null {
  if (!c.active) return 'inactive';
  const f = rules.filters;
  if (f.groups.length && !f.groups.some((g) => c.groups.includes(g))) return 'filteredOut';
  if (f.regions.length && !f.regions.some((r) => c.regionPath.includes(r))) return 'filteredOut';
  if (f.tags.length && !f.tags.some((t) => c.tags.includes(t))) return 'filteredOut';
  if (f.grassroots !== null && c.grassroots !== f.grassroots) return 'filteredOut';
  if (rules.subjectUnits.some((u) => c.conflicts.includes(u))) return 'conflict';
  if (manual.has(c.id)) return 'manual';
  if (rules.rotationDays > 0 && c.lastDrawnOn !== null) {
    if (c.lastDrawnOn > daysBefore(rules.asOf, rules.rotationDays)) return 'rotation';
  }
  return null;
}

function quotaLabel(q: Pick<Quota, 'feature' | 'value'>): string {
  return `${q.feature} = ${q.value}`;
}

/** The eligible candidates grouped into strata by the quota values they have; strata sorted by key. */
export function stratify(eligible: readonly Candidate[], quotas: readonly Quota[]): Stratum[] {
  const named = new Map<QuotaFeature, Set<string>>();
  for (const q of quotas) {
    const set = named.get(q.feature) ?? new Set<string>();
    set.add(q.value);
    named.set(q.feature, set);
  }
  const features = QUOTA_FEATURES.filter((f) => named.has(f));
  const byKey = new Map<string, Stratum>();
  for (const c of eligible) {
    const parts: string[][] = [];
    let key = '';
    for (const f of features) {
      const wanted = named.get(f) as Set<string>;
      const have: string[] = [];
      for (const v of featureValues(c, f)) if (wanted.has(v) && !have.includes(v)) have.push(v);
      if (have.length > 1) have.sort();
      parts.push(have);
      key += `${key ? '|' : ''}${f}:${have.join('+')}`;
    }
    key ||= 'all';
    let s = byKey.get(key);
    if (!s) {
      const values: Partial<Record<QuotaFeature, string[]>> = {};
      features.forEach((f, i) => (values[f] = parts[i] ?? []));
      s = { key, values, eligible: 0, drawn: 0, probability: 0, members: [] };
      byKey.set(key, s);
    }
    s.members.push(c.id);
    s.eligible += 1;
  }
  const strata = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const s of strata) s.members.sort();
  return strata;
}

function hasValue(s: Stratum, q: Quota): boolean {
  return (s.values[q.feature] ?? []).includes(q.value);
}

/** The allocation model: n_s per stratum, with quotas either hard or elastic (slack priced 1 each). */
function allocationModel(
  strata: readonly Stratum[],
  quotas: readonly Quota[],
  size: number,
  elastic: boolean,
) {
  const total = strata.reduce((sum, s) => sum + s.eligible, 0);
  const lp = new LpModel('Minimize');
  strata.forEach((s, i) => {
    const n = `n${i}`;
    lp.bound(n, 0, s.eligible);
    lp.integer(n);
    if (!elastic) {
      // |n − q| with q = size·N_s/N, written with integer right-hand sides so that the linear relaxation
      // of a two-feature problem is already integral: n = ⌊q⌋ + up1 + up2 − down, where the first step up
      // costs 1 − 2·frac(q) and every further step (up or down) costs 1. The total equals Σ |n − q| − Σ frac(q).
      const q = (size * s.eligible) / total;
      const floor = Math.floor(q);
      lp.row(
        `p${i}`,
        [
          [1, n],
          [-1, `a${i}`],
          [-1, `c${i}`],
          [1, `d${i}`],
        ],
        '=',
        floor,
      );
      lp.bound(`a${i}`, 0, 1);
      lp.bound(`c${i}`, 0, Infinity);
      lp.bound(`d${i}`, 0, Infinity);
      lp.cost(1 - 2 * (q - floor), `a${i}`);
      lp.cost(1, `c${i}`);
      lp.cost(1, `d${i}`);
    }
  });
  lp.row(
    'size',
    strata.map((_, i): Term => [1, `n${i}`]),
    '=',
    size,
  );
  quotas.forEach((q, k) => {
    const terms: Term[] = [];
    strata.forEach((s, i) => {
      if (hasValue(s, q)) terms.push([1, `n${i}`]);
    });
    if (elastic) {
      // below: how far under the minimum; above: how far over the maximum.
      terms.push([1, `b${k}`], [-1, `a${k}`]);
      lp.bound(`b${k}`, 0, Infinity);
      lp.bound(`a${k}`, 0, Infinity);
      lp.cost(1, `b${k}`);
      lp.cost(1, `a${k}`);
    }
    lp.row(`qmin${k}`, terms.length ? terms : [[0, 'z_']], '>=', q.min);
    lp.row(`qmax${k}`, terms.length ? terms : [[0, 'z_']], '<=', q.max);
  });
  return lp;
}

/** The shortfalls found by simple counting, before any solver: too few eligible overall or for a quota. */
function countingShortfalls(eligible: readonly Candidate[], rules: SampleRules): QuotaShortfall[] {
  const out: QuotaShortfall[] = [];
  if (eligible.length < rules.size) {
    out.push({
      feature: 'size',
      value: '',
      bound: 'size',
      required: rules.size,
      reachable: eligible.length,
      message: `The sample needs ${rules.size} people but only ${eligible.length} are eligible (short by ${rules.size - eligible.length}).`,
    });
  }
  const counts = rules.quotas.map(() => 0);
  const byFeature = new Map<QuotaFeature, Map<string, number[]>>();
  rules.quotas.forEach((q, k) => {
    const values = byFeature.get(q.feature) ?? new Map<string, number[]>();
    values.set(q.value, [...(values.get(q.value) ?? []), k]);
    byFeature.set(q.feature, values);
  });
  for (const c of eligible) {
    for (const [feature, values] of byFeature) {
      for (const v of new Set(featureValues(c, feature))) {
        for (const k of values.get(v) ?? []) counts[k] = (counts[k] ?? 0) + 1;
      }
    }
  }
  rules.quotas.forEach((q, k) => {
    const have = counts[k] ?? 0;
    if (have < q.min) {
      out.push({
        feature: q.feature,
        value: q.value,
        bound: 'min',
        required: q.min,
        reachable: have,
        message: `Quota ${quotaLabel(q)} needs at least ${q.min} but only ${have} eligible people have it (short by ${q.min - have}).`,
      });
    }
  });
  return out;
}

/** Which quotas fail together, by an elastic model (each quota may be missed at a price of 1 a person). */
function elasticShortfalls(solver: Solver, strata: readonly Stratum[], rules: SampleRules): QuotaShortfall[] {
  const sol = solve(solver, allocationModel(strata, rules.quotas, rules.size, true));
  if (sol.status !== 'optimal') {
    return [
      {
        feature: 'size',
        value: '',
        bound: 'size',
        required: rules.size,
        reachable: 0,
        message: 'The quotas cannot all hold together with this size.',
      },
    ];
  }
  const out: QuotaShortfall[] = [];
  rules.quotas.forEach((q, k) => {
    const below = Math.round(sol.values.get(`b${k}`) ?? 0);
    const above = Math.round(sol.values.get(`a${k}`) ?? 0);
    if (below > 0) {
      out.push({
        feature: q.feature,
        value: q.value,
        bound: 'min',
        required: q.min,
        reachable: q.min - below,
        message: `Quota ${quotaLabel(q)} needs at least ${q.min}, but with the other quotas and a size of ${rules.size} at most ${q.min - below} can be drawn (short by ${below}).`,
      });
    }
    if (above > 0) {
      out.push({
        feature: q.feature,
        value: q.value,
        bound: 'max',
        required: q.max,
        reachable: q.max + above,
        message: `Quota ${quotaLabel(q)} allows at most ${q.max}, but with the other quotas and a size of ${rules.size} at least ${q.max + above} must be drawn (over by ${above}).`,
      });
    }
  });
  return out;
}

/** Eligibility, strata and the allocation (every quota met, closest to proportional); no randomness. */
export function planDraw(solver: Solver, pool: readonly Candidate[], rules: SampleRules): DrawPlan {
  const excluded: ExclusionCounts = { filteredOut: 0, conflict: 0, rotation: 0, manual: 0, inactive: 0 };
  const manual = new Set(rules.exclusions.map((e) => e.evaluatorId));
  const eligible: Candidate[] = [];
  for (const c of pool) {
    const why = exclusionOf(c, rules, manual);
    if (why === null) eligible.push(c);
    else excluded[why] += 1;
  }
  const counted = countingShortfalls(eligible, rules);
  if (counted.length) return { ok: false, shortfalls: counted, eligible: eligible.length, excluded };
  const strata = stratify(eligible, rules.quotas);
  if (rules.size === 0) return { ok: true, strata, eligible: eligible.length, excluded, deviation: 0 };
  const sol = solve(solver, allocationModel(strata, rules.quotas, rules.size, false));
  if (sol.status !== 'optimal') {
    const shortfalls = elasticShortfalls(solver, strata, rules);
    return { ok: false, shortfalls, eligible: eligible.length, excluded };
  }
  let deviation = 0;
  strata.forEach((s, i) => {
    s.drawn = Math.round(sol.values.get(`n${i}`) ?? 0);
    s.probability = s.drawn / s.eligible;
    deviation += Math.abs(s.drawn - (rules.size * s.eligible) / eligible.length);
  });
  return {
    ok: true,
    strata,
    eligible: eligible.length,
    excluded,
    deviation: Math.round(deviation * 1e6) / 1e6,
  };
}

/** Which people the seed selects under an allocation, and the reserves of each stratum in order. */
export function executeDraw(
  strata: readonly Pick<Stratum, 'key' | 'members' | 'drawn'>[],
  reservePerStratum: number,
  seed: string,
): DrawOutcome {
  const rng = new CounterRng(seed);
  const selected: string[] = [];
  const reserve: DrawOutcome['reserve'] = [];
  for (const s of strata) {
    if (s.drawn === 0) continue;
    const order = shuffledPrefix(s.members, s.drawn + reservePerStratum, rng);
    selected.push(...order.slice(0, s.drawn));
    order.slice(s.drawn).forEach((id, i) => reserve.push({ id, stratum: s.key, rank: i + 1 }));
  }
  return { selected, reserve };
}

/** Checks that an outcome meets every quota and the size (a guard the service runs before storing). */
export function quotasMet(
  pool: readonly Candidate[],
  rules: SampleRules,
  selected: readonly string[],
): boolean {
  if (selected.length !== rules.size || new Set(selected).size !== selected.length) return false;
  const byId = new Map(pool.map((c) => [c.id, c]));
  return rules.quotas.every((q) => {
    const n = selected.filter((id) => {
      const c = byId.get(id);
      return c !== undefined && featureValues(c, q.feature).includes(q.value);
    }).length;
    return n >= q.min && n <= q.max;
  });
}

// --- other things drawn at random (Nanchuan: supervisors, ballots to audit) --------------------------

/** A random order of the listed items (sorted first, so the order they were typed in does not matter). */
export function drawFromList(items: readonly string[], seed: string): string[] {
  const sorted = [...new Set(items)].sort();
  return shuffledPrefix(sorted, sorted.length, new CounterRng(seed));
}

/** How many items an audit of `percent` % takes: ⌈percent × n / 100⌉. */
export function auditCount(n: number, percent: number): number {
  return Math.min(n, Math.ceil((percent * n) / 100 - 1e-9));
}

/** The items a random audit of `percent` % selects, sorted. */
export function auditSubset(items: readonly string[], percent: number, seed: string): string[] {
  const sorted = [...new Set(items)].sort();
  return shuffledPrefix(sorted, auditCount(sorted.length, percent), new CounterRng(seed)).sort();
}
