/* TypeBox schemas of the panel's requests and responses (the views are declared in types.ts). */
import { Type } from 'typebox';
import { DRAW_KINDS, DRAW_STATES, IMPORT_OPS, QUOTA_FEATURES } from './types.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Label = Type.String({ minLength: 1, maxLength: 60 });

export const GroupSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  sortOrder: Type.Integer(),
  members: Type.Integer(),
});

export const EvaluatorSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mobile: Type.String({ description: 'Masked (138****1234) unless asked unmasked by a pool keeper' }),
  mobileMasked: Type.Boolean(),
  groups: Type.Array(Type.String()),
  regionId: Type.Union([Type.String(), Type.Null()]),
  regionName: Type.Union([Type.String(), Type.Null()]),
  grassroots: Type.Boolean(),
  tags: Type.Array(Type.String()),
  conflicts: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  active: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const EvaluatorInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }),
    mobile: Type.String({ minLength: 1, maxLength: 30 }),
    groups: Type.Array(Label, { minItems: 1, maxItems: 30 }),
    regionId: Type.Union([Id, Type.Null()]),
    grassroots: Type.Boolean(),
    tags: Type.Array(Label, { maxItems: 30 }),
    conflicts: Type.Array(Id, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

const CountSchema = Type.Object({ key: Type.String(), name: Type.String(), count: Type.Integer() });

export const CompositionSchema = Type.Object({
  total: Type.Integer(),
  inactive: Type.Integer(),
  grassroots: Type.Integer(),
  grassrootsShare: Type.Number(),
  grassrootsTarget: Type.Number(),
  belowTarget: Type.Boolean(),
  byGroup: Type.Array(CountSchema),
  byRegion: Type.Array(CountSchema),
  byTag: Type.Array(CountSchema),
});

export const ImportPreviewSchema = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  createdAt: Type.String(),
  status: Type.Enum(['previewed', 'applied']),
  summary: Type.Object(Object.fromEntries(IMPORT_OPS.map((op) => [op, Type.Integer()]))),
  lines: Type.Array(
    Type.Object({
      row: Type.Integer(),
      name: Type.String(),
      mobile: Type.String(),
      op: Type.Enum([...IMPORT_OPS]),
      changes: Type.Array(Type.String()),
      errors: Type.Array(Type.String()),
    }),
  ),
});

export const QuotaSchema = Type.Object(
  {
    feature: Type.Enum([...QUOTA_FEATURES]),
    value: Type.String({ minLength: 1, maxLength: 64 }),
    min: Type.Integer({ minimum: 0, maximum: 100000 }),
    max: Type.Integer({ minimum: 0, maximum: 100000 }),
  },
  { additionalProperties: false },
);

const FiltersSchema = Type.Object(
  {
    groups: Type.Array(Label, { maxItems: 100 }),
    regions: Type.Array(Id, { maxItems: 200 }),
    tags: Type.Array(Label, { maxItems: 100 }),
    grassroots: Type.Union([Type.Boolean(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const SampleRulesSchema = Type.Object(
  {
    size: Type.Integer({ minimum: 1, maximum: 100000 }),
    filters: FiltersSchema,
    quotas: Type.Array(QuotaSchema, { maxItems: 500 }),
    subjectUnits: Type.Array(Id, { maxItems: 500 }),
    rotationDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    exclusions: Type.Array(
      Type.Object(
        { evaluatorId: Id, reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
    reservePerStratum: Type.Integer({ minimum: 0, maximum: 100 }),
  },
  { additionalProperties: false },
);

const Purpose = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Item = Type.String({ minLength: 1, maxLength: 200 });

export const DrawRequestSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('sample'), purpose: Purpose, rules: SampleRulesSchema },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('list'),
      purpose: Purpose,
      rules: Type.Object(
        { items: Type.Array(Item, { minItems: 1, maxItems: 10000 }), count: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('audit'),
      purpose: Purpose,
      rules: Type.Object(
        {
          items: Type.Array(Item, { minItems: 1, maxItems: 200000 }),
          percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('leaders'),
      purpose: Purpose,
      rules: Type.Object(
        {
          leaders: Type.Array(
            Type.Object(
              {
                id: Id,
                name: Type.String({ minLength: 1, maxLength: 60 }),
                inCharge: Type.Array(Id, { maxItems: 500 }),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 500 },
          ),
          units: Type.Array(Id, { minItems: 1, maxItems: 2000 }),
          leaderMin: Type.Integer({ minimum: 0 }),
          leaderMax: Type.Integer({ minimum: 0 }),
          unitMin: Type.Integer({ minimum: 0 }),
          unitMax: Type.Integer({ minimum: 0 }),
          supplementaryCap: Type.Integer({ minimum: 0, maximum: 1000 }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);

export const StratumSchema = Type.Object({
  key: Type.String(),
  values: Type.Record(Type.String(), Type.Array(Type.String())),
  eligible: Type.Integer(),
  drawn: Type.Integer(),
  probability: Type.Number(),
});

const ExcludedSchema = Type.Object({
  filteredOut: Type.Integer(),
  conflict: Type.Integer(),
  rotation: Type.Integer(),
  manual: Type.Integer(),
  inactive: Type.Integer(),
});

export const PreviewSchema = Type.Object({
  ok: Type.Boolean(),
  strata: Type.Array(StratumSchema),
  eligible: Type.Integer(),
  excluded: ExcludedSchema,
  deviation: Type.Union([Type.Number(), Type.Null()]),
  shortfalls: Type.Array(Type.String()),
});

const Nullable = Type.Union([Type.String(), Type.Null()]);

export const DrawSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...DRAW_KINDS]),
  purpose: Type.String(),
  state: Type.Enum([...DRAW_STATES]),
  rules: Type.Unknown({ description: 'The recorded rules of the draw’s kind' }),
  snapshotDigest: Type.String(),
  rulesDigest: Type.String(),
  commitment: Type.String(),
  secret: Nullable,
  publicValue: Nullable,
  seed: Nullable,
  resultDigest: Nullable,
  strata: Type.Array(StratumSchema),
  eligible: Type.Integer(),
  excluded: Type.Union([ExcludedSchema, Type.Null()]),
  deviation: Type.Union([Type.Number(), Type.Null()]),
  announcedAt: Type.String(),
  announcedBy: Type.String(),
  drawnAt: Nullable,
  publishedAt: Nullable,
  selectedCount: Type.Integer(),
});

export const DrawMemberSchema = Type.Object({
  rank: Type.Integer(),
  role: Type.Enum(['selected', 'reserve']),
  stratum: Type.String(),
  evaluatorId: Type.String(),
  name: Type.String(),
  mobile: Type.String(),
  groups: Type.Array(Type.String()),
  regionName: Nullable,
  grassroots: Type.Boolean(),
});

export const PublicDrawSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...DRAW_KINDS]),
  purpose: Type.String(),
  state: Type.Enum([...DRAW_STATES]),
  size: Type.Union([Type.Integer(), Type.Null()]),
  quotas: Type.Array(QuotaSchema),
  filters: Type.Union([FiltersSchema, Type.Null()]),
  rotationDays: Type.Union([Type.Integer(), Type.Null()]),
  manualExclusions: Type.Integer(),
  subjectUnits: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  snapshotDigest: Type.String(),
  rulesDigest: Type.String(),
  commitment: Type.String(),
  secret: Nullable,
  publicValue: Nullable,
  seed: Nullable,
  resultDigest: Nullable,
  poolSize: Type.Integer(),
  eligible: Type.Integer(),
  strata: Type.Array(StratumSchema),
  labels: Type.Record(Type.String(), Type.String()),
  selectedCount: Type.Integer(),
  announcedAt: Type.String(),
  drawnAt: Nullable,
  publishedAt: Nullable,
});

export const VerifySchema = Type.Object({
  identical: Type.Boolean(),
  difference: Nullable,
  checked: Type.Array(Type.String()),
});
