import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { DateString, errorResponses, NonBlank } from '../http/schemas.js';
import { exportRecord, XLSX_MIME } from './export.js';
import { CONSEQUENCE_KINDS, CONSEQUENCE_TARGETS, TRIGGER_FLAGS } from './model.js';
import * as service from './service.js';

/*
 * The result application API (docs/outcomes.md): consequence rules per scheme, a published run's
 * proposals and the office's decisions, carrying out, appeals, a unit's record. Thin: one service call each.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });
const strict = { additionalProperties: false } as const;

const Trigger = Type.Union([
  Type.Object({ kind: Type.Literal('flag'), flag: Type.Enum([...TRIGGER_FLAGS]) }),
  Type.Object({ kind: Type.Literal('list'), list: Type.Enum(['best', 'worst']) }),
  Type.Object({ kind: Type.Literal('grade'), grade: Type.String() }),
]);
const Kind = Type.Enum([...CONSEQUENCE_KINDS]);
const Target = Type.Enum([...CONSEQUENCE_TARGETS]);

const RuleSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  trigger: Trigger,
  kind: Kind,
  target: Target,
  percent: Type.Optional(Type.Number()),
  months: Type.Optional(Type.Integer()),
});
const RuleSetSchema = Type.Object({
  schemeId: Type.String(),
  rules: Type.Array(RuleSchema),
  updatedAt: Nullable(Type.String()),
  updatedBy: Nullable(Type.String()),
});
const PresetSchema = Type.Object({ key: Type.String(), name: Type.String(), rules: Type.Array(RuleSchema) });

const BasisSchema = Type.Object({
  runId: Type.String(),
  ruleKey: Type.String(),
  trigger: Trigger,
  rank: Type.Integer(),
  previousRank: Nullable(Type.Integer()),
  rankChange: Nullable(Type.Integer()),
  total: Type.Number(),
  grade: Nullable(Type.String()),
  listPosition: Nullable(Type.Integer()),
  bonusScore: Nullable(Type.Number()),
});
const ProposalFields = {
  runId: Type.String(),
  ruleKey: Type.String(),
  ruleName: Type.String(),
  unitId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  parentName: Nullable(Type.String()),
  kind: Kind,
  target: Target,
  percent: Nullable(Type.Number()),
  months: Nullable(Type.Integer()),
  startsOn: Type.String({ description: 'The publication day (China time)' }),
  endsOn: Nullable(Type.String({ description: 'Last day in force, inclusive (lasting consequences only)' })),
  basis: BasisSchema,
};
const AppealSchema = Type.Object({
  id: Type.String(),
  consequenceId: Type.String(),
  filedOn: Type.String(),
  grounds: Type.String(),
  filedBy: Type.String(),
  status: Type.Enum(['pending', 'upheld', 'granted']),
  decidedAt: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  decisionReason: Nullable(Type.String()),
});
const ConsequenceSchema = Type.Object({
  ...ProposalFields,
  id: Type.String(),
  status: Type.Enum(['confirmed', 'rejected', 'revoked']),
  subject: Nullable(Type.String()),
  note: Nullable(Type.String()),
  decidedBy: Type.String(),
  decidedAt: Type.String(),
  doneOn: Nullable(Type.String()),
  doneNote: Nullable(Type.String()),
  open: Type.Boolean(),
  schemeName: Type.String(),
  periodName: Type.String(),
  appeals: Type.Array(AppealSchema),
});
const RunOutcomesSchema = Type.Object({
  runId: Type.String(),
  schemeId: Type.String(),
  schemeName: Type.String(),
  periodName: Type.String(),
  groupName: Type.String(),
  publishedAt: Type.String(),
  hasRules: Type.Boolean(),
  items: Type.Array(
    Type.Object({ proposal: Type.Object(ProposalFields), decision: Nullable(ConsequenceSchema) }),
  ),
});
const RecordSchema = Type.Object({
  unitId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  results: Type.Array(
    Type.Object({
      runId: Type.String(),
      schemeName: Type.String(),
      periodName: Type.String(),
      groupName: Type.String(),
      publishedAt: Type.String(),
      total: Type.Number(),
      rank: Type.Integer(),
      groupSize: Type.Integer(),
      grade: Nullable(Type.String()),
      gradeName: Nullable(Type.String()),
      rankChange: Nullable(Type.Integer()),
      flags: Type.Array(Type.String()),
      onBest: Type.Boolean(),
      onWorst: Type.Boolean(),
    }),
  ),
  consequences: Type.Array(ConsequenceSchema),
});

const XlsxResponse = {
  description: 'an .xlsx workbook',
  content: { [XLSX_MIME]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};

export const outcomeRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['outcomes'];

  app.get(
    '/api/outcomes/presets',
    {
      schema: {
        tags,
        summary: 'Consequence rule sets of the seed models',
        response: { 200: Type.Array(PresetSchema), ...errorResponses },
      },
    },
    async (request) => service.listPresets(requireActor(request)),
  );

  app.get(
    '/api/outcomes/rules/:schemeId',
    {
      schema: {
        tags,
        summary: 'A scheme’s consequence rules',
        params: Type.Object({ schemeId: Id }, strict),
        response: { 200: RuleSetSchema, ...errorResponses },
      },
    },
    async (request) => service.getRules(deps, requireActor(request), request.params.schemeId),
  );

  app.put(
    '/api/outcomes/rules/:schemeId',
    {
      schema: {
        tags,
        summary: 'Replace a scheme’s consequence rules (checked; refused with the first problem)',
        params: Type.Object({ schemeId: Id }, strict),
        body: Type.Object({ rules: Type.Array(Type.Unknown(), { maxItems: 50 }) }, strict),
        response: { 200: RuleSetSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.putRules(deps, requireActor(request), request.params.schemeId, request.body.rules),
  );

  app.get(
    '/api/outcomes/runs/:runId',
    {
      schema: {
        tags,
        summary: 'What a published result calls for under its scheme’s rules, with the decisions taken',
        params: Type.Object({ runId: Id }, strict),
        response: { 200: RunOutcomesSchema, ...errorResponses },
      },
    },
    async (request) => service.runOutcomes(deps, requireActor(request), request.params.runId),
  );

  app.post(
    '/api/outcomes/runs/:runId/decisions',
    {
      schema: {
        tags,
        summary: 'Confirm or reject one proposed consequence (once)',
        params: Type.Object({ runId: Id }, strict),
        body: Type.Object(
          {
            ruleKey: Type.String({ minLength: 1, maxLength: 40 }),
            unitId: Id,
            decision: Type.Enum(['confirm', 'reject']),
            subject: Type.Optional(
              Type.String({ maxLength: 60, description: 'The person it falls on, e.g. 科长 张某' }),
            ),
            note: Type.Optional(Type.String({ maxLength: 500, description: 'Required when rejecting' })),
          },
          strict,
        ),
        response: { 201: ConsequenceSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.decide(deps, requireActor(request), request.params.runId, request.body)),
  );

  app.get(
    '/api/outcomes/consequences',
    {
      schema: {
        tags,
        summary: 'Decided consequences, newest first; of one unit; only the open ones with open=true',
        querystring: Type.Object({ unitId: Type.Optional(Id), open: Type.Optional(Type.Boolean()) }, strict),
        response: { 200: Type.Array(ConsequenceSchema), ...errorResponses },
      },
    },
    async (request) => service.listConsequences(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/outcomes/consequences/:id/done',
    {
      schema: {
        tags,
        summary: 'Record that a talk was held or a public commitment made',
        params: Type.Object({ id: Id }, strict),
        body: Type.Object({ doneOn: DateString, note: NonBlank(500) }, strict),
        response: { 200: ConsequenceSchema, ...errorResponses },
      },
    },
    async (request) => service.markDone(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/outcomes/consequences/:id/appeals',
    {
      schema: {
        tags,
        summary: 'Record a unit’s appeal against a confirmed consequence',
        params: Type.Object({ id: Id }, strict),
        body: Type.Object({ filedOn: DateString, grounds: NonBlank(2000) }, strict),
        response: { 201: ConsequenceSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.fileAppeal(deps, requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/outcomes/appeals/:id/decide',
    {
      schema: {
        tags,
        summary: 'Decide an appeal: upheld (the consequence stands) or granted (it is revoked)',
        params: Type.Object({ id: Id }, strict),
        body: Type.Object({ decision: Type.Enum(['upheld', 'granted']), reason: NonBlank(2000) }, strict),
        response: { 200: ConsequenceSchema, ...errorResponses },
      },
    },
    async (request) => service.decideAppeal(deps, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/outcomes/units/:unitId/record',
    {
      schema: {
        tags,
        summary: 'A unit’s record: every published result and every consequence with its appeals',
        params: Type.Object({ unitId: Id }, strict),
        response: { 200: RecordSchema, ...errorResponses },
      },
    },
    async (request) => service.unitRecord(deps, requireActor(request), request.params.unitId),
  );

  app.get(
    '/api/outcomes/units/:unitId/record.xlsx',
    {
      schema: {
        tags,
        summary: 'A unit’s record as .xlsx (for the personnel department)',
        params: Type.Object({ unitId: Id }, strict),
        produces: [XLSX_MIME],
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await exportRecord(deps, requireActor(request), request.params.unitId);
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
};
