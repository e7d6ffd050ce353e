import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { Invalid } from '../core/errors.js';
import { readUpload } from '../http/input.js';
import { requireActor } from '../http/auth.js';
import { DateString, errorResponses, IdParams, NonBlank } from '../http/schemas.js';
import { exportRun, XLSX_MIME } from './export.js';
import * as service from './service.js';
import { RUN_WARNING_CODES } from './types.js';

/*
 * The scoring API (docs/scoring-api.md): schemes, imported scores, score sheets, vetoes, runs, their
 * review and publication, and the public results. Thin: each handler is one service call.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Key = Type.String({ minLength: 1, maxLength: 64, description: 'letters, digits, ".", "_" or "-"' });
const Definition = Type.Unknown({ description: 'A SchemeDefinition (see docs/scoring-api.md)' });
const Score = Type.Number({ description: 'A score or a rank, as a number' });

const SchemeSummarySchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  latestVersion: Type.Integer(),
  updatedAt: Type.String(),
});
const VersionFields = {
  version: Type.Integer(),
  note: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
};
const SchemeDetailSchema = Type.Object({
  ...SchemeSummarySchema.properties,
  versions: Type.Array(Type.Object(VersionFields)),
  definition: Definition,
});
const ProblemSchema = Type.Object({
  component: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
});

const ScoreValueSchema = Type.Object({
  id: Type.String(),
  series: Type.String(),
  periodId: Type.String(),
  unitId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  value: Type.Number(),
  document: Type.String(),
  note: Type.String(),
  enteredBy: Type.String({ description: 'Who entered it (a person, or an API token’s name)' }),
  enteredAt: Type.String(),
  supersededAt: Nullable(Type.String({ description: 'Set when a later value replaced this one' })),
});
const ImportResultSchema = Type.Object({
  applied: Type.Boolean(),
  series: Type.String(),
  periodId: Type.String(),
  document: Type.String(),
  rows: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'Row number as Excel shows it' }),
      unitCode: Type.String(),
      unitName: Nullable(Type.String()),
      value: Nullable(Type.Number()),
      previous: Nullable(Type.Number({ description: 'The current value this line replaces or repeats' })),
      status: Type.Enum(['new', 'changed', 'unchanged', 'error']),
      error: Nullable(Type.String({ description: 'Why the line cannot be stored, in English' })),
      errorCode: Nullable(
        Type.String({
          description:
            'empty_unit_code, unknown_unit_code, empty_value, not_a_number, value_out_of_range or duplicate_unit_line',
        }),
      ),
      errorParams: Nullable(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
    }),
  ),
  skipped: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reason: Type.String(),
      code: Type.String({ description: 'title_line, blank_line, header_line or note_line' }),
      params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
    }),
  ),
});

const TaskSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  leadUnitId: Type.String(),
  leadUnitName: Type.String(),
});
const SheetScoreSchema = Type.Object({
  id: Type.String(),
  task: Type.String(),
  periodId: Type.String(),
  scorerUnitId: Type.String(),
  scorerUnitName: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  value: Type.Number(),
  document: Type.String(),
  enteredBy: Type.String(),
  enteredAt: Type.String(),
  supersededAt: Nullable(Type.String()),
});
const VetoSchema = Type.Object({
  id: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  periodId: Type.String(),
  schemeId: Nullable(Type.String()),
  reason: Type.String(),
  evidence: Type.String(),
  recordedBy: Type.String(),
  recordedAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  revokeReason: Nullable(Type.String()),
});

const Status = Type.Enum(['computed', 'in_review', 'approved', 'published', 'superseded']);
const RunSummaryFields = {
  id: Type.String(),
  schemeId: Type.String(),
  schemeName: Type.String(),
  version: Type.Integer(),
  periodId: Type.String(),
  periodName: Type.String(),
  groupKey: Type.String(),
  groupName: Type.String(),
  status: Status,
  unitCount: Type.Integer(),
  computedAt: Type.String(),
  computedBy: Type.String(),
  publishedAt: Nullable(Type.String()),
};
const IntervalSchema = Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }));
const Lists = Type.Object({ best: Type.Array(Type.String()), worst: Type.Array(Type.String()) });
const ReviewFields = {
  stageIndex: Type.Integer(),
  stageName: Type.String(),
  body: Type.String(),
  decidedOn: Type.String(),
  decision: Type.Enum(['approve', 'amend']),
  reason: Nullable(Type.String()),
  best: Type.Array(Type.String()),
  worst: Type.Array(Type.String()),
  recordedAt: Type.String(),
};
const ComponentSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  maxPoints: Type.Number(),
  depth: Type.Integer({ description: 'The root is at depth 0' }),
});
const RunDetailSchema = Type.Object({
  ...RunSummaryFields,
  precision: Type.Integer(),
  inputsDigest: Type.String(),
  resultsDigest: Type.String(),
  supersededBy: Nullable(Type.String()),
  units: Type.Array(
    Type.Object({
      unitId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      parentName: Nullable(Type.String({ description: "The unit's parent as of the period's end" })),
      total: Type.Number(),
      interval: IntervalSchema,
      rank: Type.Integer(),
      grade: Nullable(Type.String()),
      bonusScore: Nullable(Type.Number()),
      previousRank: Nullable(Type.Integer()),
      rankChange: Nullable(Type.Integer()),
      flags: Type.Array(Type.String()),
      components: Type.Record(Type.String(), Type.Number()),
    }),
  ),
  proposed: Lists,
  current: Lists,
  largestDecline: Type.Array(Type.String()),
  declinedTwoRunning: Type.Array(Type.String()),
  stages: Type.Array(Type.Object({ name: Type.String(), body: Type.String(), size: Type.Integer() })),
  reviews: Type.Array(Type.Object({ ...ReviewFields, recordedBy: Type.String() })),
  nextStage: Nullable(Type.Integer()),
  problems: Type.Record(Type.String(), Type.String()),
  components: Type.Array(ComponentSummarySchema),
});
/** A unit's result with its explanation tree (model UnitResult), plus its main problems. */
const UnitResultSchema = Type.Object(
  {
    unitId: Type.String(),
    code: Type.String(),
    name: Type.String(),
    parentName: Nullable(Type.String({ description: "The unit's parent as of the period's end" })),
    total: Type.Number(),
    interval: IntervalSchema,
    rank: Type.Integer(),
    grade: Nullable(Type.String()),
    bonusScore: Nullable(Type.Number()),
    previousRank: Nullable(Type.Integer()),
    rankChange: Nullable(Type.Integer()),
    flags: Type.Array(Type.String()),
    rules: Type.Array(Type.Unknown()),
    explanation: Type.Unknown({ description: 'ComponentResult tree: inputs, mapping, points, flags' }),
    problems: Nullable(Type.String()),
  },
  { additionalProperties: true },
);
const PublicRowSchema = Type.Object({
  unitId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  parentName: Nullable(Type.String({ description: "The unit's parent as of the period's end" })),
  total: Type.Number(),
  rank: Type.Integer(),
  grade: Nullable(Type.String()),
  flags: Type.Array(Type.String()),
  rankChange: Nullable(Type.Integer()),
  problems: Nullable(Type.String()),
});
const PublicKind = Type.Enum(['best_worst', 'worst_only', 'ranking'], {
  description: '十佳十差 (best and worst lists), 最难办事 (a worst list only) or a ranking without lists',
});
const PublicSummaryFields = {
  id: Type.String(),
  schemeName: Type.String(),
  periodName: Type.String(),
  groupName: Type.String(),
  publishedAt: Type.String(),
  kind: PublicKind,
  listSizes: Type.Object({ best: Type.Integer(), worst: Type.Integer() }),
};

const XlsxResponse = {
  description: 'an .xlsx workbook of the full table',
  content: { [XLSX_MIME]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};

const RunUnitParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), unitId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const strict = { additionalProperties: false } as const;

const AcceptWarnings = Type.Optional(
  Type.Array(Type.Enum([...RUN_WARNING_CODES]), {
    maxItems: 10,
    description:
      'Warning codes the clerk confirmed; the step is refused (409 warnings_not_accepted) while another applies',
  }),
);
const WarningsSchema = Type.Object({
  warnings: Type.Array(
    Type.Object({
      code: Type.Enum([...RUN_WARNING_CODES]),
      message: Type.String(),
      params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
    }),
  ),
});
/** `acceptWarnings` of an optional body: known codes only (400 invalid_input otherwise). */
function acceptedWarnings(body: unknown): string[] {
  if (body === undefined || body === null) return [];
  const object = typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const list = object?.acceptWarnings;
  const extra = object ? Object.keys(object).filter((k) => k !== 'acceptWarnings') : ['body'];
  const known = (code: unknown) => (RUN_WARNING_CODES as readonly unknown[]).includes(code);
  if (extra.length > 0 || (list !== undefined && (!Array.isArray(list) || !list.every(known)))) {
    throw new Invalid(
      'invalid_input',
      `The body may hold only acceptWarnings, a list of ${RUN_WARNING_CODES.join(', ')}.`,
      { field: extra[0] ?? 'acceptWarnings' },
    );
  }
  return Array.isArray(list) ? (list as string[]) : [];
}

const RunRequestFields = {
  schemeId: Id,
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  periodId: Id,
  groupKey: Key,
};

export const scoringRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['scoring'];
  const publicTags = ['public'];

  // --- schemes ---

  app.get(
    '/api/schemes',
    {
      schema: {
        tags,
        summary: 'Scoring schemes (考核方案)',
        response: { 200: Type.Array(SchemeSummarySchema), ...errorResponses },
      },
    },
    async (request) => service.listSchemes(deps, requireActor(request)),
  );

  app.post(
    '/api/schemes',
    {
      schema: {
        tags,
        summary: 'Create a scheme (its version 1)',
        description:
          '400 invalid_scheme with params {component, problem} when the definition is unsound; 409 duplicate when the code is taken.',
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 40 }),
            name: NonBlank(100),
            description: Type.Optional(Type.String({ maxLength: 2000 })),
            definition: Definition,
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          strict,
        ),
        response: { 201: SchemeDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createScheme(deps, requireActor(request), request.body)),
  );

  app.post(
    '/api/schemes/check',
    {
      schema: {
        tags,
        summary: 'Check a definition as it is edited: every problem (200 even when there are some)',
        body: Type.Object({ definition: Definition }, strict),
        response: { 200: Type.Object({ problems: Type.Array(ProblemSchema) }), ...errorResponses },
      },
    },
    async (request) => service.checkScheme(requireActor(request), request.body.definition),
  );

  app.get(
    '/api/schemes/:id',
    {
      schema: {
        tags,
        summary: 'A scheme with its versions and the latest definition',
        params: IdParams,
        response: { 200: SchemeDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.getScheme(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/schemes/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version of a scheme (versions never change)',
        params: Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) }, strict),
        response: { 200: Type.Object({ ...VersionFields, definition: Definition }), ...errorResponses },
      },
    },
    async (request) =>
      service.getSchemeVersion(deps, requireActor(request), request.params.id, request.params.version),
  );

  app.post(
    '/api/schemes/:id/versions',
    {
      schema: {
        tags,
        summary: 'Save a new version of a scheme (latest + 1)',
        params: IdParams,
        body: Type.Object(
          { definition: Definition, note: Type.Optional(Type.String({ maxLength: 500 })) },
          strict,
        ),
        response: { 201: SchemeDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.addSchemeVersion(deps, requireActor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/scheme-templates',
    {
      schema: {
        tags,
        summary: 'The seed models as scheme templates (Caidian, Chuzhou, Nanchuan, Xi’an, Tai’an)',
        response: {
          200: Type.Array(
            Type.Object({
              key: Type.String(),
              name: Type.String(),
              description: Type.String(),
              definition: Definition,
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => service.listTemplates(requireActor(request)),
  );

  // --- imported scores ---

  app.get(
    '/api/scores/series',
    {
      schema: {
        tags,
        summary: 'Imported score series by period, with how many current values each holds',
        response: {
          200: Type.Array(
            Type.Object({
              series: Type.String(),
              seriesName: Type.Union([Type.String(), Type.Null()], {
                description: 'The name of a scheme leaf that reads the series (null when none does)',
              }),
              periodId: Type.String(),
              periodName: Type.String(),
              count: Type.Integer(),
              lastEnteredAt: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => service.listSeries(deps, requireActor(request)),
  );

  app.get(
    '/api/scores',
    {
      schema: {
        tags,
        summary: 'The values of a series and period: current first, then the superseded ones',
        querystring: Type.Object({ series: Key, periodId: Id }, strict),
        response: { 200: Type.Array(ScoreValueSchema), ...errorResponses },
      },
    },
    async (request) => service.listScores(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/scores/import',
    {
      schema: {
        tags,
        summary: 'Import scores from .xlsx or .csv: a preview, or (apply=true) stored all at once',
        description:
          'multipart/form-data with fields series, periodId, document, apply ("true" or "false") and the file (columns 单位编码 and 分值, optionally 备注). ' +
          'With apply=true and any line in error: 400 import_has_errors and nothing is stored.',
        consumes: ['multipart/form-data'],
        response: { 200: ImportResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      // Blank or missing fields are refused by the service, naming the field.
      const { file, fields } = await readUpload(request);
      const apply = fields.apply ?? 'false';
      if (apply !== 'true' && apply !== 'false') {
        throw new Invalid('invalid_input', 'The field "apply" is "true" or "false".', { field: 'apply' });
      }
      return service.importScores(deps, actor, {
        ...file,
        series: fields.series ?? '',
        periodId: fields.periodId ?? '',
        document: fields.document ?? '',
        apply: apply === 'true',
      });
    },
  );

  app.post(
    '/api/scores',
    {
      schema: {
        tags,
        summary: 'Store scores sent by a service system (token scope scores:write): all or nothing',
        description:
          'A value equal to the current one is not stored again (counted as unchanged); a different one supersedes it. ' +
          '400 unknown_unit naming the line when a unit code is unknown; nothing is stored then.',
        body: Type.Object(
          {
            series: Key,
            periodId: Id,
            document: NonBlank(200),
            values: Type.Array(
              Type.Object({ unitCode: Type.String({ minLength: 1, maxLength: 40 }), value: Score }, strict),
              { minItems: 1, maxItems: 5000 },
            ),
          },
          strict,
        ),
        response: {
          200: Type.Object({ stored: Type.Integer(), unchanged: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.storeScores(deps, requireActor(request), request.body),
  );

  // --- score sheets ---

  app.get(
    '/api/scoring-tasks',
    {
      schema: {
        tags,
        summary: 'Tasks whose lead unit scores the units carrying them (联考); unit staff see their own',
        response: { 200: Type.Array(TaskSchema), ...errorResponses },
      },
    },
    async (request) => service.listTasks(deps, requireActor(request)),
  );

  app.post(
    '/api/scoring-tasks',
    {
      schema: {
        tags,
        summary: 'Create a task and name its lead unit',
        body: Type.Object({ key: Key, name: NonBlank(100), leadUnitId: Id }, strict),
        response: { 201: TaskSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createTask(deps, requireActor(request), request.body)),
  );

  app.get(
    '/api/score-sheets',
    {
      schema: {
        tags,
        summary: 'The scores entered for a task (and period): current first, then superseded ones',
        querystring: Type.Object({ task: Key, periodId: Type.Optional(Id) }, strict),
        response: { 200: Type.Array(SheetScoreSchema), ...errorResponses },
      },
    },
    async (request) => service.listSheetScores(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/score-sheets',
    {
      schema: {
        tags,
        summary: 'Enter the lead unit’s scores for the units carrying its task',
        description:
          '400 self_scoring when an entry scores the lead unit itself; 403 outside_scope when the caller’s unit does not lead the task.',
        body: Type.Object(
          {
            task: Key,
            periodId: Id,
            document: NonBlank(200),
            entries: Type.Array(Type.Object({ unitId: Id, value: Score }, strict), {
              minItems: 1,
              maxItems: 2000,
            }),
          },
          strict,
        ),
        response: { 200: Type.Object({ stored: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => service.enterSheetScores(deps, requireActor(request), request.body),
  );

  // --- vetoes ---

  app.get(
    '/api/vetoes',
    {
      schema: {
        tags,
        summary: 'One-vote vetoes (一票否决), revoked ones included',
        querystring: Type.Object({ periodId: Type.Optional(Id) }, strict),
        response: { 200: Type.Array(VetoSchema), ...errorResponses },
      },
    },
    async (request) => service.listVetoes(deps, requireActor(request), request.query.periodId),
  );

  app.post(
    '/api/vetoes',
    {
      schema: {
        tags,
        summary: 'Record a veto against a unit for a period (for one scheme, or for all)',
        body: Type.Object(
          {
            unitId: Id,
            periodId: Id,
            schemeId: Type.Optional(Nullable(Id)),
            reason: NonBlank(1000),
            evidence: NonBlank(2000),
          },
          strict,
        ),
        response: { 201: VetoSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.recordVeto(deps, requireActor(request), request.body)),
  );

  app.post(
    '/api/vetoes/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a veto, with the reason',
        params: IdParams,
        body: Type.Object({ reason: NonBlank(1000) }, strict),
        response: { 200: VetoSchema, ...errorResponses },
      },
    },
    async (request) => service.revokeVeto(deps, requireActor(request), request.params.id, request.body),
  );

  // --- runs ---

  app.post(
    '/api/runs',
    {
      schema: {
        tags,
        summary:
          'Compute a ranking for a period and group now (the latest scheme version unless one is named)',
        description:
          '409 warnings_not_accepted while a warning applies (period not ended, a source leaf without values) that acceptWarnings does not name; POST /api/runs/check lists them.',
        body: Type.Object({ ...RunRequestFields, acceptWarnings: AcceptWarnings }, strict),
        response: { 201: RunDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.computeRun(deps, requireActor(request), request.body)),
  );

  app.post(
    '/api/runs/check',
    {
      schema: {
        tags,
        summary: 'The warnings computing this run now would raise, without computing it',
        body: Type.Object(RunRequestFields, strict),
        response: { 200: WarningsSchema, ...errorResponses },
      },
    },
    async (request) => service.runRequestWarnings(deps, requireActor(request), request.body),
  );

  app.get(
    '/api/runs/:id/warnings',
    {
      schema: {
        tags,
        summary: 'What publishing this run now would warn about (each must be accepted to publish)',
        params: IdParams,
        response: { 200: WarningsSchema, ...errorResponses },
      },
    },
    async (request) => service.runWarnings(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/runs',
    {
      schema: {
        tags,
        summary: 'Runs, newest first',
        querystring: Type.Object({ schemeId: Type.Optional(Id), periodId: Type.Optional(Id) }, strict),
        response: { 200: Type.Array(Type.Object(RunSummaryFields)), ...errorResponses },
      },
    },
    async (request) => service.listRuns(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/runs/:id',
    {
      schema: {
        tags,
        summary: 'A run: every unit’s total, rank, grade, flags and component points; lists and reviews',
        params: IdParams,
        response: { 200: RunDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.getRun(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/runs/:id/units/:unitId',
    {
      schema: {
        tags,
        summary: 'One unit’s result with its explanation tree',
        params: RunUnitParams,
        response: { 200: UnitResultSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.getRunUnit(deps, requireActor(request), request.params.id, request.params.unitId),
  );

  app.post(
    '/api/runs/:id/reviews',
    {
      schema: {
        tags,
        summary: 'Record the next review stage’s decision; the last stage approves and locks the run',
        description:
          '400 wrong_stage (not the next stage), 400 reason_required (an amendment without a reason), 400 not_on_list (adding a unit), 409 run_locked.',
        params: IdParams,
        body: Type.Object(
          {
            stageIndex: Type.Integer({ minimum: 0 }),
            body: NonBlank(100),
            decidedOn: DateString,
            decision: Type.Enum(['approve', 'amend']),
            best: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
            worst: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
            reason: Type.Optional(Type.String({ maxLength: 2000 })),
            acceptWarnings: AcceptWarnings,
          },
          strict,
        ),
        response: { 200: RunDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.recordReview(deps, requireActor(request), request.params.id, request.body),
  );

  app.put(
    '/api/runs/:id/problems/:unitId',
    {
      schema: {
        tags,
        summary: 'A unit’s main problems (主要问题), editable until the result is published',
        params: RunUnitParams,
        body: Type.Object({ text: Type.String({ maxLength: 4000 }) }, strict),
        response: { 200: Type.Object({ unitId: Type.String(), text: Type.String() }), ...errorResponses },
      },
    },
    async (request) =>
      service.setProblems(
        deps,
        requireActor(request),
        request.params.id,
        request.params.unitId,
        request.body,
      ),
  );

  app.post(
    '/api/runs/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish an approved result (409 not_approved otherwise)',
        description:
          '409 warnings_not_accepted while a warning of GET /api/runs/:id/warnings applies that acceptWarnings does not name.' +
          ' The body is optional: { acceptWarnings: [codes] }.',
        params: IdParams,
        // No body schema: a publication without a body (as before warnings existed) is still a request.
        response: { 200: RunDetailSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.publishRun(deps, requireActor(request), request.params.id, {
        acceptWarnings: acceptedWarnings(request.body),
      }),
  );

  app.get(
    '/api/runs/:id/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The full table of a run as .xlsx',
        params: IdParams,
        produces: [XLSX_MIME],
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await exportRun(deps, requireActor(request), request.params.id);
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  // --- public ---

  app.get(
    '/api/public/results',
    {
      schema: {
        tags: publicTags,
        summary: 'Published results (十佳十差, 最难办事科室 …), newest first',
        security: [],
        response: { 200: Type.Array(Type.Object(PublicSummaryFields)), ...errorResponses },
      },
    },
    async () => service.publicResults(deps),
  );

  app.get(
    '/api/public/results/:id',
    {
      schema: {
        tags: publicTags,
        summary: 'A published result: the lists as approved, every unit, the review stages, the digests',
        security: [],
        params: IdParams,
        response: {
          200: Type.Object({
            ...PublicSummaryFields,
            issuer: Nullable(
              Type.String({
                description: 'The issuing office named on the notice (通报), when the scheme names it',
              }),
            ),
            components: Type.Array(ComponentSummarySchema, {
              description: "The scheme's components in tree order, for the notice's paragraph of method",
            }),
            precision: Type.Integer(),
            best: Type.Array(PublicRowSchema),
            worst: Type.Array(PublicRowSchema),
            units: Type.Array(PublicRowSchema),
            stages: Type.Array(Type.Object(ReviewFields)),
            inputsDigest: Type.String(),
            resultsDigest: Type.String(),
            schemeVersion: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.publicResult(deps, request.params.id),
  );

  app.get(
    '/api/public/results/:id/units/:unitId',
    {
      schema: {
        tags: publicTags,
        summary: 'A unit’s published result with its explanation (no person is named)',
        security: [],
        params: RunUnitParams,
        response: { 200: UnitResultSchema, ...errorResponses },
      },
    },
    async (request) => service.publicUnit(deps, request.params.id, request.params.unitId),
  );
};
