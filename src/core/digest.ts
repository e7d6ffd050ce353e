import { createHash } from 'node:crypto';
import { Invalid } from './errors.js';

/*
 * The canonical text of a value: what audit entries, import previews and scoring results are digested
 * from. Keys sorted (by UTF-16 code units), arrays in order, undefined members dropped.
 */
function canonical(value: unknown, path: Set<object>, at: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Invalid('not_canonical', `${String(value)} at ${at} has no JSON form.`, { path: at });
      }
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new Invalid('not_canonical', `The big integer at ${at} has no JSON form.`, { path: at });
    case 'object':
      break;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return canonical((toJSON as () => unknown).call(value), path, at);
  if (path.has(value))
    throw new Invalid('not_canonical', `The value at ${at} contains itself.`, { path: at });
  path.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item, i) => canonical(item, path, `${at}[${i}]`) ?? 'null').join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = canonical(record[key], path, `${at}.${key}`);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  path.delete(value);
  return text;
}

/** JSON with object keys sorted at every level and arrays in order; refuses NaN, Infinity and cycles. */
export function canonicalJson(value: unknown): string {
  const text = canonical(value, new Set(), '$');
  if (text === undefined) throw new Invalid('not_canonical', 'Nothing to write: the value is undefined.', {});
  return text;
}

/** SHA-256 of a text, as 64 hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of the canonical JSON of a value; null stays null (nothing before a creation, nothing after a deletion). */
export function digestOf(value: unknown): string | null {
  return value === null || value === undefined ? null : sha256Hex(canonicalJson(value));
}
