import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { raterOnly } from '../http/rater-guard.js';
import { DateString, errorResponses, IdParams, NonBlank } from '../http/schemas.js';
import { APPEAL_REASONS, CALLBACK_METHODS, CASE_STATES, DEADLINE_LIMITS, JUDGEMENTS } from './model.js';
import * as service from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const State = Type.Enum([...CASE_STATES]);
const JudgementSchema = Type.Enum([...JUDGEMENTS]);

const SummaryFields = {
  id: Type.String(),
  reference: Type.String({ description: 'Short reference to quote, e.g. 差评-0123ABCDEF' }),
  ratingId: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  responsibleUnitId: Type.String(),
  responsibleUnitName: Type.String(),
  responsibleName: Type.String(),
  state: State,
  stateName: Type.String(),
  named: Type.Boolean({ description: 'The rater left contact details: a call-back is required.' }),
  calledBack: Type.Boolean(),
  rectified: Type.Boolean(),
  reopenCount: Type.Integer(),
  ratingDay: Type.String(),
  openedAt: Type.String(),
  openedOn: Type.String(),
  dueOn: Nullable(Type.String()),
  workingDaysLeft: Nullable(Type.Integer({ description: 'Negative: working days overdue' })),
  overdue: Type.Boolean(),
  escalation: Type.Integer({ minimum: 0, maximum: 3 }),
  escalationName: Nullable(Type.String()),
  level: Type.Integer(),
  tags: Type.Array(Type.String()),
  comment: Type.String(),
  channel: Type.String(),
  repliedAt: Nullable(Type.String()),
  judgement: Nullable(JudgementSchema),
  judgeDueOn: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
};

const CaseSummarySchema = Type.Object(SummaryFields);

const CaseDetailSchema = Type.Object({
  ...SummaryFields,
  appealReason: Nullable(Type.Enum([...APPEAL_REASONS])),
  appealText: Nullable(Type.String()),
  appealEvidence: Type.Array(Type.String()),
  appealDecision: Nullable(Type.Enum(['upheld', 'rejected'])),
  appealNote: Nullable(Type.String()),
  rectificationText: Nullable(Type.String()),
  replyText: Nullable(Type.String()),
  judgementComment: Nullable(Type.String()),
  judgedAt: Nullable(Type.String()),
  rater: Nullable(
    Type.Object(
      { name: Type.String(), phone: Type.String() },
      { description: 'For the call-back; only on named reviews' },
    ),
  ),
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

const WarningSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  caseReference: Type.String(),
  level: Type.Integer(),
  name: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  ratedUnitId: Type.String(),
  responsibleName: Type.String(),
  dueOn: Type.String(),
  issuedOn: Type.String(),
  createdAt: Type.String(),
  caseState: State,
  caseStateName: Type.String(),
});

const deadline = (field: keyof typeof DEADLINE_LIMITS) =>
  Type.Integer({ minimum: DEADLINE_LIMITS[field].min, maximum: DEADLINE_LIMITS[field].max });
const RulesSchema = Type.Object(
  {
    verifyDays: deadline('verifyDays'),
    rectifyDays: deadline('rectifyDays'),
    urgentAfterDays: deadline('urgentAfterDays'),
    talkAfterDays: deadline('talkAfterDays'),
    judgeDays: deadline('judgeDays'),
  },
  { additionalProperties: false },
);
const OverrideFields = {
  verifyDays: Type.Optional(deadline('verifyDays')),
  rectifyDays: Type.Optional(deadline('rectifyDays')),
  urgentAfterDays: Type.Optional(deadline('urgentAfterDays')),
  talkAfterDays: Type.Optional(deadline('talkAfterDays')),
  judgeDays: Type.Optional(deadline('judgeDays')),
};
const ConfigSchema = Type.Object({
  rules: RulesSchema,
  byUnit: Type.Array(Type.Object({ unitId: Type.String(), unitName: Type.String(), ...OverrideFields })),
});

const PublicCaseSchema = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  unitName: Type.String(),
  date: Type.String({ description: 'Day of the review' }),
  level: Type.Integer(),
  tags: Type.Array(Type.String()),
  comment: Type.String({ description: 'Phone and ID numbers masked' }),
  state: State,
  stateName: Type.String(),
  dueOn: Nullable(Type.String()),
  replyText: Nullable(Type.String()),
  rectificationText: Nullable(Type.String()),
  repliedAt: Nullable(Type.String()),
  judgement: Nullable(JudgementSchema),
  judgementName: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
});

const JudgementViewSchema = Type.Object({
  caseReference: Type.String(),
  unitName: Type.String(),
  ratingDay: Type.String(),
  state: State,
  stateName: Type.String(),
  replyText: Nullable(Type.String()),
  rectificationText: Nullable(Type.String()),
  repliedAt: Nullable(Type.String()),
  judgeDueOn: Nullable(Type.String()),
  open: Type.Boolean(),
  judgement: Nullable(JudgementSchema),
  judgementName: Nullable(Type.String()),
});

const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 }));
const PageSize = Type.Optional(Type.Integer({ minimum: 1, maximum: 200 }));
const Text = (max: number) => NonBlank(max);
const TokenParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const body = <T extends Parameters<typeof Type.Object>[0]>(fields: T) =>
  Type.Object(fields, { additionalProperties: false });

export const caseRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['cases'];
  const detail = { 200: CaseDetailSchema, ...errorResponses };

  app.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'The bad-review case queue, newest first (cases:read, within one’s subtree)',
        querystring: Type.Object(
          {
            unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            state: Type.Optional(State),
            overdue: Type.Optional(Type.Boolean()),
            escalation: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
            page: Page,
            pageSize: PageSize,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(CaseSummarySchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.listCases(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags,
        summary:
          'One case with its event log and, for those who handle it, a named rater’s contact (cases:read)',
        params: IdParams,
        response: detail,
      },
    },
    async (request) => service.getCase(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/cases/:id/verify',
    {
      schema: {
        tags,
        summary: 'Confirm the review is genuine (属实) → rectifying (cases:handle)',
        params: IdParams,
        body: body({ genuine: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: detail,
      },
    },
    async (request) => service.verifyCase(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/appeal',
    {
      schema: {
        tags,
        summary: 'Appeal a mistaken or malicious review to the office → appealed (cases:handle)',
        params: IdParams,
        body: body({
          reason: Type.Enum([...APPEAL_REASONS]),
          text: Text(2000),
          evidence: Type.Optional(Type.Array(Text(500), { maxItems: 20, description: 'Texts or links' })),
        }),
        response: detail,
      },
    },
    async (request) => service.appealCase(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/decide-appeal',
    {
      schema: {
        tags,
        summary:
          'Decide an appeal: upheld → dismissed (the rating leaves the statistics), else rectifying (cases:decide)',
        params: IdParams,
        body: body({ upheld: Type.Boolean(), note: Text(2000) }),
        response: detail,
      },
    },
    async (request) => service.decideAppeal(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/callback',
    {
      schema: {
        tags,
        summary: 'Record a call-back (回访) to the rater (cases:handle)',
        params: IdParams,
        body: body({
          at: Type.String({ format: 'date-time' }),
          method: Type.Enum([...CALLBACK_METHODS]),
          summary: Text(2000),
        }),
        response: detail,
      },
    },
    async (request) => service.recordCallback(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/rectification',
    {
      schema: {
        tags,
        summary: 'Record what was rectified (整改情况) (cases:handle)',
        params: IdParams,
        body: body({ text: Text(4000) }),
        response: detail,
      },
    },
    async (request) =>
      service.recordRectification(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/reply',
    {
      schema: {
        tags,
        summary:
          'Reply to the rater → awaiting judgement; a named rater gets a one-time link by SMS (cases:handle)',
        params: IdParams,
        body: body({ text: Text(4000) }),
        response: detail,
      },
    },
    async (request) => service.replyToCase(deps, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/warnings',
    {
      schema: {
        tags,
        summary:
          'Warnings issued to units: 预警单 (1), 紧急预警单 (2), 约谈 (3) (cases:read, within one’s subtree)',
        querystring: Type.Object(
          {
            unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            page: Page,
            pageSize: PageSize,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(WarningSchema), ...errorResponses },
      },
    },
    async (request) => service.listWarnings(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/settings/cases',
    {
      schema: {
        tags,
        summary: 'Deadlines in working days, for the installation and per jurisdiction (settings:write)',
        response: { 200: ConfigSchema, ...errorResponses },
      },
    },
    async (request) => service.getCasesConfig(deps, requireActor(request)),
  );

  app.put(
    '/api/settings/cases',
    {
      schema: {
        tags,
        summary: 'Set the deadlines; open cases take them at the next sweep (settings:write)',
        body: body({
          rules: RulesSchema,
          byUnit: Type.Optional(
            Type.Array(
              Type.Object(
                { unitId: Type.String({ minLength: 1, maxLength: 64 }), ...OverrideFields },
                { additionalProperties: false },
              ),
              { maxItems: 1000 },
            ),
          ),
        }),
        response: { 200: ConfigSchema, ...errorResponses },
      },
    },
    async (request) => service.putCasesConfig(deps, requireActor(request), request.body),
  );

  // --- public: the rater's judgement link and the published handling of bad reviews ---

  const publicTags = ['public'];

  app.get(
    '/api/public/judgements/:token',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: publicTags,
        security: [],
        summary: 'What the rater sees behind the one-time link: the reply and what was rectified',
        params: TokenParams,
        response: { 200: JudgementViewSchema, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request) => service.getJudgement(deps, request.params.token),
  );

  app.post(
    '/api/public/judgements/:token',
    {
      onRequest: raterOnly(deps),
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: publicTags,
        security: [],
        summary: 'The rater judges the fix: satisfied or basically → closed; not satisfied → reopened',
        params: TokenParams,
        body: body({
          judgement: JudgementSchema,
          comment: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: JudgementViewSchema, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request) => service.submitJudgement(deps, request.params.token, request.body),
  );

  app.get(
    '/api/public/units/:code/cases',
    {
      schema: {
        tags: publicTags,
        security: [],
        summary:
          'A unit’s bad reviews (its subtree included) and how each was handled, without the rater’s identity',
        params: Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 40 }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          {
            periodId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            // The public cannot list periods (that needs a sign-in), so a public page names its dates.
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            page: Page,
            pageSize: PageSize,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            unitName: Type.String(),
            items: Type.Array(PublicCaseSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.publicCasesOfUnit(deps, request.params.code, request.query),
  );

  app.get(
    '/api/public/cases/:id',
    {
      schema: {
        tags: publicTags,
        security: [],
        summary: 'One bad review’s handling, without the rater’s identity',
        params: IdParams,
        response: { 200: PublicCaseSchema, ...errorResponses },
      },
    },
    async (request) => service.publicCase(deps, request.params.id),
  );
};
