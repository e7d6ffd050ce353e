/* The evaluator pool's and the draws' HTTP routes (thin: schemas, then the service). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { readUpload } from '../http/input.js';
import { errorResponses, IdParams } from '../http/schemas.js';
import * as draws from './draw-service.js';
import * as imports from './import-service.js';
import {
  CompositionSchema,
  DrawMemberSchema,
  DrawRequestSchema,
  DrawSchema,
  EvaluatorInputSchema,
  EvaluatorSchema,
  GroupSchema,
  ImportPreviewSchema,
  PreviewSchema,
  PublicDrawSchema,
  SampleRulesSchema,
  VerifySchema,
} from './schemas.js';
import * as service from './service.js';

const tags = ['panel'];
const Unmasked = Type.Optional(
  Type.Boolean({
    description: 'Show mobile numbers unmasked (pool keepers: panel:mobile); the read is audited',
  }),
);

export const panelRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  // --- groups ---
  app.get(
    '/api/panel/groups',
    {
      schema: {
        tags,
        summary: 'The office’s evaluator groups',
        response: { 200: Type.Array(GroupSchema), ...errorResponses },
      },
    },
    async (request) => service.listGroups(deps, requireActor(request)),
  );
  app.post(
    '/api/panel/groups',
    {
      schema: {
        tags,
        summary: 'Define a group',
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 40 }),
            name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }),
            sortOrder: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: GroupSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createGroup(deps, requireActor(request), request.body)),
  );
  app.patch(
    '/api/panel/groups/:id',
    {
      schema: {
        tags,
        summary: 'Rename or reorder a group (the code stays)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' })),
            sortOrder: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: GroupSchema, ...errorResponses },
      },
    },
    async (request) => service.updateGroup(deps, requireActor(request), request.params.id, request.body),
  );

  // --- evaluators ---
  app.get(
    '/api/panel/evaluators',
    {
      schema: {
        tags,
        summary: 'A page of the evaluator pool, filtered',
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({ maxLength: 60, description: 'Name, or the last digits of the mobile number' }),
            ),
            group: Type.Optional(Type.String({ maxLength: 60 })),
            regionId: Type.Optional(Type.String({ maxLength: 64 })),
            tag: Type.Optional(Type.String({ maxLength: 60 })),
            grassroots: Type.Optional(Type.Boolean()),
            active: Type.Optional(Type.Boolean()),
            offset: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            unmasked: Unmasked,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(EvaluatorSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.listEvaluators(deps, requireActor(request), request.query);
    },
  );
  app.get(
    '/api/panel/evaluators/:id',
    {
      schema: {
        tags,
        summary: 'One evaluator',
        params: IdParams,
        querystring: Type.Object({ unmasked: Unmasked }, { additionalProperties: false }),
        response: { 200: EvaluatorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.getEvaluator(
        deps,
        requireActor(request),
        request.params.id,
        request.query.unmasked === true,
      );
    },
  );
  app.post(
    '/api/panel/evaluators',
    {
      schema: {
        tags,
        summary: 'Add an evaluator (409 duplicate_mobile when the number is in the pool)',
        body: EvaluatorInputSchema,
        response: { 201: EvaluatorSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createEvaluator(deps, requireActor(request), request.body)),
  );
  app.put(
    '/api/panel/evaluators/:id',
    {
      schema: {
        tags,
        summary: 'Edit an evaluator',
        params: IdParams,
        body: EvaluatorInputSchema,
        response: { 200: EvaluatorSchema, ...errorResponses },
      },
    },
    async (request) => service.updateEvaluator(deps, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/api/panel/evaluators/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Deactivate an evaluator (never deleted: past draws must verify)',
        params: IdParams,
        response: { 200: EvaluatorSchema, ...errorResponses },
      },
    },
    async (request) => service.setEvaluatorActive(deps, requireActor(request), request.params.id, false),
  );
  app.post(
    '/api/panel/evaluators/:id/activate',
    {
      schema: {
        tags,
        summary: 'Reactivate an evaluator',
        params: IdParams,
        response: { 200: EvaluatorSchema, ...errorResponses },
      },
    },
    async (request) => service.setEvaluatorActive(deps, requireActor(request), request.params.id, true),
  );

  // --- composition ---
  app.get(
    '/api/panel/composition',
    {
      schema: {
        tags,
        summary: 'Counts by group, region and tag; grassroots share against the target',
        response: { 200: CompositionSchema, ...errorResponses },
      },
    },
    async (request) => service.poolComposition(deps, requireActor(request)),
  );
  app.put(
    '/api/panel/target',
    {
      schema: {
        tags,
        summary: 'Set the grassroots share the office aims at (percent)',
        body: Type.Object(
          { percent: Type.Number({ minimum: 0, maximum: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: CompositionSchema, ...errorResponses },
      },
    },
    async (request) => service.setGrassrootsTarget(deps, requireActor(request), request.body.percent),
  );

  // --- import ---
  app.post(
    '/api/panel/imports',
    {
      schema: {
        tags,
        summary: 'Upload a pool workbook (.xlsx or .csv) and get its preview',
        description:
          'Columns 姓名, 手机号, 群体, 区域, 基层, 标签, 回避单位. Each line is new, changed, unchanged or in error; nothing changes until applied.',
        consumes: ['multipart/form-data'],
        response: { 201: ImportPreviewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      service.requirePanel(actor, 'panel:manage');
      const { file } = await readUpload(request);
      return reply.status(201).send(await imports.previewPoolImport(deps, actor, file));
    },
  );
  app.get(
    '/api/panel/imports/:id',
    {
      schema: {
        tags,
        summary: 'A pool import preview, planned again',
        params: IdParams,
        response: { 200: ImportPreviewSchema, ...errorResponses },
      },
    },
    async (request) => imports.getPoolImport(deps, requireActor(request), request.params.id),
  );
  app.post(
    '/api/panel/imports/:id/apply',
    {
      schema: {
        tags,
        summary: 'Apply a pool import: all lines or none',
        description:
          '409 import_has_errors while a line is in error; 409 import_stale when the pool changed since the preview.',
        params: IdParams,
        response: { 200: ImportPreviewSchema, ...errorResponses },
      },
    },
    async (request) => imports.applyPoolImport(deps, requireActor(request), request.params.id),
  );

  // --- draws ---
  app.post(
    '/api/panel/draws/preview',
    {
      schema: {
        tags,
        summary: 'The strata, probabilities and failing quotas of a sample draw, without recording it',
        body: SampleRulesSchema,
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (request) => draws.previewSample(deps, requireActor(request), request.body),
  );
  app.post(
    '/api/panel/draws',
    {
      schema: {
        tags,
        summary: 'Announce a draw: rules, pool snapshot digest and the commitment are recorded and published',
        description:
          '400 quota_infeasible names each failing quota and by how much; 400 bounds_infeasible for leader panels.',
        body: DrawRequestSchema,
        response: { 201: DrawSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await draws.announceDraw(deps, requireActor(request), request.body)),
  );
  app.get(
    '/api/panel/draws',
    {
      schema: {
        tags,
        summary: 'Draws, newest first',
        response: { 200: Type.Array(DrawSchema), ...errorResponses },
      },
    },
    async (request) => draws.listDraws(deps, requireActor(request)),
  );
  app.get(
    '/api/panel/draws/:id',
    {
      schema: {
        tags,
        summary: 'One draw',
        params: IdParams,
        response: { 200: DrawSchema, ...errorResponses },
      },
    },
    async (request) => draws.getDraw(deps, requireActor(request), request.params.id),
  );
  app.post(
    '/api/panel/draws/:id/draw',
    {
      schema: {
        tags,
        summary: 'Make the draw with the public value entered after the announcement',
        params: IdParams,
        body: Type.Object(
          { publicValue: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) },
          { additionalProperties: false },
        ),
        response: { 200: DrawSchema, ...errorResponses },
      },
    },
    async (request) =>
      draws.performDraw(deps, requireActor(request), request.params.id, request.body.publicValue),
  );
  app.post(
    '/api/panel/draws/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a drawn draw',
        params: IdParams,
        response: { 200: DrawSchema, ...errorResponses },
      },
    },
    async (request) => draws.publishDraw(deps, requireActor(request), request.params.id),
  );
  app.get(
    '/api/panel/draws/:id/members',
    {
      schema: {
        tags,
        summary: 'The people a sample draw selected, and its reserves',
        params: IdParams,
        querystring: Type.Object({ unmasked: Unmasked }, { additionalProperties: false }),
        response: { 200: Type.Array(DrawMemberSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return draws.drawMembers(
        deps,
        requireActor(request),
        request.params.id,
        request.query.unmasked === true,
      );
    },
  );
  app.get(
    '/api/panel/draws/:id/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the draw from its record: identical, or the first difference',
        params: IdParams,
        response: { 200: VerifySchema, ...errorResponses },
      },
    },
    async (request) => {
      service.requirePanel(requireActor(request), 'panel:read');
      return draws.verifyDraw(deps, request.params.id);
    },
  );
  app.get(
    '/api/panel/draws/:id/assignment',
    {
      schema: {
        tags,
        summary: 'A drawn leader panel: leader–unit pairs and supplementary sheets',
        params: IdParams,
        response: {
          200: Type.Object({
            pairs: Type.Array(Type.Tuple([Type.String(), Type.String()])),
            supplements: Type.Record(Type.String(), Type.Array(Type.String())),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => draws.leaderAssignment(deps, requireActor(request), request.params.id),
  );
  app.put(
    '/api/panel/draws/:id/supplements/:leaderId',
    {
      schema: {
        tags,
        summary: 'A leader’s supplementary sheet: units they know well, up to the cap',
        params: Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 64 }),
            leaderId: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        body: Type.Object(
          { units: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ units: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => ({
      units: await draws.putSupplement(
        deps,
        requireActor(request),
        request.params.id,
        request.params.leaderId,
        request.body.units,
      ),
    }),
  );

  // --- public ---
  app.get(
    '/api/public/draws',
    {
      schema: {
        tags,
        summary: 'Announced and published draws (rules, digests, seed, counts by stratum)',
        security: [],
        response: { 200: Type.Array(PublicDrawSchema) },
      },
    },
    async () => draws.listPublicDraws(deps),
  );
  app.get(
    '/api/public/draws/:id',
    {
      schema: {
        tags,
        summary: 'A draw’s public page: never names or mobile numbers',
        security: [],
        params: IdParams,
        response: { 200: PublicDrawSchema, ...errorResponses },
      },
    },
    async (request) => draws.publicDraw(deps, request.params.id),
  );
};
