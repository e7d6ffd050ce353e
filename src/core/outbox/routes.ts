import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.js';
import { errorResponses, IdParams } from '../../http/schemas.js';
import type { Deps } from '../context.js';
import { MAX_CLAIM, OUTBOX_CHANNELS } from './model.js';
import { claimOutbox, listOutbox, markSent } from './service.js';

const MessageSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  channel: Type.Enum([...OUTBOX_CHANNELS]),
  recipient: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  relatedType: Type.String(),
  relatedId: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  claimedUntil: Type.Union([Type.String(), Type.Null()]),
});

export const outboxRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['outbox'];

  app.get(
    '/api/outbox',
    {
      schema: {
        tags,
        summary:
          'Messages for the SMS or mail gateway, oldest first (outbox:drain: the office, or a gateway’s API token)',
        querystring: Type.Object(
          {
            unsent: Type.Optional(Type.Boolean()),
            relatedType: Type.Optional(Type.String({ maxLength: 40 })),
            relatedId: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(MessageSchema), ...errorResponses },
      },
    },
    async (request) => listOutbox(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/outbox/claim',
    {
      schema: {
        tags,
        summary:
          'A gateway takes the oldest unsent messages nobody holds, for a lease; two gateways never get the same message (outbox:drain)',
        body: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CLAIM })),
            leaseSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            claimId: Type.String(),
            claimedUntil: Type.String(),
            messages: Type.Array(MessageSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => claimOutbox(deps, requireActor(request), request.body),
  );

  app.post(
    '/api/outbox/:id/sent',
    {
      schema: {
        tags,
        summary:
          'The gateway reports an attempt: sent, or failed with the error (outbox:drain: the office, or a gateway’s API token)',
        params: IdParams,
        body: Type.Object(
          {
            ok: Type.Boolean(),
            error: Type.Optional(Type.String({ maxLength: 500 })),
            // The claim the message was taken under: a failure reported with it frees the message.
            claimId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MessageSchema, ...errorResponses },
      },
    },
    async (request) => markSent(deps, requireActor(request), request.params.id, request.body),
  );
};
