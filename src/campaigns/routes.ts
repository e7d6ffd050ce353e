import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { DateString, errorResponses, IdParams, NonBlank } from '../http/schemas.js';
import * as ballots from './ballots.js';
import * as invitations from './invitations.js';
import { QuestionnaireSchema } from './schema.js';
import * as service from './service.js';
import { EVALUATOR_SOURCES, ROUND_STATES, SUBJECT_KINDS } from './types.js';

/*
 * Campaign routes: the office's design, lifecycle, invitations, monitor and results (campaigns:manage),
 * and the evaluator's public side, where a token in the body (never in the URL, so never in a log) is
 * the only authority.
 */

const body = <T extends Parameters<typeof Type.Object>[0]>(fields: T) =>
  Type.Object(fields, { additionalProperties: false });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Key = Type.String({ minLength: 1, maxLength: 40 });
const Id = Type.String({ minLength: 1, maxLength: 64 });

const SubjectInputSchema = body({
  kind: Type.Enum([...SUBJECT_KINDS]),
  unitId: Id,
  name: Type.Optional(Type.String({ maxLength: 100 })),
  group: Type.Optional(Type.String({ maxLength: 60 })),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  highlights: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
  cooperatingUnitIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
});

const StageSchema = {
  name: NonBlank(100),
  source: Type.Enum([...EVALUATOR_SOURCES]),
  opensOn: DateString,
  closesOn: DateString,
};

const CampaignInputSchema = body({
  key: Key,
  name: NonBlank(200),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  subjectKind: Type.Enum([...SUBJECT_KINDS]),
  questionnaire: QuestionnaireSchema,
  named: Type.Optional(Type.Boolean()),
  mixSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
  minResponses: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  subjects: Type.Array(SubjectInputSchema, { minItems: 1, maxItems: service.MAX_SUBJECTS }),
  rounds: Type.Array(
    body({
      key: Key,
      name: NonBlank(100),
      periodId: Type.Optional(Id),
      opensOn: DateString,
      closesOn: DateString,
      stages: Type.Array(body(StageSchema), { minItems: 1, maxItems: 12 }),
    }),
    { minItems: 1, maxItems: 12 },
  ),
});

const RoundSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  periodId: Nullable(Type.String()),
  opensOn: Type.String(),
  closesOn: Type.String(),
  state: Type.Enum([...ROUND_STATES]),
  stages: Type.Array(Type.Object({ id: Type.String(), ...StageSchema, name: Type.String() })),
});

const SummaryFields = {
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  subjectKind: Type.Enum([...SUBJECT_KINDS]),
  createdAt: Type.String(),
};

const CampaignDetailSchema = Type.Object({
  ...SummaryFields,
  description: Type.String(),
  questionnaire: QuestionnaireSchema,
  formula: Nullable(Type.String()),
  named: Type.Boolean(),
  mixSize: Type.Integer(),
  minResponses: Type.Integer(),
  frozen: Type.Boolean(),
  subjects: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Enum([...SUBJECT_KINDS]),
      unitId: Type.String(),
      unitName: Type.String(),
      name: Type.String(),
      group: Type.String(),
      description: Type.String(),
      highlights: Type.Array(Type.String()),
      cooperatingUnitIds: Type.Array(Type.String()),
    }),
  ),
  rounds: Type.Array(RoundSchema),
});

const RoundResultsSchema = Type.Object({
  roundId: Type.String(),
  state: Type.Enum([...ROUND_STATES]),
  computedAt: Nullable(Type.String()),
  ballots: Type.Integer(),
  formula: Nullable(Type.String()),
  subjects: Type.Array(Type.Unknown(), {
    description:
      'Per subject: n, every item’s distribution and score with its 95% interval, the key-task score',
  }),
});

const CountSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  invited: Type.Integer(),
  answered: Type.Integer(),
  flagged: Type.Boolean(),
});

const MonitorSchema = Type.Object({
  roundId: Type.String(),
  invited: Type.Integer(),
  answered: Type.Integer(),
  bySubject: Type.Array(CountSchema),
  byGroup: Type.Array(CountSchema),
  bySource: Type.Array(CountSchema),
  byStage: Type.Array(CountSchema),
  pending: Type.Array(
    Type.Object({
      invitationId: Type.String(),
      name: Type.String(),
      group: Type.String(),
      reminders: Type.Integer(),
      lastRemindedOn: Nullable(Type.String()),
    }),
  ),
});

const Token = Type.String({ minLength: 1, maxLength: 200 });
const Answers = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Record(Type.String({ maxLength: 40 }), Type.Unknown()),
  {
    description: 'subject id → question key → answer',
  },
);
const BallotSchema = Type.Object({ receipt: Type.String(), answers: Type.Unknown() });

export const campaignRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['campaigns'];

  app.get(
    '/api/campaigns',
    {
      schema: {
        tags,
        summary: 'Evaluation campaigns, newest first (campaigns:manage)',
        response: { 200: Type.Array(Type.Object(SummaryFields)), ...errorResponses },
      },
    },
    async (request) => service.listCampaigns(deps, requireActor(request)),
  );

  app.post(
    '/api/campaigns',
    {
      schema: {
        tags,
        summary: 'Create a campaign in draft: subjects, questionnaire, rounds and stages (campaigns:manage)',
        body: CampaignInputSchema,
        response: { 200: CampaignDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.createCampaign(deps, requireActor(request), request.body),
  );

  app.get(
    '/api/campaigns/:id',
    {
      schema: {
        tags,
        summary: 'One campaign with its subjects, questionnaire, rounds and stages (campaigns:manage)',
        params: IdParams,
        response: { 200: CampaignDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.getCampaign(deps, requireActor(request), request.params.id),
  );

  app.patch(
    '/api/campaigns/:id',
    {
      schema: {
        tags,
        summary:
          'Change the name, description, questionnaire or subjects; 409 questionnaire_frozen once anyone has answered (campaigns:manage)',
        params: IdParams,
        body: body({
          name: Type.Optional(NonBlank(200)),
          description: Type.Optional(Type.String({ maxLength: 4000 })),
          questionnaire: Type.Optional(QuestionnaireSchema),
          subjects: Type.Optional(
            Type.Array(SubjectInputSchema, { minItems: 1, maxItems: service.MAX_SUBJECTS }),
          ),
        }),
        response: { 200: CampaignDetailSchema, ...errorResponses },
      },
    },
    async (request) => service.updateCampaign(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/campaign-rounds/:id/state',
    {
      schema: {
        tags,
        summary:
          'Move a round one step: open (draft → open), close (open → closed: ballots are remixed), compute (closed → computed) (campaigns:manage)',
        params: IdParams,
        body: body({ step: Type.Enum(['open', 'close', 'compute']) }),
        response: { 200: RoundResultsSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.advanceRound(deps, requireActor(request), request.params.id, request.body.step),
  );

  app.get(
    '/api/campaign-rounds/:id/results',
    {
      schema: {
        tags,
        summary: 'A round’s results per subject (empty until computed) (campaigns:manage)',
        params: IdParams,
        response: { 200: RoundResultsSchema, ...errorResponses },
      },
    },
    async (request) => service.roundResults(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/campaign-rounds/:id/invitations',
    {
      schema: {
        tags,
        summary:
          'Invite evaluators of a stage (a directed list): one-time tokens, shown once for printed sheets, and an SMS to each with a phone (campaigns:manage)',
        params: IdParams,
        body: body({
          stageId: Id,
          sendSms: Type.Optional(Type.Boolean()),
          evaluators: Type.Array(
            body({
              ref: Type.Optional(Type.String({ maxLength: 100 })),
              name: NonBlank(60),
              phone: Type.Optional(Type.String({ maxLength: 20 })),
              group: Type.Optional(Type.String({ maxLength: 60 })),
              subjectIds: Type.Optional(Type.Array(Id, { maxItems: 2000 })),
            }),
            { minItems: 1, maxItems: service.MAX_INVITATIONS },
          ),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              invitationId: Type.String(),
              name: Type.String(),
              token: Type.String(),
              link: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      invitations.issueInvitations(deps, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/campaign-rounds/:id/monitor',
    {
      schema: {
        tags,
        summary:
          'Response rates by subject, group, source and stage, and who has not answered (campaigns:manage)',
        params: IdParams,
        response: { 200: MonitorSchema, ...errorResponses },
      },
    },
    async (request) => invitations.responseMonitor(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/campaign-rounds/:id/reminders',
    {
      schema: {
        tags,
        summary:
          'SMS reminders (the same link) to those who have not answered, or to the ones named (campaigns:manage)',
        params: IdParams,
        body: body({ invitationIds: Type.Optional(Type.Array(Id, { maxItems: 20000 })) }),
        response: { 200: Type.Object({ queued: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) =>
      invitations.sendReminders(deps, requireActor(request), request.params.id, request.body),
  );

  // --- the evaluator's side (public; the token is the authority) ---

  const publicTags = ['public'];
  const limited = { rateLimit: { max: 60, timeWindow: '1 minute' } };
  const publicErrors = { ...errorResponses, 429: errorResponses[400] };

  app.post(
    '/api/public/ballots/form',
    {
      config: limited,
      schema: {
        tags: publicTags,
        security: [],
        summary:
          'What an invitation token opens: the subjects with their highlights, the questionnaire, the draft',
        body: body({ token: Token }),
        response: {
          200: Type.Object({
            campaignName: Type.String(),
            roundId: Type.String(),
            roundName: Type.String(),
            status: Type.Enum(['not_open', 'open', 'closed']),
            opensOn: Type.String(),
            intro: Type.String(),
            named: Type.Boolean(),
            evaluatorName: Nullable(Type.String()),
            questionnaire: QuestionnaireSchema,
            subjects: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                description: Type.String(),
                highlights: Type.Array(Type.String()),
              }),
            ),
            draft: Type.Unknown(),
            submitted: Type.Boolean(),
            closesOn: Type.String(),
          }),
          ...publicErrors,
        },
      },
    },
    async (request) => ballots.ballotForm(deps, request.body.token),
  );

  app.post(
    '/api/public/ballots/draft',
    {
      config: limited,
      schema: {
        tags: publicTags,
        security: [],
        summary: 'Save a partial ballot to come back to (sealed with the token; the server cannot read it)',
        body: body({ token: Token, answers: Answers }),
        response: { 200: Type.Object({ saved: Type.Literal(true) }), ...publicErrors },
      },
    },
    async (request) => ballots.saveBallotDraft(deps, request.body.token, request.body.answers),
  );

  app.post(
    '/api/public/ballots/submit',
    {
      config: limited,
      schema: {
        tags: publicTags,
        security: [],
        summary:
          'Submit the ballot, once per token; answers the receipt code (409 token_used, round_closed; 400 answer_outside_scale, unknown_subject, text_too_long)',
        body: body({ token: Token, answers: Answers }),
        response: { 200: Type.Object({ receipt: Type.String() }), ...publicErrors },
      },
    },
    async (request) => ballots.submitBallot(deps, request.body.token, request.body.answers),
  );

  app.get(
    '/api/public/campaign-rounds/:id',
    {
      schema: {
        tags: publicTags,
        security: [],
        summary:
          'A round as anyone may see it: campaign and round names, state, questionnaire, subject names',
        params: IdParams,
        response: {
          200: Type.Object({
            campaignName: Type.String(),
            roundName: Type.String(),
            state: Type.Enum([...ROUND_STATES]),
            closesOn: Type.String(),
            questionnaire: QuestionnaireSchema,
            subjects: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ballots.publicRound(deps, request.params.id),
  );

  app.post(
    '/api/public/campaign-rounds/:id/receipt',
    {
      config: limited,
      schema: {
        tags: publicTags,
        security: [],
        summary: 'Check a receipt code once the round has closed: the ballot it stands for, as counted',
        params: IdParams,
        body: body({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
        response: {
          200: Type.Object({ found: Type.Boolean(), ballot: Nullable(BallotSchema) }),
          ...publicErrors,
        },
      },
    },
    async (request) => ballots.verifyReceipt(deps, request.params.id, request.body.code),
  );

  app.get(
    '/api/public/campaign-rounds/:id/ballots',
    {
      schema: {
        tags: publicTags,
        security: [],
        summary: 'A closed round’s ballots with their receipt digests, a page at a time',
        params: IdParams,
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ballots: Type.Array(
              Type.Object({ id: Type.String(), receipt: Type.String(), answers: Type.Unknown() }),
            ),
            next: Nullable(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      ballots.publicBallots(deps, request.params.id, request.query.after ?? '', request.query.limit ?? 200),
  );
};
