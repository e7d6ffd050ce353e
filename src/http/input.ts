import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Invalid } from '../core/errors.js';

/** The dotted path of the first string or key holding U+0000 in a parsed value ('' for the value itself), or null. */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = findNul(item, at);
    if (found !== null) return found;
  }
  return null;
}

/**
 * PostgreSQL cannot store U+0000 in text (SQLite can): such input would fail deep in SQL as a server
 * error on one database and be kept on the other. It is refused up front, naming the field.
 */
export const inputGuard = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    const parts = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const;
    for (const [part, value] of parts) {
      const found = findNul(value);
      if (found === null) continue;
      const field = found || part;
      throw new Invalid('invalid_input', `The field "${field}" contains a NUL character; remove it.`, {
        field,
        reason: 'nul_character',
      });
    }
  });
});

/** A spreadsheet upload: the file of the multipart field `file`, and the text fields sent with it. */
export interface Upload {
  file: { filename: string; bytes: Buffer };
  fields: Record<string, string>;
}

/**
 * Reads a multipart upload (the JSON guard above does not see multipart fields, so NUL is refused here
 * too). Files under another field name are drained and ignored.
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const fields: Record<string, string> = {};
  let file: Upload['file'] | null = null;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'file') file = { filename: part.filename, bytes };
    } else if (typeof part.value === 'string') {
      if (findNul(part.value) !== null) {
        throw new Invalid(
          'invalid_input',
          `The field "${part.fieldname}" contains a NUL character; remove it.`,
          {
            field: part.fieldname,
            reason: 'nul_character',
          },
        );
      }
      fields[part.fieldname] = part.value;
    }
  }
  if (!file) {
    throw new Invalid('file_missing', 'Send the spreadsheet as the multipart field "file".', {
      field: 'file',
    });
  }
  return { file, fields };
}
