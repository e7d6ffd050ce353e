import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { foreignKeyViolation, uniqueViolation, unstorableValue } from '../core/db/database.js';
import { AppError, type ErrorParams } from '../core/errors.js';

interface ErrorBody {
  error: { code: string; message: string; params: ErrorParams };
}

const body = (code: string, message: string, params: ErrorParams = {}): ErrorBody => ({
  error: { code, message, params },
});

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns the first schema violation into a message that names the field. */
function describeValidation(issues: readonly ValidationIssue[], part: string): ErrorBody {
  const first = issues[0] ?? {};
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = first.params ?? {};
  if (first.keyword === 'required' && typeof params.missingProperty === 'string') {
    const field = path ? `${path}.${params.missingProperty}` : params.missingProperty;
    return body('invalid_input', `The field "${field}" is required.`, { field, reason: 'required' });
  }
  if (first.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    const field = path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
    return body('invalid_input', `The field "${field}" is not recognised here; remove it.`, {
      field,
      reason: 'unknown_field',
    });
  }
  const field = path || part;
  return body('invalid_input', `The field "${field}" ${first.message ?? 'is not valid'}.`, {
    field,
    reason: first.keyword ?? 'invalid',
  });
}

/**
 * The one place errors become HTTP responses. Known errors keep their status and code; database
 * constraint errors are named by field; anything else is logged and answered without detail.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.status(error.status).send(body(error.code, error.message, error.params));
  }
  const fe = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fe.validation) {
    return reply.status(400).send(describeValidation(fe.validation, fe.validationContext ?? 'body'));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return reply.status(400).send(body('malformed_json', 'The request body is not valid JSON.'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.status(400).send(body('empty_body', 'The request body is empty; send a JSON object.'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
      return reply.status(413).send(body('body_too_large', 'The request is too large.'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply
        .status(415)
        .send(
          body(
            'unsupported_media_type',
            'Send the body as application/json (or a file as multipart/form-data).',
          ),
        );
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return reply
        .status(415)
        .send(body('unsupported_media_type', 'Upload the file as multipart/form-data.'));
    default:
      break;
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) {
    return reply.status(400).send(body('malformed_json', 'The request body is not valid JSON.'));
  }
  const unique = uniqueViolation(error);
  if (unique) {
    const field = unique.column ? camel(unique.column) : 'code';
    return reply
      .status(409)
      .send(
        body('duplicate', `Another record already uses this ${field}; choose a different one.`, { field }),
      );
  }
  if (foreignKeyViolation(error)) {
    return reply.status(409).send(body('reference_missing', 'This refers to a record that does not exist.'));
  }
  if (unstorableValue(error)) {
    return reply
      .status(400)
      .send(
        body(
          'value_out_of_range',
          'A number or text in the request is outside what can be stored; check it and try again.',
        ),
      );
  }
  if (fe.statusCode === 429) {
    return reply.status(429).send(body('rate_limited', 'Too many requests; wait a minute and try again.'));
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.status(fe.statusCode).send(body('bad_request', 'The request could not be understood.'));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply
    .status(500)
    .send(body('internal_error', 'Something went wrong on the server. It has been logged; try again later.'));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .status(404)
    .send(body('route_not_found', `There is no ${request.method} ${request.url.split('?')[0] ?? ''}.`));
}
