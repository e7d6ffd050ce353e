import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { ScryptCost } from '../../src/core/auth/model.js';
import { registerAreaSteps } from '../../src/areas.js';
import { boot } from '../../src/core/boot.js';
import type { Deps } from '../../src/core/context.js';
import type { Dialect } from '../../src/core/db/database.js';
import type { Clock } from '../../src/core/time.js';

/** Cheap scrypt for tests: the hashing code is the same, only the cost parameter is smaller. */
export const TEST_SCRYPT: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

/** The PostgreSQL server tests use when MINPING_TEST_PG is set (to a URL, or to 1 for the local default). */
export function postgresUrl(): string | null {
  const value = process.env.MINPING_TEST_PG;
  if (!value || value === '0') return null;
  return value.includes('://') ? value : 'postgres://postgres@127.0.0.1:5432/test';
}

/** SQLite always; PostgreSQL too when MINPING_TEST_PG is set. */
export const DIALECTS: Dialect[] = postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];

/** A settable clock, so deadlines, sessions and throttling can be tested without waiting. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-03-16T02:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export interface TestDatabase {
  deps: Deps;
  clock: TestClock;
  dialect: Dialect;
  /** PostgreSQL only: the URL and schema, to open a second connection pool (a second app node). */
  postgres?: { url: string; schema: string };
  close(): Promise<void>;
}

/**
 * A fresh, migrated database: an in-memory SQLite database, or a new PostgreSQL schema that is
 * dropped again on close. Each test file (or test) gets its own, so runs never see each other's rows.
 */
export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  registerAreaSteps();
  const clock = new TestClock();
  if (dialect === 'sqlite') {
    const deps = await boot(
      { databaseUrl: 'sqlite::memory:', sessionMinutes: 480 },
      { clock, scryptCost: TEST_SCRYPT },
    );
    return { deps, clock, dialect, close: () => deps.database.close() };
  }
  const url = postgresUrl();
  if (!url) throw new Error('PostgreSQL tests need MINPING_TEST_PG.');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dropSchema = async () => {
    const dropper = new pg.Client({ connectionString: url });
    await dropper.connect();
    await dropper.query(`drop schema if exists ${schema} cascade`);
    await dropper.end();
  };
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  let deps: Deps;
  try {
    deps = await boot(
      { databaseUrl: url, sessionMinutes: 480 },
      { clock, scryptCost: TEST_SCRYPT, searchPath: schema, poolSize: 4, lockTimeoutMs: 60_000 },
    );
  } catch (error) {
    // A start that fails leaves no schema behind in the shared test database.
    await dropSchema();
    throw error;
  }
  return {
    deps,
    clock,
    dialect,
    postgres: { url, schema },
    close: async () => {
      await deps.database.close();
      await dropSchema();
    },
  };
}

/**
 * Runs a block of tests once per database. The block receives a getter for the current test
 * database, opened before the block's tests and closed after them.
 */
export function describeEachDatabase(name: string, body: (db: () => TestDatabase) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await openTestDatabase(dialect);
      });
      afterAll(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('test database not open');
        return current;
      });
    });
  }
}
