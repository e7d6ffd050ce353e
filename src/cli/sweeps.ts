import { caseSweeps } from '../cases/sweeps.js';
import type { Sweep } from '../core/sweeps.js';
import { ledgerSweeps } from '../ledger/sweeps.js';
import { windowSweeps } from '../window/sweeps.js';
import { ratingSweeps } from '../ratings/sweeps.js';

/** Every periodic sweep of the application, in the order they run: default ratings before case deadlines. */
export const ALL_SWEEPS: readonly Sweep[] = [
  ...ratingSweeps,
  ...caseSweeps,
  ...ledgerSweeps,
  ...windowSweeps,
];
