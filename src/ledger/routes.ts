import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { Invalid } from '../core/errors.js';
import { requireActor } from '../http/auth.js';
import { readUpload } from '../http/input.js';
import { DateString, errorResponses, IdParams, NonBlank } from '../http/schemas.js';
import * as evidence from './evidence.js';
import * as inbox from './inbox.js';
import * as items from './items.js';
import { FOLLOW_UP_KINDS, FOLLOW_UP_METHODS, ITEM_ORIGINS, ITEM_STATES, REVIEW_STAGES } from './model.js';
import * as problems from './problems.js';
import * as publicLedger from './public.js';

/*
 * The ledger's HTTP routes: thin, one service call each. Console routes under /api/ledger (ledger:handle to
 * read within one's subtree, ledger:manage for the office's work); the public ledger at /api/public/ledger.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const body = <T extends Parameters<typeof Type.Object>[0]>(fields: T) =>
  Type.Object(fields, { additionalProperties: false });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 }));
const PageSize = Type.Optional(Type.Integer({ minimum: 1, maximum: 500 }));

const Keyword = Type.Object({ word: NonBlank(40), weight: Type.Number({ minimum: 0, maximum: 10 }) });
const TopicSchema = Type.Object({
  id: Type.String(),
  listId: Type.String(),
  name: Type.String(),
  keywords: Type.Array(Keyword),
  position: Type.Integer(),
  archived: Type.Boolean(),
  assigned: Type.Integer(),
});
const TopicListSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  presetKey: Nullable(Type.String()),
  revision: Type.Integer(),
  topics: Type.Array(TopicSchema),
});
const SuggestionSchema = Type.Object({
  topicId: Type.String(),
  topicName: Type.String(),
  score: Type.Number(),
  margin: Type.Number(),
  because: Type.Array(
    Type.Object({
      word: Type.String(),
      weight: Type.Number(),
      source: Type.Enum(['keyword', 'learnt', 'both']),
    }),
  ),
});
const CommentSchema = Type.Object({
  id: Type.String(),
  source: Type.String(),
  sourceName: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  date: Type.String(),
  level: Nullable(Type.Integer()),
  text: Type.String(),
  assigned: Type.Boolean(),
  topicId: Nullable(Type.String()),
  suggestion: Nullable(SuggestionSchema),
});
const ClusterSchema = Type.Object({
  phrase: Type.String(),
  related: Type.Array(Type.String()),
  title: Type.String(),
  count: Type.Integer(),
  commentIds: Type.Array(Type.String()),
  examples: Type.Array(Type.String()),
});
const ProblemSchema = Type.Object({
  id: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  topicId: Nullable(Type.String()),
  topicName: Nullable(Type.String()),
  title: Type.String(),
  phrase: Type.String(),
  count: Type.Integer(),
  examples: Type.Array(Type.String()),
  itemIds: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const ProblemCommentSchema = Type.Object({
  id: Type.String(),
  source: Type.String(),
  sourceName: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  date: Type.String(),
  level: Nullable(Type.Integer()),
  text: Type.String(),
});
const SummaryFields = {
  id: Type.String(),
  reference: Type.String(),
  origin: Type.Enum([...ITEM_ORIGINS]),
  originName: Type.String(),
  originRef: Nullable(Type.String()),
  unitId: Type.String(),
  unitName: Type.String(),
  responsibleName: Type.String(),
  title: Type.String(),
  target: Type.String(),
  measures: Type.String(),
  state: Type.Enum([...ITEM_STATES]),
  stateName: Type.String(),
  pendingReview: Nullable(Type.Enum([...REVIEW_STAGES])),
  openedOn: Type.String(),
  deadlineOn: Type.String(),
  dueOn: Nullable(Type.String()),
  overdue: Type.Boolean(),
  workingDaysLeft: Nullable(Type.Integer()),
  escalation: Type.Integer(),
  escalationName: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  evidence: Type.Integer(),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
};
const ItemSummarySchema = Type.Object(SummaryFields);
const AttachmentSchema = Type.Object({
  id: Type.String(),
  stage: Type.String(),
  sha256: Type.String(),
  filename: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  inline: Type.Boolean(),
  url: Type.String(),
  uploadedBy: Type.String(),
  createdAt: Type.String(),
});
const FollowUpSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...FOLLOW_UP_KINDS]),
  kindName: Type.String(),
  method: Type.Enum([...FOLLOW_UP_METHODS]),
  methodName: Type.String(),
  itemId: Nullable(Type.String()),
  unitId: Type.String(),
  unitName: Type.String(),
  date: Type.String(),
  inspector: Type.String(),
  findings: Type.String(),
  problemBack: Type.Boolean(),
  attachments: Type.Array(AttachmentSchema),
  createdAt: Type.String(),
});
const ItemDetailSchema = Type.Object({
  ...SummaryFields,
  progressText: Type.String(),
  resultText: Type.String(),
  reviews: Type.Array(
    Type.Object({
      id: Type.String(),
      stage: Type.Enum([...REVIEW_STAGES]),
      stageName: Type.String(),
      decision: Type.Enum(['approved', 'returned']),
      reason: Type.String(),
      reviewedBy: Type.String(),
      reviewedAt: Type.String(),
    }),
  ),
  attachments: Type.Array(AttachmentSchema),
  followUps: Type.Array(FollowUpSchema),
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
const Figures = {
  raised: Type.Integer(),
  inProgress: Type.Integer(),
  closed: Type.Integer(),
  overdue: Type.Integer(),
};
const PublicLedgerSchema = Type.Object({
  asOf: Type.String(),
  totals: Type.Object(Figures),
  units: Type.Array(
    Type.Object({ unitId: Type.String(), code: Type.String(), name: Type.String(), ...Figures }),
  ),
  closedItems: Type.Array(
    Type.Object({
      reference: Type.String(),
      unitName: Type.String(),
      title: Type.String(),
      measures: Type.String(),
      resultText: Type.String(),
      closedAt: Type.String(),
      evidence: Type.Object({ photos: Type.Integer(), documents: Type.Integer() }),
    }),
  ),
});
const XlsxResponse = {
  description: 'an .xlsx workbook (Content-Disposition: attachment)',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
    },
  },
};
const FileResponse = {
  description: 'the file: photos inline, PDFs and scans as attachments',
  content: {
    'application/octet-stream': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
  },
};

/** The multipart field `file`, the only part an evidence upload carries. */
async function evidenceFile(request: Parameters<typeof readUpload>[0]) {
  const { file } = await readUpload(request);
  return file;
}

export const ledgerRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['ledger'];
  const item = { 200: ItemDetailSchema, ...errorResponses };

  // --- topics ---
  app.get(
    '/api/ledger/topic-presets',
    {
      schema: {
        tags,
        summary: 'Topic lists a new list can start from (Xi’an 7, Nanchuan 冷懒推乱贪, conduct dimensions)',
        response: {
          200: Type.Array(
            Type.Object({ key: Type.String(), name: Type.String(), topics: Type.Array(Type.String()) }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      requireActor(request);
      return inbox.topicPresets();
    },
  );

  app.get(
    '/api/ledger/topic-lists',
    {
      schema: {
        tags,
        summary: 'Topic lists with their topics and keywords (ledger:handle)',
        response: { 200: Type.Array(TopicListSchema), ...errorResponses },
      },
    },
    async (request) => inbox.listTopicLists(deps, requireActor(request)),
  );

  app.post(
    '/api/ledger/topic-lists',
    {
      schema: {
        tags,
        summary: 'A new topic list, empty or from a preset (ledger:manage)',
        body: body({ name: NonBlank(100), presetKey: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 201: TopicListSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inbox.createTopicList(deps, requireActor(request), request.body)),
  );

  app.post(
    '/api/ledger/topic-lists/:id/topics',
    {
      schema: {
        tags,
        summary: 'A topic with keywords (weight 1 unless given) (ledger:manage)',
        params: IdParams,
        body: body({ name: NonBlank(60), keywords: Type.Array(Keyword, { maxItems: 200 }) }),
        response: { 201: TopicListSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await inbox.createTopic(deps, requireActor(request), request.params.id, request.body)),
  );

  app.patch(
    '/api/ledger/topics/:id',
    {
      schema: {
        tags,
        summary: 'Rename a topic, change its keywords and weights, archive it (ledger:manage)',
        params: IdParams,
        body: body({
          name: Type.Optional(NonBlank(60)),
          keywords: Type.Optional(Type.Array(Keyword, { maxItems: 200 })),
          archived: Type.Optional(Type.Boolean()),
        }),
        response: { 200: TopicListSchema, ...errorResponses },
      },
    },
    async (request) => inbox.updateTopic(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/ledger/topic-lists/:id/assign',
    {
      schema: {
        tags,
        summary: 'Confirm or correct topics in bulk; topicId null = no topic of the list (ledger:manage)',
        params: IdParams,
        body: body({
          assignments: Type.Array(body({ commentId: Id, topicId: Nullable(Id) }), {
            minItems: 1,
            maxItems: 1000,
          }),
        }),
        response: {
          200: Type.Object({ assigned: Type.Integer(), revision: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => inbox.assignComments(deps, requireActor(request), request.params.id, request.body),
  );

  // --- the inbox ---
  app.post(
    '/api/ledger/comments/collect',
    {
      schema: {
        tags,
        summary: 'Bring comments written on days from–to into the inbox from every source (ledger:manage)',
        body: body({ from: DateString, to: DateString }),
        response: {
          200: Type.Object({
            sources: Type.Array(
              Type.Object({
                key: Type.String(),
                name: Type.String(),
                found: Type.Integer(),
                added: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inbox.collectComments(deps, requireActor(request), request.body),
  );

  app.get(
    '/api/ledger/comments',
    {
      schema: {
        tags,
        summary:
          'The comment inbox of a unit’s subtree and period; with listId, assignments or suggestions and the words behind them (ledger:handle)',
        querystring: Type.Object(
          {
            listId: Type.Optional(Id),
            unitId: Type.Optional(Id),
            periodId: Type.Optional(Id),
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            source: Type.Optional(Type.String({ maxLength: 40 })),
            assigned: Type.Optional(Type.Boolean()),
            topicId: Type.Optional(Id),
            page: Page,
            pageSize: PageSize,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(CommentSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inbox.listComments(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/ledger/comment-sources',
    {
      schema: {
        tags,
        summary: 'The sources comments are collected from (ledger:handle)',
        response: {
          200: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
          ...errorResponses,
        },
      },
    },
    async (request) => inbox.listCommentSources(requireActor(request)),
  );

  app.get(
    '/api/ledger/clusters',
    {
      schema: {
        tags,
        summary:
          'Comments no topic claimed, grouped by shared key phrases, with suggested problem titles (ledger:handle)',
        querystring: Type.Object(
          {
            listId: Id,
            unitId: Type.Optional(Id),
            periodId: Type.Optional(Id),
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ClusterSchema), ...errorResponses },
      },
    },
    async (request) => inbox.commentClusters(deps, requireActor(request), request.query),
  );

  // --- problems ---
  app.get(
    '/api/ledger/problems',
    {
      schema: {
        tags,
        summary: 'Problem lists of a unit’s subtree, largest first (ledger:handle)',
        querystring: Type.Object({ unitId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Array(ProblemSchema), ...errorResponses },
      },
    },
    async (request) => problems.listProblems(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/ledger/problems',
    {
      schema: {
        tags,
        summary: 'A problem of one unit from comments of its subtree, titled by the clerk (ledger:manage)',
        body: body({
          unitId: Id,
          title: NonBlank(200),
          topicId: Type.Optional(Nullable(Id)),
          phrase: Type.Optional(Type.String({ maxLength: 100 })),
          commentIds: Type.Array(Id, { minItems: 1, maxItems: 5000 }),
        }),
        response: { 201: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await problems.createProblem(deps, requireActor(request), request.body)),
  );

  app.patch(
    '/api/ledger/problems/:id',
    {
      schema: {
        tags,
        summary: 'Edit a problem’s title or topic, add comments to it (ledger:manage)',
        params: IdParams,
        body: body({
          title: Type.Optional(NonBlank(200)),
          topicId: Type.Optional(Nullable(Id)),
          addCommentIds: Type.Optional(Type.Array(Id, { maxItems: 5000 })),
        }),
        response: { 200: ProblemSchema, ...errorResponses },
      },
    },
    async (request) => problems.updateProblem(deps, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/ledger/problems/:id/comments',
    {
      schema: {
        tags,
        summary: 'Every comment behind a problem, oldest first (ledger:handle)',
        params: IdParams,
        response: { 200: Type.Array(ProblemCommentSchema), ...errorResponses },
      },
    },
    async (request) => problems.problemCommentList(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/ledger/problems/:id/merge',
    {
      schema: {
        tags,
        summary:
          'Merge other problems of the same unit into this one; their comments join it (ledger:manage)',
        params: IdParams,
        body: body({ problemIds: Type.Array(Id, { minItems: 1, maxItems: 100 }) }),
        response: { 200: ProblemSchema, ...errorResponses },
      },
    },
    async (request) => problems.mergeProblems(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/ledger/problems/:id/split',
    {
      schema: {
        tags,
        summary: 'Move some of a problem’s comments to a new problem with its own title (ledger:manage)',
        params: IdParams,
        body: body({ title: NonBlank(200), commentIds: Type.Array(Id, { minItems: 1, maxItems: 5000 }) }),
        response: {
          201: Type.Object({ from: ProblemSchema, created: ProblemSchema }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await problems.splitProblem(deps, requireActor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/ledger/units/:unitId/main-problems',
    {
      schema: {
        tags,
        summary: 'A unit’s problems as the text of a scoring run’s main problems (主要问题) (ledger:handle)',
        params: Type.Object({ unitId: Id }, { additionalProperties: false }),
        response: {
          200: Type.Object({ unitId: Type.String(), text: Type.String(), problems: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => problems.mainProblems(deps, requireActor(request), request.params.unitId),
  );

  // --- ledger items ---
  app.get(
    '/api/ledger/items',
    {
      schema: {
        tags,
        summary: 'The rectification ledger of a unit’s subtree, newest first (ledger:handle)',
        querystring: Type.Object(
          {
            unitId: Type.Optional(Id),
            state: Type.Optional(Type.Enum([...ITEM_STATES])),
            overdue: Type.Optional(Type.Boolean()),
            page: Page,
            pageSize: PageSize,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(ItemSummarySchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => items.listItems(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/ledger/items',
    {
      schema: {
        tags,
        summary:
          'Open an item from a problem, a bad-review case, an inspection finding or by hand (ledger:manage)',
        body: body({
          // A 办不成事 matter becomes an item through the window's own route, which passes its unit and title.
          origin: Type.Enum(ITEM_ORIGINS.filter((o) => o !== 'window')),
          originRef: Type.Optional(Id),
          unitId: Type.Optional(Id),
          responsibleName: Type.Optional(Type.String({ maxLength: 60 })),
          title: Type.Optional(NonBlank(200)),
          target: Type.Optional(Type.String({ maxLength: 2000 })),
          measures: Type.Optional(Type.String({ maxLength: 4000 })),
          deadlineOn: Type.Optional(DateString),
        }),
        response: { 201: ItemDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await items.createItem(deps, requireActor(request), request.body)),
  );

  app.get(
    '/api/ledger/items/:id',
    {
      schema: {
        tags,
        summary: 'One item with reviews, evidence, follow-ups, warnings, events (ledger:handle)',
        params: IdParams,
        response: item,
      },
    },
    async (request) => items.getItem(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/ledger/items/:id/plan',
    {
      schema: {
        tags,
        summary: 'The unit submits its rectification plan (target, measures) for review (ledger:handle)',
        params: IdParams,
        body: body({
          target: NonBlank(2000),
          measures: NonBlank(4000),
          responsibleName: Type.Optional(Type.String({ maxLength: 60 })),
        }),
        response: item,
      },
    },
    async (request) => items.submitPlan(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/ledger/items/:id/progress',
    {
      schema: {
        tags,
        summary: 'The unit reports progress for review (ledger:handle)',
        params: IdParams,
        body: body({ text: NonBlank(4000) }),
        response: item,
      },
    },
    async (request) => items.submitProgress(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/ledger/items/:id/result',
    {
      schema: {
        tags,
        summary: 'The unit reports the result, evidence attached, for closing (ledger:handle)',
        params: IdParams,
        body: body({ text: NonBlank(4000) }),
        response: item,
      },
    },
    async (request) => items.submitResult(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/ledger/items/:id/review',
    {
      schema: {
        tags,
        summary:
          'The office approves or returns (with a reason) the plan, progress or result; the result closes the item (ledger:manage)',
        params: IdParams,
        body: body({
          stage: Type.Enum([...REVIEW_STAGES]),
          approve: Type.Boolean(),
          reason: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: item,
      },
    },
    async (request) => items.reviewItem(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/ledger/items/:id/evidence',
    {
      schema: {
        tags,
        summary:
          'Attach a photo, scan or PDF (multipart field `file`, at most 8 MB; type sniffed from the bytes) (ledger:handle)',
        description:
          'Errors: 400 file_missing, file_empty, file_too_large, file_type_not_allowed; 409 ledger_wrong_state on a closed item.',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: Type.Array(AttachmentSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const file = await evidenceFile(request);
      return reply.status(201).send(await evidence.attachToItem(deps, actor, request.params.id, file));
    },
  );

  app.get(
    '/api/ledger/files/:sha256',
    {
      schema: {
        tags,
        summary:
          'An evidence file by its SHA-256 (ledger:handle, within the subtree of an item it is attached to)',
        params: Type.Object(
          { sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
          { additionalProperties: false },
        ),
        produces: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf', 'image/tiff'],
        response: { 200: FileResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await evidence.readFile(deps, requireActor(request), request.params.sha256);
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

  // --- follow-ups ---
  app.get(
    '/api/ledger/follow-ups',
    {
      schema: {
        tags,
        summary:
          'Follow-ups (回头看) and covert inspections (暗访) of a unit’s subtree; unit staff see revisits only (ledger:handle)',
        querystring: Type.Object({ unitId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Array(FollowUpSchema), ...errorResponses },
      },
    },
    async (request) => evidence.listFollowUps(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/ledger/follow-ups',
    {
      schema: {
        tags,
        summary:
          'Record a 回头看 or 暗访 against an item or a unit; “problem is back” reopens a closed item (ledger:manage)',
        body: body({
          kind: Type.Enum([...FOLLOW_UP_KINDS]),
          method: Type.Enum([...FOLLOW_UP_METHODS]),
          itemId: Type.Optional(Id),
          unitId: Type.Optional(Id),
          date: DateString,
          inspector: NonBlank(60),
          findings: NonBlank(4000),
          problemBack: Type.Boolean(),
        }),
        response: { 201: FollowUpSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (request.body.itemId === undefined && request.body.unitId === undefined) {
        throw new Invalid('unit_required', 'Say which unit or ledger item was inspected.');
      }
      return reply.status(201).send(await evidence.recordFollowUp(deps, requireActor(request), request.body));
    },
  );

  app.post(
    '/api/ledger/follow-ups/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Attach a photo or scan to a follow-up (multipart field `file`) (ledger:manage)',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: FollowUpSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const file = await evidenceFile(request);
      return reply.status(201).send(await evidence.attachToFollowUp(deps, actor, request.params.id, file));
    },
  );

  // --- export and the public ledger ---
  app.get(
    '/api/ledger/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The ledger of one’s subtree as an .xlsx, one row per item (ledger:handle)',
        querystring: Type.Object({ unitId: Type.Optional(Id) }, { additionalProperties: false }),
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await publicLedger.exportLedger(deps, requireActor(request), request.query);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );

  app.get(
    '/api/public/ledger',
    {
      schema: {
        tags,
        summary:
          'The public ledger: items raised, in progress, closed and overdue per unit and in total; closed items with what was done',
        security: [],
        response: { 200: PublicLedgerSchema, ...errorResponses },
      },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'no-store').send(await publicLedger.publicLedger(deps)),
  );
};
