/*
 * The evaluator pool's and the draws' shapes as the server answers them and the console sends them.
 * Types and constants only, with no imports, so that the console (web/) uses these very declarations.
 */

/** The features a quota can count by: an evaluator's groups, region (a registry unit's subtree), grassroots. */
export const QUOTA_FEATURES = ['group', 'region', 'grassroots'] as const;
export type QuotaFeature = (typeof QUOTA_FEATURES)[number];

/** At least `min` and at most `max` of the sample have `value` of `feature` (grassroots: 'yes' or 'no'). */
export interface Quota {
  feature: QuotaFeature;
  value: string;
  min: number;
  max: number;
}

/** Who may be drawn at all; an empty list means no restriction. */
export interface DrawFilters {
  /** Group codes: the evaluator belongs to at least one. */
  groups: string[];
  /** Unit ids: the evaluator's region lies in the subtree of at least one. */
  regions: string[];
  /** Tags: the evaluator carries at least one. */
  tags: string[];
  /** Only grassroots (true) or only others (false); null for both. */
  grassroots: boolean | null;
}

export interface ManualExclusion {
  evaluatorId: string;
  reason: string;
}

/** Everything that decides a sample draw besides the pool and the seed; recorded at announcement. */
export interface SampleRules {
  size: number;
  filters: DrawFilters;
  quotas: Quota[];
  /** Units being judged: evaluators linked to them (or to a unit below them) are excluded. */
  subjectUnits: string[];
  /** Evaluators drawn in a published draw within this many days before `asOf` are excluded (0: none). */
  rotationDays: number;
  /** The announcement's date (YYYY-MM-DD), from which rotation counts back. */
  asOf: string;
  exclusions: ManualExclusion[];
  /** Replacements kept in order for each stratum that is drawn from. */
  reservePerStratum: number;
}

/** A stratum: the evaluators alike in every value a quota names; all of them have the same chance. */
export interface StratumView {
  key: string;
  /** For each feature with quotas, the quota values its members have (empty: none of them). */
  values: Partial<Record<QuotaFeature, string[]>>;
  eligible: number;
  drawn: number;
  /** drawn / eligible: each member's probability of being selected. */
  probability: number;
}

export interface ExclusionCounts {
  filteredOut: number;
  conflict: number;
  rotation: number;
  manual: number;
  inactive: number;
}

export const DRAW_KINDS = ['sample', 'list', 'audit', 'leaders'] as const;
export type DrawKind = (typeof DRAW_KINDS)[number];

export const DRAW_STATES = ['announced', 'drawn', 'published'] as const;
export type DrawState = (typeof DRAW_STATES)[number];

/** Supervisors from a list: `count` of the listed items in a random order (the rest follow as reserves). */
export interface ListRules {
  items: string[];
  count: number;
}

/** A random share of collected items to audit: ⌈percent × n / 100⌉ of them. */
export interface AuditRules {
  items: string[];
  percent: number;
}

/** Leader panels: every leader rates leaderMin..leaderMax units, every unit gets unitMin..unitMax leaders. */
export interface LeaderRules {
  leaders: { id: string; name: string; inCharge: string[] }[];
  units: string[];
  leaderMin: number;
  leaderMax: number;
  unitMin: number;
  unitMax: number;
  /** Units a leader may add on the supplementary sheet. */
  supplementaryCap: number;
}

// --- HTTP responses ------------------------------------------------------------------------------

export interface GroupView {
  id: string;
  code: string;
  name: string;
  sortOrder: number;
  /** Active evaluators in the group. */
  members: number;
}

export interface EvaluatorView {
  id: string;
  name: string;
  /** Masked (138****1234) unless the reader keeps the pool (panel:mobile) and asked for it unmasked. */
  mobile: string;
  mobileMasked: boolean;
  groups: string[];
  regionId: string | null;
  regionName: string | null;
  grassroots: boolean;
  tags: string[];
  conflicts: { id: string; name: string }[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface EvaluatorPage {
  total: number;
  items: EvaluatorView[];
}

export interface CountView {
  key: string;
  name: string;
  count: number;
}

export interface PoolComposition {
  total: number;
  inactive: number;
  grassroots: number;
  /** Percent, one decimal. */
  grassrootsShare: number;
  /** Percent the office aims at (Tai'an: 80). */
  grassrootsTarget: number;
  belowTarget: boolean;
  byGroup: CountView[];
  byRegion: CountView[];
  byTag: CountView[];
}

export const IMPORT_OPS = ['new', 'changed', 'unchanged', 'error'] as const;
export type ImportOp = (typeof IMPORT_OPS)[number];

export interface PoolImportLine {
  row: number;
  name: string;
  /** Masked. */
  mobile: string;
  op: ImportOp;
  changes: string[];
  errors: string[];
}

export interface PoolImportPreview {
  id: string;
  filename: string;
  createdAt: string;
  status: 'previewed' | 'applied';
  summary: Record<ImportOp, number>;
  lines: PoolImportLine[];
}

/** A draw as the office sees it. */
export interface DrawView {
  id: string;
  kind: DrawKind;
  purpose: string;
  state: DrawState;
  rules: SampleRules | ListRules | AuditRules | LeaderRules;
  snapshotDigest: string;
  rulesDigest: string;
  /** SHA-256 of the server secret, published at announcement. */
  commitment: string;
  /** Revealed once drawn. */
  secret: string | null;
  publicValue: string | null;
  seed: string | null;
  resultDigest: string | null;
  /** Sample draws: the strata with their probabilities (known at announcement). */
  strata: StratumView[];
  eligible: number;
  excluded: ExclusionCounts | null;
  deviation: number | null;
  announcedAt: string;
  announcedBy: string;
  drawnAt: string | null;
  publishedAt: string | null;
  /** Counts of what was selected (evaluators, items or leader-unit pairs). */
  selectedCount: number;
}

export interface DrawMemberView {
  rank: number;
  role: 'selected' | 'reserve';
  stratum: string;
  evaluatorId: string;
  name: string;
  mobile: string;
  groups: string[];
  regionName: string | null;
  grassroots: boolean;
}

/** What the public draw page shows: rules, digests, seed, counts by stratum; never names or numbers. */
export interface PublicDrawView {
  id: string;
  kind: DrawKind;
  purpose: string;
  state: DrawState;
  size: number | null;
  quotas: Quota[];
  filters: DrawFilters | null;
  rotationDays: number | null;
  manualExclusions: number;
  subjectUnits: { id: string; name: string }[];
  snapshotDigest: string;
  rulesDigest: string;
  commitment: string;
  secret: string | null;
  publicValue: string | null;
  seed: string | null;
  resultDigest: string | null;
  poolSize: number;
  eligible: number;
  strata: StratumView[];
  /** Names of the group codes and unit ids the quotas and strata name. */
  labels: Record<string, string>;
  selectedCount: number;
  announcedAt: string;
  drawnAt: string | null;
  publishedAt: string | null;
}

export interface VerifyReport {
  identical: boolean;
  /** The first difference found, in words, or null. */
  difference: string | null;
  checked: string[];
}
