import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../core/context.js';
import { readUpload } from '../http/input.js';
import { requireActor } from '../http/auth.js';
import { errorResponses, IdParams } from '../http/schemas.js';
import { IMPORT_ENTITIES } from './import-plan.js';
import * as service from './import-service.js';

const Entity = Type.Enum([...IMPORT_ENTITIES]);

const ImportPreviewSchema = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  createdAt: Type.String(),
  status: Type.Enum(['previewed', 'applied']),
  summary: Type.Object({
    create: Type.Integer(),
    update: Type.Integer(),
    unchanged: Type.Integer(),
    errors: Type.Integer(),
    skipped: Type.Integer(),
  }),
  sheets: Type.Array(
    Type.Object({
      name: Type.String(),
      entity: Type.Union([Entity, Type.Null()]),
      message: Type.String({ description: 'How the sheet was understood, in Chinese for the clerk' }),
    }),
  ),
  rows: Type.Array(
    Type.Object({
      sheet: Type.String(),
      row: Type.Integer({ description: '1-based row number as shown in Excel' }),
      entity: Entity,
      key: Type.String({ description: 'Unit code, service item code or staff number' }),
      action: Type.Enum(['create', 'update', 'unchanged', 'error']),
      changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() }), {
        description: 'Field → {from, to}; for a creation, every field given, from null',
      }),
      errors: Type.Array(
        Type.Object({
          field: Type.String(),
          code: Type.String({ description: 'Stable snake_case code, e.g. unknown_parent' }),
          message: Type.String({ description: 'Chinese, for the clerk' }),
        }),
      ),
    }),
  ),
  skipped: Type.Array(
    Type.Object({
      sheet: Type.String(),
      row: Type.Integer(),
      reason: Type.Enum(['blank', 'title', 'header', 'notes', 'unknown_sheet']),
      message: Type.String(),
    }),
  ),
});

const XlsxResponse = {
  description:
    'an .xlsx workbook (Content-Disposition: attachment; filename=minping-registry-YYYY-MM-DD.xlsx)',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
    },
  },
};

export const importRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['registry'];

  app.post(
    '/api/imports',
    {
      schema: {
        tags,
        summary: 'Upload a spreadsheet of units, service items and staff, and get a preview',
        description:
          'multipart/form-data with one field `file`: an .xlsx workbook or a .csv file (UTF-8, or GB18030 as Chinese Excel saves it), at most 10 MB. ' +
          'Sheets are recognised by their header row. Nothing changes until the preview is applied with POST /api/imports/{id}/apply. ' +
          'Errors: 400 unsupported_file (not .xlsx/.csv), 400 unreadable_file, 400 too_many_rows, 413 body_too_large. Needs registry:import.',
        consumes: ['multipart/form-data'],
        response: { 201: ImportPreviewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { file } = await readUpload(request);
      const preview = await service.uploadImport(deps, actor, file);
      return reply.status(201).send(preview);
    },
  );

  app.get(
    '/api/imports/:id',
    {
      schema: {
        tags,
        summary: 'An import preview, recomputed against the registry as it is now',
        description:
          'Viewing the preview again makes it the one that apply checks against (after a 409 import_stale). An applied import shows what it did.',
        params: IdParams,
        response: { 200: ImportPreviewSchema, ...errorResponses },
      },
    },
    async (request) => service.getImport(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/imports/:id/apply',
    {
      schema: {
        tags,
        summary: 'Apply an import: every change in one transaction, all or nothing',
        description:
          '409 import_has_errors when a row is in error, 409 import_already_applied, 409 import_stale when the registry changed since the preview (view it again, then apply).',
        params: IdParams,
        response: { 200: ImportPreviewSchema, ...errorResponses },
      },
    },
    async (request) => service.applyImport(deps, requireActor(request), request.params.id),
  );

  app.get(
    '/api/exports/registry.xlsx',
    {
      schema: {
        tags,
        summary: 'The registry as an .xlsx (units in force today in tree order, service items, staff)',
        description:
          'Three sheets 单位, 服务事项, 人员 with the headers the importer reads: an export imported again changes nothing. Unit staff get their own subtree.',
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await service.exportRegistry(deps, requireActor(request));
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
};
