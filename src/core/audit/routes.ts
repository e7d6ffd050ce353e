import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../context.js';
import { requireActor } from '../../http/auth.js';
import { errorResponses } from '../../http/schemas.js';
import { listAudit } from './service.js';

const EntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  beforeDigest: Type.Union([Type.String(), Type.Null()]),
  afterDigest: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Unknown({ description: 'What changed: field → new value' }),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, filterable by entity and account',
        querystring: Type.Object(
          {
            entityType: Type.Optional(Type.String({ maxLength: 40 })),
            entityId: Type.Optional(Type.String({ maxLength: 64 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            // seq is a 32-bit integer column on PostgreSQL; a larger number is bad input, not a server error.
            beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(EntrySchema), ...errorResponses },
      },
    },
    async (request) => {
      const entries = await listAudit(deps, requireActor(request), {
        ...request.query,
        limit: request.query.limit ?? 100,
      });
      return entries.map((e) => ({ ...e, detail: JSON.parse(e.detail) as unknown }));
    },
  );
};
