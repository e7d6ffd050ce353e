import type { Executor } from '../core/db/database.js';
import { AppError, NotFound } from '../core/errors.js';
import { periodById } from '../registry/store.js';
import { canonicalJson, computeRanking, digestOf } from './model.js';
import { collectInput, parseDefinition } from './service.js';
import * as store from './store.js';

/*
 * `minping verify result <id> [--now]`: collects a run's inputs again from the raw records as they stood when
 * it was computed (or, with --now, as they stand now) — rating statistics recounted from the ratings, transactions and cases themselves,
 * not from the rollups, so that the rollups are checked too — recomputes it with the scheme version it
 * names, and reports "identical" or the first difference, as a JSON path with both values.
 */

export type Verification =
  | { identical: true; runId: string; inputsDigest: string; resultsDigest: string }
  | {
      identical: false;
      runId: string;
      /** e.g. inputs.values.survey.<unit id>.value, outcome.units[3].total */
      path: string;
      stored: unknown;
      recomputed: unknown;
      message: string;
    };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const member = (path: string, key: string) =>
  IDENTIFIER.test(key) || /^[0-9a-f-]{36}$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** The first place two JSON values differ (keys in sorted order, arrays in order), or null. */
export function firstDifference(
  stored: unknown,
  recomputed: unknown,
  path: string,
): { path: string; stored: unknown; recomputed: unknown } | null {
  if (Array.isArray(stored) && Array.isArray(recomputed)) {
    const n = Math.min(stored.length, recomputed.length);
    for (let i = 0; i < n; i += 1) {
      const d = firstDifference(stored[i], recomputed[i], `${path}[${i}]`);
      if (d) return d;
    }
    if (stored.length !== recomputed.length) {
      return { path: `${path}.length`, stored: stored.length, recomputed: recomputed.length };
    }
    return null;
  }
  if (isObject(stored) && isObject(recomputed)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(recomputed)])].sort();
    for (const key of keys) {
      if (!(key in stored))
        return { path: member(path, key), stored: undefined, recomputed: recomputed[key] };
      if (!(key in recomputed))
        return { path: member(path, key), stored: stored[key], recomputed: undefined };
      const d = firstDifference(stored[key], recomputed[key], member(path, key));
      if (d) return d;
    }
    return null;
  }
  return canonicalJson(stored ?? null) === canonicalJson(recomputed ?? null)
    ? null
    : { path, stored, recomputed };
}

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));

function differs(
  runId: string,
  d: { path: string; stored: unknown; recomputed: unknown },
  why: string,
): Verification {
  return {
    identical: false,
    runId,
    ...d,
    message: `${why}: first difference at ${d.path}: stored ${show(d.stored)}, recomputed ${show(d.recomputed)}`,
  };
}

export interface VerifyOptions {
  /**
   * The instant whose records are collected: by default the run's own computedAt (was the result what
   * the records said then?). An instant after it (`minping verify result <id> --now`) asks instead whether
   * the records as they are now still give the same result: a rating removed on an upheld appeal since,
   * a held rating released since or a value corrected since shows as a difference.
   */
  asOf?: string;
}

/** Recollects and recomputes a run and compares it with what was stored. */
export async function verifyResult(
  db: Executor,
  runId: string,
  options: VerifyOptions = {},
): Promise<Verification> {
  const run = await store.runById(db, runId);
  if (!run) throw new NotFound('run', runId);
  const version = await store.schemeVersion(db, run.schemeId, run.schemeVersion);
  if (!version) throw new NotFound('scheme version', `${run.schemeId}/${run.schemeVersion}`);
  const found = await periodById(db, run.periodId);
  if (!found) throw new NotFound('period', run.periodId);
  const period = { id: found.id, name: found.name, startDate: found.startDate, endDate: found.endDate };

  const storedInputs: unknown = JSON.parse(run.inputs);
  const storedOutcome: unknown = JSON.parse(run.outcome);
  if (digestOf(storedInputs) !== run.inputsDigest) {
    return differs(
      runId,
      { path: 'inputsDigest', stored: run.inputsDigest, recomputed: digestOf(storedInputs) },
      'The stored inputs do not match their digest',
    );
  }
  if (digestOf(storedOutcome) !== run.resultsDigest) {
    return differs(
      runId,
      { path: 'resultsDigest', stored: run.resultsDigest, recomputed: digestOf(storedOutcome) },
      'The stored result does not match its digest',
    );
  }

  // Rating statistics are recounted with the good-rating threshold the run recorded, not today's.
  const recorded = isObject(storedInputs) && isObject(storedInputs.ratings) ? storedInputs.ratings : null;
  const goodFrom = recorded !== null && typeof recorded.goodFrom === 'number' ? recorded.goodFrom : undefined;

  // The members are the run's own record (the registry keeps no history of when a unit was entered).
  const units = isObject(storedInputs) && Array.isArray(storedInputs.units) ? storedInputs.units : [];
  const memberIds = units.flatMap((u) => (isObject(u) && typeof u.id === 'string' ? [u.id] : []));

  let input;
  try {
    input = await collectInput(db, {
      schemeId: run.schemeId,
      definition: parseDefinition(version.definition),
      groupKey: run.groupKey,
      period,
      asOf: options.asOf ?? run.computedAt,
      recount: true,
      goodFrom,
      memberIds,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return differs(
      runId,
      { path: 'inputs', stored: run.inputsDigest, recomputed: error.message },
      'The inputs could not be collected again',
    );
  }
  const recollected: unknown = JSON.parse(canonicalJson(input));
  const inputDiff = firstDifference(storedInputs, recollected, 'inputs');
  if (inputDiff) return differs(runId, inputDiff, 'The inputs recollected from the raw records differ');

  const outcome: unknown = JSON.parse(canonicalJson(computeRanking(input)));
  const outcomeDiff = firstDifference(storedOutcome, outcome, 'outcome');
  if (outcomeDiff) return differs(runId, outcomeDiff, 'The recomputed result differs');
  return { identical: true, runId, inputsDigest: run.inputsDigest, resultsDigest: run.resultsDigest };
}
