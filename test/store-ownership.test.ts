/*
 * A store reads and writes its own area's tables; another area's data comes through that area's store
 * (docs/architecture.md). This test reads every store file for the tables its queries name and fails on
 * a table owned by another area, except the crossings listed below — known debt, each to be removed,
 * never added to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/core/config.js';

/** The area that owns each table (camelCase, as queries name them). */
const OWNERS: Record<string, string> = {
  settings: 'core',
  accounts: 'core',
  sessions: 'core',
  loginAttempts: 'core',
  apiTokens: 'core',
  auditLog: 'core',
  calendarDays: 'core',
  outbox: 'core',
  units: 'registry',
  unitVersions: 'registry',
  unitCategories: 'registry',
  serviceItems: 'registry',
  staff: 'registry',
  periods: 'registry',
  imports: 'registry',
  devices: 'ratings',
  transactions: 'ratings',
  ratings: 'ratings',
  ratingRollups: 'ratings',
  activityRollups: 'ratings',
  kioskLookupFailures: 'ratings',
  cases: 'cases',
  caseEvents: 'cases',
  caseWarnings: 'cases',
  schemes: 'scoring',
  schemeVersions: 'scoring',
  scoreValues: 'scoring',
  scoringTasks: 'scoring',
  sheetScores: 'scoring',
  vetoes: 'scoring',
  scoringRuns: 'scoring',
  runReviews: 'scoring',
  runProblems: 'scoring',
  outcomeRuleSets: 'outcomes',
  consequences: 'outcomes',
  consequenceAppeals: 'outcomes',
  documents: 'reports',
  evaluators: 'panel',
};

/** Tables named by prefix: panel_*, campaign_*, ledger_*, window_* belong to the area of that name. */
const PREFIX_OWNERS: [RegExp, string][] = [
  [/^panel[A-Z]/, 'panel'],
  [/^campaign(s$|[A-Z])/, 'campaigns'],
  [/^ledger[A-Z]/, 'ledger'],
  [/^window[A-Z]/, 'window'],
];

/** Known crossings (store → tables of another area), to be moved behind the owner's store. */
const KNOWN_CROSSINGS: Record<string, string[]> = {
  'src/cases/store.ts': ['ratings', 'transactions'],
  'src/core/auth/store.ts': ['units'],
  'src/scoring/store.ts': ['cases', 'periods', 'ratings', 'transactions', 'unitVersions', 'units'],
};

function ownerOf(table: string): string | undefined {
  return OWNERS[table] ?? PREFIX_OWNERS.find(([pattern]) => pattern.test(table))?.[1];
}

function storeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return storeFiles(path);
    const inStoreFolder = dir.endsWith('/store');
    return (name === 'store.ts' || (inStoreFolder && name.endsWith('.ts'))) && !name.endsWith('.test.ts')
      ? [path]
      : [];
  });
}

const QUERY =
  /\.(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'(\w+)/g;

describe('stores read their own area’s tables', () => {
  const files = storeFiles(join(PROJECT_ROOT, 'src'));

  it('finds the stores', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(PROJECT_ROOT, f)]))('%s', (file) => {
    const area = file.split('/')[1];
    const source = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    const foreign = new Set<string>();
    for (const match of source.matchAll(QUERY)) {
      const table = match[1] ?? '';
      const owner = ownerOf(table);
      if (owner !== undefined && owner !== area) foreign.add(table);
    }
    expect([...foreign].sort()).toEqual((KNOWN_CROSSINGS[file] ?? []).slice().sort());
  });
});
