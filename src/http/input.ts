import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Invalid } from '../core/errors.js';

/** How deeply a JSON body may nest arrays and objects; no form or API body comes near it. */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of arrays and objects in a JSON text, counted without parsing and without
 * recursion; stops counting (and returns) as soon as it passes `limit`.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** The dotted path of the first string or key holding U+0000 in a parsed value ('' for the value itself), or null. */
export function findNul(value: unknown): string | null {
  // An explicit stack rather than recursion: no input can exhaust the call stack.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path;
      continue;
    }
    if (item === null || typeof item !== 'object' || Buffer.isBuffer(item)) continue;
    const entries = Object.entries(item);
    // Pushed in reverse so that the first field is looked at first, as a reader would.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return at;
      stack.push([child, at]);
    }
  }
  return null;
}

/**
 * JSON bodies are parsed by Fastify's own parser (prototype poisoning refused) after a flat scan
 * refuses nesting deeper than MAX_JSON_DEPTH with 400 `too_deep`: nothing downstream then walks
 * a value deep enough to exhaust the stack, and no deep input costs more than one linear scan.
 */
export const jsonParser = fp(async (app: FastifyInstance) => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(
        new Invalid(
          'too_deep',
          `The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; no request needs that.`,
          { limit: MAX_JSON_DEPTH },
        ),
        undefined,
      );
      return;
    }
    void parse(request, text, done);
  });
});

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
