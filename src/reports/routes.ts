import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Deps } from '../core/context.js';
import { loadConfig } from '../core/config.js';
import { requireActor } from '../http/auth.js';
import { DateString, errorResponses, IdParams } from '../http/schemas.js';
import * as service from './service.js';

/*
 * The documents API (docs/reports.md): notices drafted from published results, analysis reports of a
 * period, edited while drafts, issued, downloaded as .docx, PDF (when the server has Chromium) or HTML.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });
const strict = { additionalProperties: false } as const;

const Block = Type.Union([
  Type.Object({
    kind: Type.Literal('heading'),
    level: Type.Union([Type.Literal(1), Type.Literal(2)]),
    text: Type.String(),
  }),
  Type.Object({ kind: Type.Literal('paragraph'), text: Type.String() }),
  Type.Object({
    kind: Type.Literal('table'),
    caption: Type.String(),
    columns: Type.Array(Type.String()),
    rows: Type.Array(Type.Array(Type.String())),
  }),
  Type.Object({
    kind: Type.Literal('chart'),
    caption: Type.String(),
    svg: Type.String(),
    width: Type.Number(),
    height: Type.Number(),
  }),
]);
const OfficialDocumentSchema = Type.Object({
  issuer: Type.String(),
  docNumber: Type.String(),
  title: Type.String(),
  addressee: Type.String(),
  blocks: Type.Array(Block),
  signature: Type.String(),
  date: Type.String(),
  cc: Type.String(),
});
const Kind = Type.Enum(['notice', 'report']);
const Status = Type.Enum(['draft', 'issued']);
const DocumentSchema = Type.Object({
  id: Type.String(),
  kind: Kind,
  status: Status,
  runId: Nullable(Type.String()),
  periodId: Nullable(Type.String()),
  document: OfficialDocumentSchema,
  dataDigest: Type.String({ description: 'SHA-256 of the canonical JSON of the data it was built from' }),
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
  issuedAt: Nullable(Type.String()),
  issuedBy: Nullable(Type.String()),
});
const SummarySchema = Type.Object({
  id: Type.String(),
  kind: Kind,
  status: Status,
  title: Type.String(),
  docNumber: Type.String(),
  runId: Nullable(Type.String()),
  periodId: Nullable(Type.String()),
  createdAt: Type.String(),
  issuedAt: Nullable(Type.String()),
});

const MIME = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
} as const;

export const reportRoutes: FastifyPluginAsyncTypebox<{ deps: Deps; publicUrl?: string }> = async (
  app,
  options,
) => {
  const { deps } = options;
  const publicUrl = options.publicUrl ?? loadConfig().publicUrl;
  const tags = ['documents'];

  app.post(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Draft the notice (通报) of a published result, with the consequences confirmed on it',
        body: Type.Object({ runId: Id }, strict),
        response: { 201: DocumentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.draftNotice(deps, requireActor(request), request.body, publicUrl)),
  );

  app.get(
    '/api/documents',
    {
      schema: {
        tags,
        summary: 'Notices and reports, newest first',
        querystring: Type.Object({ runId: Type.Optional(Id), periodId: Type.Optional(Id) }, strict),
        response: { 200: Type.Array(SummarySchema), ...errorResponses },
      },
    },
    async (request) => service.listDocuments(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary: 'A document',
        params: IdParams,
        response: { 200: DocumentSchema, ...errorResponses },
      },
    },
    async (request) => service.getDocument(deps, requireActor(request), request.params.id),
  );

  app.patch(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary:
          'Edit a draft: masthead, number, title, addressee, signature, date, cc, and paragraph texts by index',
        params: IdParams,
        body: Type.Object(
          {
            issuer: Type.Optional(Type.String({ maxLength: 40 })),
            docNumber: Type.Optional(Type.String({ maxLength: 40 })),
            title: Type.Optional(Type.String({ maxLength: 120 })),
            addressee: Type.Optional(Type.String({ maxLength: 200 })),
            signature: Type.Optional(Type.String({ maxLength: 60 })),
            date: Type.Optional(DateString),
            cc: Type.Optional(Type.String({ maxLength: 300 })),
            texts: Type.Optional(
              Type.Record(Type.String({ pattern: '^[0-9]{1,4}$' }), Type.String({ maxLength: 5000 }), {
                maxProperties: 500,
              }),
            ),
          },
          strict,
        ),
        response: { 200: DocumentSchema, ...errorResponses },
      },
    },
    async (request) => service.editDocument(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/documents/:id/issue',
    {
      schema: {
        tags,
        summary: 'Issue a draft (it needs its 发文字号); it never changes afterwards',
        params: IdParams,
        response: { 200: DocumentSchema, ...errorResponses },
      },
    },
    async (request) => service.issueDocument(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/documents/:id/download',
    {
      schema: {
        tags,
        summary:
          'The document as .docx, PDF (503 pdf_unavailable without Chromium) or HTML, as an attachment',
        params: IdParams,
        querystring: Type.Object({ format: Type.Enum(['docx', 'pdf', 'html']) }, strict),
        produces: Object.values(MIME),
        response: {
          200: {
            description: 'the file',
            content: Object.fromEntries(
              Object.values(MIME).map((m) => [
                m,
                { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
              ]),
            ),
          },
          ...errorResponses,
          503: errorResponses[409],
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format;
      const file = await service.documentFile(deps, requireActor(request), request.params.id, format);
      return reply
        .type(MIME[format])
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
};
