export { requirePermission as require, actorName } from '../core/auth/model.js';
import { hasPermission, type Actor, type Permission } from '../core/auth/model.js';
import type { Executor } from '../core/db/database.js';
import { Forbidden, Invalid } from '../core/errors.js';
import { normalizeValue, numberText } from '../core/spreadsheet/cells.js';
import { visibleUnits } from '../registry/scope.js';
import * as registryStore from '../registry/store.js';
import { type PeriodInfo } from './sources.js';

/* Helpers every scoring use case shares: permissions, text cleaning, period lookups, the caller's scope. */

export function requireAny(actor: Actor, permissions: readonly Permission[]): void {
  if (!permissions.some((p) => hasPermission(actor, p))) throw new Forbidden();
}

export const actorIdOf = (actor: Actor): string | null => (actor.kind === 'system' ? null : actor.id);

/** Text a person typed: trimmed; refused when blank (if required) or too long, naming the field. */
export function text(value: string | undefined, field: string, max: number, required = true): string {
  const cleaned = (value ?? '').normalize('NFC').trim();
  if (required && cleaned === '') {
    throw new Invalid('invalid_input', `The field "${field}" must not be empty.`, { field });
  }
  if (cleaned.length > max) {
    throw new Invalid('invalid_input', `The field "${field}" has at most ${max} characters.`, { field });
  }
  return cleaned;
}

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkKey(value: string, field: string): void {
  if (!KEY_RE.test(value)) {
    throw new Invalid(
      'invalid_key',
      `The field "${field}" is a key of 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
      { field },
    );
  }
}

/** Largest magnitude a score may have: anything bigger is a typing mistake. */
const MAX_SCORE = 1e9;

/** Why a line of a score file cannot be stored: a stable code and its params (the console translates them). */
export interface LineProblem {
  code: string;
  params: Record<string, string | number>;
  /** The same in English, for API callers. */
  problem: string;
}

/** A number a person gave, as canonical decimal text, or an explanation of why it is not one. */
export function scoreText(value: unknown): { text: string } | LineProblem {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const t = normalizeValue('integer', value);
    if (t === '') return { code: 'empty_value', params: {}, problem: 'The value is empty.' };
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) {
      return { code: 'not_a_number', params: { value }, problem: `“${value}” is not a number.` };
    }
    n = Number(t);
  } else
    return { code: 'not_a_number', params: { value: String(value) }, problem: 'The value is not a number.' };
  if (!Number.isFinite(n) || Math.abs(n) > MAX_SCORE) {
    return {
      code: 'value_out_of_range',
      params: { max: MAX_SCORE },
      problem: 'The value is not a number between −1,000,000,000 and 1,000,000,000.',
    };
  }
  return { text: numberText(n) };
}

export async function periodOf(db: Executor, periodId: string, field = 'periodId'): Promise<PeriodInfo> {
  const period = await registryStore.periodById(db, periodId);
  if (!period) throw new Invalid('unknown_period', 'The chosen period does not exist.', { field });
  return { id: period.id, name: period.name, startDate: period.startDate, endDate: period.endDate };
}

export async function periodNames(db: Executor): Promise<Map<string, string>> {
  return new Map((await registryStore.listPeriods(db)).map((p) => [p.id, p.name]));
}

/** The subtree (as the registry stands today) an actor confined to one may act in, else null. */
export async function scopeOf(db: Executor, actor: Actor, today: string): Promise<Set<string> | null> {
  return visibleUnits(db, actor, today);
}
