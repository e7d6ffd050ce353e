import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.js';
import { DateString, errorResponses, Ok } from '../../http/schemas.js';
import type { Deps } from '../context.js';
import * as service from './service.js';

const Kind = Type.Enum(['holiday', 'workday'], {
  description: 'holiday: a day off; workday: a make-up working day (调休)',
});

const DaySchema = Type.Object({
  date: Type.String(),
  kind: Kind,
  name: Type.String(),
  weekday: Type.Integer({ description: '0 Sunday … 6 Saturday' }),
});

const PreviewSchema = Type.Object({
  year: Type.Union([Type.Integer(), Type.Null()]),
  entries: Type.Array(DaySchema),
  errors: Type.Array(Type.Object({ line: Type.Integer(), text: Type.String(), message: Type.String() })),
  added: Type.Array(DaySchema),
  changed: Type.Array(Type.Object({ date: Type.String(), from: DaySchema, to: DaySchema })),
  removed: Type.Array(DaySchema),
  unchanged: Type.Integer(),
  applied: Type.Boolean(),
});

const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const DateParams = Type.Object({ date: DateString }, { additionalProperties: false });

export const calendarRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['calendar'];

  app.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary: 'The holidays and make-up working days of a year (registry:read)',
        querystring: Type.Object({ year: Year }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            days: Type.Array(DaySchema),
            workingDays: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.getYear(deps, requireActor(request), request.query.year),
  );

  app.put(
    '/api/calendar/:date',
    {
      schema: {
        tags,
        summary: 'Mark a day as a holiday or a make-up working day (calendar:write)',
        params: DateParams,
        body: Type.Object(
          { kind: Kind, name: Type.Optional(Type.String({ maxLength: 40 })) },
          { additionalProperties: false },
        ),
        response: { 200: DaySchema, ...errorResponses },
      },
    },
    async (request) => service.setDay(deps, requireActor(request), request.params.date, request.body),
  );

  app.delete(
    '/api/calendar/:date',
    {
      schema: {
        tags,
        summary: 'Remove a day from the list: an ordinary day again (calendar:write)',
        params: DateParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      await service.deleteDay(deps, requireActor(request), request.params.date);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/calendar/import',
    {
      schema: {
        tags,
        summary: 'Preview a year’s list, or store it all with ?apply=true (calendar:write)',
        description:
          'One date a line: `2026-10-01 休 国庆节`, `2026-09-20 班 国庆节调休`. The list replaces the stored days of its year. Without apply nothing is stored and every unreadable line is reported; with apply=true the list is stored whole, or — if any line is unreadable — not at all.',
        querystring: Type.Object({ apply: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        body: Type.Object({ text: Type.String({ maxLength: 20_000 }) }, { additionalProperties: false }),
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.importList(deps, requireActor(request), request.body.text, request.query.apply ?? false),
  );

  app.post(
    '/api/calendar/import-official',
    {
      schema: {
        tags,
        summary: 'Store the shipped official holiday arrangement of a year (calendar:write)',
        body: Type.Object({ year: Year }, { additionalProperties: false }),
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (request) => service.importOfficial(deps, requireActor(request), request.body.year),
  );
};
