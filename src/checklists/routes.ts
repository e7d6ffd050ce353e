import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { readUpload } from '../http/input.js';
import { DateString, errorResponses, NonBlank } from '../http/schemas.js';
import * as entries from './entries.js';
import { CHECKLIST_STATUSES, ENTRY_STATUSES, EVIDENCE_KINDS } from './model.js';
import * as service from './service.js';

/*
 * The quarterly indicator checklist API (docs/checklists.md): the office designs, opens, reviews and closes
 * checklists; unit staff fill their units' entries with evidence. Thin: one service call each.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });
const strict = { additionalProperties: false } as const;

const ItemSchema = Type.Object({
  key: Type.String(),
  title: Type.String(),
  evidence: Type.String(),
  evidenceKind: Type.Enum([...EVIDENCE_KINDS]),
  points: Type.Number(),
});
const DefinitionSchema = Type.Object({
  items: Type.Array(ItemSchema),
  innovation: Nullable(
    Type.Object({ maxItems: Type.Integer(), maxPointsEach: Type.Number(), maxTotal: Type.Number() }),
  ),
});
const SummaryFields = {
  id: Type.String(),
  name: Type.String(),
  periodId: Type.String(),
  periodName: Type.String(),
  series: Type.String({
    description: 'Completion points go to this score series, bonus points to <series>.x',
  }),
  status: Type.Enum([...CHECKLIST_STATUSES]),
  opensOn: Type.String(),
  workingDays: Type.Integer(),
  deadline: Type.String({ description: 'Last day for submissions (inclusive)' }),
  unitCount: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  closedAt: Nullable(Type.String()),
  closedBy: Nullable(Type.String()),
  pending: Type.Integer({ description: 'Entries awaiting review' }),
};
const SummarySchema = Type.Object(SummaryFields);
const DetailFields = {
  ...SummaryFields,
  definition: DefinitionSchema,
  units: Type.Array(Type.Object({ unitId: Type.String(), unitCode: Type.String(), unitName: Type.String() })),
};
const DetailSchema = Type.Object(DetailFields);
const EvidenceSchema = Type.Object({
  id: Type.String(),
  sha256: Type.String(),
  filename: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  uploadedBy: Type.String(),
  createdAt: Type.String(),
});
const EntrySchema = Type.Object({
  id: Type.String(),
  checklistId: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  kind: Type.Enum(['basic', 'innovation']),
  itemKey: Nullable(Type.String()),
  title: Type.String(),
  note: Type.String(),
  claimedPoints: Nullable(Type.Number()),
  awardedPoints: Nullable(Type.Number()),
  status: Type.Enum([...ENTRY_STATUSES]),
  submittedAt: Nullable(Type.String()),
  submittedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  reviewedBy: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  resubmitBy: Nullable(Type.String()),
  evidence: Type.Array(EvidenceSchema),
});
const OverviewSchema = Type.Object({
  ...DetailFields,
  results: Type.Array(
    Type.Object({
      unitId: Type.String(),
      unitCode: Type.String(),
      unitName: Type.String(),
      accepted: Type.Integer(),
      submitted: Type.Integer(),
      items: Type.Integer(),
      completion: Type.Number(),
      bonus: Type.Number(),
    }),
  ),
  queue: Type.Array(EntrySchema),
});
const SheetSchema = Type.Object({
  checklist: DetailSchema,
  unitId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  canSubmit: Type.Boolean(),
  today: Type.String(),
  items: Type.Array(Type.Object({ item: ItemSchema, entry: Nullable(EntrySchema) })),
  innovations: Type.Array(EntrySchema),
  completion: Type.Number(),
  bonus: Type.Number(),
});
const ChecklistBody = Type.Object(
  {
    name: NonBlank(100),
    periodId: Id,
    series: Type.String({ minLength: 1, maxLength: 62 }),
    opensOn: DateString,
    workingDays: Type.Integer({ minimum: 1, maximum: 60 }),
    definition: Type.Unknown({ description: 'items[] and innovation (checked; the first problem refused)' }),
    unitIds: Type.Array(Id, { minItems: 1, maxItems: 500 }),
  },
  strict,
);
const FileResponse = {
  description: 'the file: photos inline, PDFs and scans as attachments',
  content: {
    'application/octet-stream': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
  },
};

export const checklistRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['checklists'];
  const params = Type.Object({ id: Id }, strict);

  app.get(
    '/api/checklists/presets',
    {
      schema: {
        tags,
        summary: 'Checklists of the seed models (Xi’an “6个1 + X”) (scoring:manage)',
        response: {
          200: Type.Array(
            Type.Object({ key: Type.String(), name: Type.String(), definition: DefinitionSchema }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => service.listPresets(requireActor(request)),
  );

  app.get(
    '/api/checklists',
    {
      schema: {
        tags,
        summary: 'Checklists, newest first (unit staff: the open and closed ones naming their units)',
        response: { 200: Type.Array(SummarySchema), ...errorResponses },
      },
    },
    async (request) => service.listChecklists(deps, requireActor(request)),
  );

  app.post(
    '/api/checklists',
    {
      schema: {
        tags,
        summary: 'A draft checklist for a period (scoring:manage)',
        body: ChecklistBody,
        response: { 201: DetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createChecklist(deps, requireActor(request), request.body)),
  );

  app.put(
    '/api/checklists/:id',
    {
      schema: {
        tags,
        summary: 'Change a draft checklist (scoring:manage)',
        params,
        body: ChecklistBody,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (request) => service.updateChecklist(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/checklists/:id/open',
    {
      schema: {
        tags,
        summary:
          'Open a draft for the units; the deadline is fixed on the working-day calendar (scoring:manage)',
        params,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (request) => service.openChecklist(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/checklists/:id/close',
    {
      schema: {
        tags,
        summary:
          'Close it: every unit’s completion and bonus points are stored as imported score values (scoring:manage)',
        params,
        response: { 200: OverviewSchema, ...errorResponses },
      },
    },
    async (request) => service.closeChecklist(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/checklists/:id',
    {
      schema: {
        tags,
        summary: 'A checklist with each unit’s points and the entries awaiting review',
        params,
        response: { 200: OverviewSchema, ...errorResponses },
      },
    },
    async (request) => service.getChecklist(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/checklists/:id/units/:unitId',
    {
      schema: {
        tags,
        summary: 'A unit’s sheet: its items, entries with evidence, and points (within scope)',
        params: Type.Object({ id: Id, unitId: Id }, strict),
        response: { 200: SheetSchema, ...errorResponses },
      },
    },
    async (request) =>
      entries.unitSheet(deps, requireActor(request), request.params.id, request.params.unitId),
  );

  app.post(
    '/api/checklists/:id/units/:unitId/entries',
    {
      schema: {
        tags,
        summary:
          'Write a basic item’s note (itemKey), or declare an innovation item (title, claimedPoints) (checklists:fill)',
        params: Type.Object({ id: Id, unitId: Id }, strict),
        body: Type.Object(
          {
            itemKey: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            title: Type.Optional(Type.String({ maxLength: 100 })),
            note: Type.String({ maxLength: 2000 }),
            claimedPoints: Type.Optional(Type.Number()),
          },
          strict,
        ),
        response: { 200: EntrySchema, ...errorResponses },
      },
    },
    async (request) =>
      entries.saveEntry(deps, requireActor(request), request.params.id, request.params.unitId, request.body),
  );

  app.post(
    '/api/checklist-entries/:id/evidence',
    {
      schema: {
        tags,
        summary:
          'Attach evidence (multipart field `file`, at most 8 MB, of the kind the item asks for) (checklists:fill)',
        params,
        consumes: ['multipart/form-data'],
        response: { 201: EntrySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { file } = await readUpload(request);
      return reply.status(201).send(await entries.attachEvidence(deps, actor, request.params.id, file));
    },
  );

  app.post(
    '/api/checklist-entries/:id/submit',
    {
      schema: {
        tags,
        summary: 'Submit an entry with its evidence for review, before the deadline (checklists:fill)',
        params,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, strict),
        response: { 200: EntrySchema, ...errorResponses },
      },
    },
    async (request) => entries.submitEntry(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/checklist-entries/:id/review',
    {
      schema: {
        tags,
        summary:
          'Accept (innovation items: with the points awarded) or return with a reason (scoring:manage)',
        params,
        body: Type.Object(
          {
            decision: Type.Enum(['accept', 'return']),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
            points: Type.Optional(Type.Number()),
          },
          strict,
        ),
        response: { 200: EntrySchema, ...errorResponses },
      },
    },
    async (request) => entries.reviewEntry(deps, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/checklist-files/:sha256',
    {
      schema: {
        tags,
        summary: 'An evidence file by its SHA-256 (within the subtree of a unit whose entry holds it)',
        params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, strict),
        produces: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf', 'image/tiff'],
        response: { 200: FileResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await entries.readFile(deps, requireActor(request), request.params.sha256);
      return reply
        .header('content-type', file.mime)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          file.inline
            ? 'inline'
            : `attachment; filename="${request.params.sha256.slice(0, 12)}${file.mime === 'application/pdf' ? '.pdf' : '.tif'}"`,
        )
        .send(file.bytes);
    },
  );
};
