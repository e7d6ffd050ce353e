export type { RunDetail, SchemeDetail } from './types.js';

/*
 * Scoring use cases: schemes and their versions, imported scores and score sheets with provenance,
 * vetoes, runs (collect → compute → store with digests), review stages, publication and the public
 * view. Each write is one transaction with its audit entry. Inside a transaction every read goes
 * through `trx` (on SQLite a read through the pool would wait for the transaction and never return).
 */

export * from './schemes.js';
export * from './scores.js';
export * from './sheets.js';
export * from './vetoes.js';
export * from './runs.js';
export * from './review.js';
export * from './public.js';
