import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { requireActor } from '../http/auth.js';
import { DateString, errorResponses, IdParams, NonBlank } from '../http/schemas.js';
import { CODE_PATTERN, PERIOD_KINDS, SERVICE_MODES, UNIT_KINDS } from './model.js';
import * as service from './service.js';

const Code = Type.String({ pattern: CODE_PATTERN, description: '1–40 letters, digits, ".", "_" or "-"' });
const Name = NonBlank(100);
const NullableId = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]);
const KindSchema = Type.Enum([...UNIT_KINDS]);
const ModeSchema = Type.Enum([...SERVICE_MODES]);

const UnitSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  shortName: Type.String(),
  kind: KindSchema,
  parentId: Type.Union([Type.String(), Type.Null()]),
  categoryId: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  sortOrder: Type.Integer(),
  responsibleName: Type.String(),
  responsiblePhone: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});

const unitFieldSchemas = {
  name: Name,
  shortName: Type.Optional(Type.String({ maxLength: 40 })),
  kind: KindSchema,
  parentId: Type.Optional(NullableId),
  categoryId: Type.Optional(NullableId),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20 })),
  sortOrder: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
  responsibleName: Type.Optional(Type.String({ maxLength: 40 })),
  responsiblePhone: Type.Optional(Type.String({ maxLength: 30, pattern: '^[0-9+\\- ]*$' })),
};

const CategorySchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  createdAt: Type.String(),
});

const ServiceItemSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  unitId: Type.String(),
  mode: ModeSchema,
  active: Type.Boolean(),
});

const StaffSchema = Type.Object({
  id: Type.String(),
  staffNo: Type.String(),
  name: Type.String(),
  unitId: Type.String(),
  position: Type.String(),
  phone: Type.String(),
  active: Type.Boolean(),
});

const PeriodSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  kind: Type.Enum([...PERIOD_KINDS]),
  year: Type.Integer(),
  seq: Type.Integer(),
  name: Type.String(),
  startDate: Type.String(),
  endDate: Type.String(),
  createdAt: Type.String(),
});

const UnitFilter = Type.Object(
  { unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);

export const registryRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['registry'];

  app.get(
    '/api/units',
    {
      schema: {
        tags,
        summary: 'Units in force on a date (today by default), as a flat list with parent ids',
        querystring: Type.Object(
          {
            asOf: Type.Optional(DateString),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            includeInactive: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(UnitSchema), ...errorResponses },
      },
    },
    async (request) => service.listUnits(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: 'One unit with its history of versions and its path from the root',
        params: IdParams,
        response: {
          200: Type.Object({
            unit: UnitSchema,
            versions: Type.Array(UnitSchema),
            path: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
            serviceItems: Type.Integer(),
            staff: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.getUnit(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/units',
    {
      schema: {
        tags,
        summary: 'Create a unit',
        body: Type.Object(
          { code: Code, ...unitFieldSchemas, validFrom: Type.Optional(DateString) },
          { additionalProperties: false },
        ),
        response: { 201: UnitSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createUnit(deps, requireActor(request), request.body)),
  );

  app.patch(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary:
          'Change a unit (name, parent, category, tags, …) from a date on; past periods keep it as it was',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            shortName: unitFieldSchemas.shortName,
            kind: Type.Optional(KindSchema),
            parentId: unitFieldSchemas.parentId,
            categoryId: unitFieldSchemas.categoryId,
            tags: unitFieldSchemas.tags,
            sortOrder: unitFieldSchemas.sortOrder,
            responsibleName: unitFieldSchemas.responsibleName,
            responsiblePhone: unitFieldSchemas.responsiblePhone,
            effectiveFrom: Type.Optional(DateString),
            confirmPublishedResults: Type.Optional(
              Type.Boolean({
                description:
                  'true: the office knows that this change, dated inside periods whose results are published, makes those results no longer verify (refused with published_results_affected otherwise)',
              }),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: UnitSchema, ...errorResponses },
      },
    },
    async (request) => service.updateUnit(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/units/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Close a unit as of a date (institutional reform); it stays in every earlier period',
        params: IdParams,
        body: Type.Object(
          {
            effectiveFrom: Type.Optional(DateString),
            confirmPublishedResults: Type.Optional(
              Type.Boolean({
                description:
                  'true: the office knows that closing the unit inside periods whose results are published makes those results no longer verify',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: UnitSchema, ...errorResponses },
      },
    },
    async (request) => service.deactivateUnit(deps, requireActor(request), request.params.id, request.body),
  );

  // --- categories ---
  app.get(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'Unit categories',
        response: { 200: Type.Array(CategorySchema), ...errorResponses },
      },
    },
    async (request) => service.listCategories(deps, requireActor(request)),
  );
  app.post(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'Create a unit category (e.g. sections with approval power; grassroots stations)',
        body: Type.Object(
          {
            code: Code,
            name: Name,
            nameEn: Type.Optional(Type.String({ maxLength: 100 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CategorySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createCategory(deps, requireActor(request), request.body)),
  );
  app.patch(
    '/api/categories/:id',
    {
      schema: {
        tags,
        summary: 'Rename or describe a category',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            nameEn: Type.Optional(Type.String({ maxLength: 100 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: CategorySchema, ...errorResponses },
      },
    },
    async (request) => service.updateCategory(deps, requireActor(request), request.params.id, request.body),
  );

  // --- service items ---
  app.get(
    '/api/service-items',
    {
      schema: {
        tags,
        summary: 'Service items (事项), optionally of one unit',
        querystring: UnitFilter,
        response: { 200: Type.Array(ServiceItemSchema), ...errorResponses },
      },
    },
    async (request) => service.listServiceItems(deps, requireActor(request), request.query.unitId),
  );
  app.post(
    '/api/service-items',
    {
      schema: {
        tags,
        summary: 'Attach a service item to a unit',
        body: Type.Object(
          {
            code: Code,
            name: NonBlank(200),
            unitId: Type.String({ minLength: 1 }),
            mode: ModeSchema,
          },
          { additionalProperties: false },
        ),
        response: { 201: ServiceItemSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createServiceItem(deps, requireActor(request), request.body)),
  );
  app.patch(
    '/api/service-items/:id',
    {
      schema: {
        tags,
        summary: 'Change a service item',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(NonBlank(200)),
            unitId: Type.Optional(Type.String({ minLength: 1 })),
            mode: Type.Optional(ModeSchema),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ServiceItemSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.updateServiceItem(deps, requireActor(request), request.params.id, request.body),
  );

  // --- staff ---
  const StaffNo = Type.String({
    pattern: CODE_PATTERN,
    description: 'Staff number: 1–40 letters, digits, ".", "_" or "-"',
  });
  const Phone = Type.String({ maxLength: 30, pattern: '^[0-9+\\- ]*$' });
  app.get(
    '/api/staff',
    {
      schema: {
        tags,
        summary: 'Staff, optionally of one unit',
        querystring: UnitFilter,
        response: { 200: Type.Array(StaffSchema), ...errorResponses },
      },
    },
    async (request) => service.listStaff(deps, requireActor(request), request.query.unitId),
  );
  app.post(
    '/api/staff',
    {
      schema: {
        tags,
        summary: 'Add a staff member to a unit',
        body: Type.Object(
          {
            staffNo: StaffNo,
            name: NonBlank(40),
            unitId: Type.String({ minLength: 1 }),
            position: Type.Optional(Type.String({ maxLength: 60 })),
            phone: Type.Optional(Phone),
          },
          { additionalProperties: false },
        ),
        response: { 201: StaffSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createStaff(deps, requireActor(request), request.body)),
  );
  app.patch(
    '/api/staff/:id',
    {
      schema: {
        tags,
        summary: 'Change a staff member (name, unit, position, phone, active)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(NonBlank(40)),
            unitId: Type.Optional(Type.String({ minLength: 1 })),
            position: Type.Optional(Type.String({ maxLength: 60 })),
            phone: Type.Optional(Phone),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: StaffSchema, ...errorResponses },
      },
    },
    async (request) => service.updateStaff(deps, requireActor(request), request.params.id, request.body),
  );

  // --- periods ---
  app.get(
    '/api/periods',
    {
      schema: {
        tags: ['periods'],
        summary: 'Assessment periods, newest first',
        response: { 200: Type.Array(PeriodSchema), ...errorResponses },
      },
    },
    async (request) => service.listPeriods(deps, requireActor(request)),
  );
  app.post(
    '/api/periods',
    {
      schema: {
        tags: ['periods'],
        summary:
          'Create a period (year, half, quarter, month); without seq, every missing one of that kind in the year',
        body: Type.Object(
          {
            kind: Type.Enum([...PERIOD_KINDS]),
            year: Type.Integer({ minimum: 2000, maximum: 2100 }),
            seq: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
            name: Type.Optional(NonBlank(60)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Array(PeriodSchema), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createPeriods(deps, requireActor(request), request.body)),
  );
  app.patch(
    '/api/periods/:id',
    {
      schema: {
        tags: ['periods'],
        summary: 'Rename a period',
        params: IdParams,
        body: Type.Object({ name: NonBlank(60) }, { additionalProperties: false }),
        response: { 200: PeriodSchema, ...errorResponses },
      },
    },
    async (request) =>
      service.renamePeriod(deps, requireActor(request), request.params.id, request.body.name),
  );
};
