import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { DateString, errorResponses, IdParams, NonBlank } from '../http/schemas.js';
import * as handling from './handling.js';
import { MATTER_CHANNELS, MATTER_OUTCOMES, MATTER_RATINGS, MATTER_STATES } from './model.js';
import * as publicWindow from './public.js';
import * as rota from './rota.js';
import * as service from './service.js';

/*
 * The 办不成事 window's HTTP routes: thin, one service call each. Console routes under /api/window
 * (window:handle to record matters and answer one's own, window:manage for the coordinating office); the
 * public form, the lookup by receipt code, the filer's judgement and the figures under /api/public/window.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const body = <T extends Parameters<typeof Type.Object>[0]>(fields: T) =>
  Type.Object(fields, { additionalProperties: false });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const tags = ['window'];

const SummaryFields = {
  id: Type.String(),
  receiptCode: Type.String(),
  channel: Type.Enum([...MATTER_CHANNELS]),
  state: Type.Enum([...MATTER_STATES]),
  stateName: Type.String(),
  what: Type.String(),
  place: Type.String(),
  unitsNamed: Type.String(),
  filerName: Type.String(),
  filerPhone: Type.String(),
  coordinatorId: Nullable(Type.String()),
  coordinatorName: Nullable(Type.String()),
  leadUnitId: Nullable(Type.String()),
  leadUnitName: Nullable(Type.String()),
  filedOn: Type.String(),
  dueOn: Nullable(Type.String()),
  deadlineOn: Nullable(Type.String()),
  overdue: Type.Boolean(),
  workingDaysLeft: Nullable(Type.Integer()),
  escalation: Type.Integer(),
  escalationName: Nullable(Type.String()),
  outcome: Nullable(Type.Enum([...MATTER_OUTCOMES])),
  rating: Nullable(Type.Enum([...MATTER_RATINGS])),
  ledgerItemId: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  createdAt: Type.String(),
};
const MatterSummarySchema = Type.Object(SummaryFields);
const MatterDetailSchema = Type.Object({
  ...SummaryFields,
  assignments: Type.Array(
    Type.Object({
      unitId: Type.String(),
      unitName: Type.String(),
      lead: Type.Boolean(),
      responseText: Type.String(),
      respondedAt: Nullable(Type.String()),
      respondedBy: Nullable(Type.String()),
    }),
  ),
  declinedReason: Type.String(),
  resolutionText: Type.String(),
  ratingComment: Type.String(),
  ratedAt: Nullable(Type.String()),
  repeats: Type.Integer(),
  warnings: Type.Array(
    Type.Object({
      level: Type.Integer(),
      name: Type.String(),
      dueOn: Type.String(),
      issuedOn: Type.String(),
    }),
  ),
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String(),
      actor: Type.String(),
      type: Type.String(),
      payload: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});
const PublicMatterSchema = Type.Object({
  receiptCode: Type.String(),
  state: Type.Enum([...MATTER_STATES]),
  stateName: Type.String(),
  what: Type.String(),
  filedOn: Type.String(),
  dueOn: Nullable(Type.String()),
  units: Type.Array(Type.String()),
  outcome: Nullable(Type.Enum([...MATTER_OUTCOMES])),
  resolutionText: Type.String(),
  rating: Nullable(Type.Enum([...MATTER_RATINGS])),
  mayRate: Type.Boolean(),
  steps: Type.Array(Type.Object({ at: Type.String(), type: Type.String() })),
});
const RotaSchema = Type.Array(
  Type.Object({ date: Type.String(), accountId: Type.String(), name: Type.String() }),
);
const FiguresSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  received: Type.Integer(),
  accepted: Type.Integer(),
  resolved: Type.Integer(),
  rated: Type.Integer(),
  satisfied: Type.Integer(),
  satisfiedRate: Nullable(Type.Number()),
});
const FilingFields = {
  what: NonBlank(2000),
  place: Type.Optional(Type.String({ maxLength: 200 })),
  unitsNamed: Type.Optional(Type.String({ maxLength: 200 })),
  filerName: NonBlank(40),
  filerPhone: NonBlank(24),
};
const CodeParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 20 }) },
  { additionalProperties: false },
);
const Reason = body({ reason: NonBlank(1000), deadlineOn: Type.Optional(DateString) });

export const windowRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  // --- the console ---
  app.get(
    '/api/window/matters',
    {
      schema: {
        tags,
        summary:
          'The queue of 办不成事 matters, newest first (window:handle; unit staff see their units’ matters)',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Enum([...MATTER_STATES])),
            unitId: Type.Optional(Id),
            mine: Type.Optional(Type.Boolean()),
            overdue: Type.Optional(Type.Boolean()),
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            matters: Type.Array(MatterSummarySchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.listMatters(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/window/matters',
    {
      schema: {
        tags,
        summary: 'A clerk records a matter brought to the hall window or the hotline (window:handle)',
        body: body({ channel: Type.Enum(['hall', 'hotline']), ...FilingFields }),
        response: { 201: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { channel, ...input } = request.body;
      return reply.status(201).send(await service.fileMatter(deps, requireActor(request), channel, input));
    },
  );

  app.get(
    '/api/window/matters/:id',
    {
      schema: {
        tags,
        summary: 'One matter with its units’ answers, warnings and events (window:handle)',
        params: IdParams,
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.getMatter(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/window/matters/:id/accept',
    {
      schema: {
        tags,
        summary: 'The coordinator on duty accepts a filed matter (受理) (window:manage)',
        params: IdParams,
        body: body({}),
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.acceptMatter(deps, requireActor(request), request.params.id),
  );
  app.post(
    '/api/window/matters/:id/decline',
    {
      schema: {
        tags,
        summary:
          'Decline a filed matter as not one for the window, with the reason told to the filer (window:manage)',
        params: IdParams,
        body: body({ reason: NonBlank(1000) }),
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.declineMatter(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/window/matters/:id/assign',
    {
      schema: {
        tags,
        summary:
          'Assign an accepted matter to one or several units, one leading, with a deadline (window:manage)',
        params: IdParams,
        body: body({
          unitIds: Type.Array(Id, { minItems: 1, maxItems: 20 }),
          leadUnitId: Id,
          deadlineOn: Type.Optional(DateString),
        }),
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.assignMatter(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/window/matters/:id/respond',
    {
      schema: {
        tags,
        summary: 'A unit the matter is assigned to answers what it did (window:handle, own subtree)',
        params: IdParams,
        body: body({ unitId: Id, text: NonBlank(4000) }),
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.respondMatter(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/window/matters/:id/return',
    {
      schema: {
        tags,
        summary: 'Send the units’ answers back, with a reason and a fresh deadline (window:manage)',
        params: IdParams,
        body: Reason,
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.returnMatter(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/window/matters/:id/resolve',
    {
      schema: {
        tags,
        summary:
          'Record the result (solved, or explained why not); the filer is told and may judge it (window:manage)',
        params: IdParams,
        body: body({ outcome: Type.Enum([...MATTER_OUTCOMES]), text: NonBlank(4000) }),
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.resolveMatter(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/window/matters/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Send a resolved or judged matter back to its units, with a reason (window:manage)',
        params: IdParams,
        body: Reason,
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.reopenMatter(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/window/matters/:id/ledger-item',
    {
      schema: {
        tags,
        summary:
          'Turn the matter into a rectification ledger item of its lead unit (window:manage, ledger:manage)',
        params: IdParams,
        body: body({
          title: Type.Optional(Type.String({ maxLength: 60 })),
          deadlineOn: Type.Optional(DateString),
          responsibleName: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: MatterDetailSchema, ...errorResponses },
      },
    },
    async (request) => handling.toLedgerItem(deps, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/window/rota',
    {
      schema: {
        tags,
        summary: 'Who coordinates the matters of each working day from–to (window:handle)',
        querystring: Type.Object({ from: DateString, to: DateString }, { additionalProperties: false }),
        response: { 200: RotaSchema, ...errorResponses },
      },
    },
    async (request) => rota.getRota(deps, requireActor(request), request.query),
  );
  app.put(
    '/api/window/rota',
    {
      schema: {
        tags,
        summary: 'Give the working days from–to in turn to the listed office accounts (window:manage)',
        body: body({ from: DateString, to: DateString, accountIds: Type.Array(Id, { maxItems: 50 }) }),
        response: { 200: RotaSchema, ...errorResponses },
      },
    },
    async (request) => rota.setRota(deps, requireActor(request), request.body),
  );

  // --- the public ---
  app.post(
    '/api/public/window/matters',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'File a matter that could not get done (the public web/H5 form); answers the receipt code',
        security: [],
        body: body(FilingFields),
        response: {
          201: Type.Object({ receiptCode: Type.String(), dueOn: Nullable(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const m = await service.fileMatter(deps, service.PUBLIC_FILER, 'web', request.body);
      return reply.status(201).send({ receiptCode: m.receiptCode, dueOn: m.dueOn });
    },
  );
  app.get(
    '/api/public/window/matters/:code',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'A matter’s progress by its receipt code (no contact data)',
        security: [],
        params: CodeParams,
        response: { 200: PublicMatterSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await publicWindow.lookUpMatter(deps, request.params.code)),
  );
  app.post(
    '/api/public/window/matters/:code/rating',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The filer judges the result of a resolved matter, once',
        security: [],
        params: CodeParams,
        body: body({
          rating: Type.Enum([...MATTER_RATINGS]),
          comment: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: PublicMatterSchema, ...errorResponses },
      },
    },
    async (request) => publicWindow.rateMatter(deps, request.params.code, request.body),
  );
  app.get(
    '/api/public/window/figures',
    {
      schema: {
        tags,
        summary: 'The window’s figures for matters filed from–to: received, resolved, satisfied',
        security: [],
        querystring: Type.Object(
          { from: Type.Optional(DateString), to: Type.Optional(DateString) },
          { additionalProperties: false },
        ),
        response: { 200: FiguresSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await publicWindow.windowFigures(deps, request.query)),
  );
};
