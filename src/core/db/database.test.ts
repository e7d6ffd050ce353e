import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, postgresUrl } from '../../../test/support/db.js';

const url = postgresUrl();

describe.runIf(url !== null)('PostgreSQL migrations', () => {
  it('start even while another process holds a migration lock elsewhere in the same database', async () => {
    // Kysely's database-wide migration lock, held by a stuck process (an old run, another installation):
    // Minping takes a lock of its own schema instead, so it is not stalled for Kysely's hour-long wait.
    const stuck = new pg.Client({ connectionString: url ?? '' });
    await stuck.connect();
    try {
      await stuck.query(`select pg_advisory_lock(3853314791062309107)`);
      await stuck.query(`select pg_advisory_lock(hashtext('minping:migrate:some_other_schema'))`);
      const started = Date.now();
      const database = await openTestDatabase('postgres');
      try {
        const { rows } = await stuck.query<{ n: number }>(
          `select count(*)::int as n from information_schema.tables where table_schema = $1`,
          [database.postgres?.schema ?? ''],
        );
        // Every table was created (the registry alone has more than ten), well before any lock timeout.
        expect(rows[0]?.n).toBeGreaterThan(10);
        expect(Date.now() - started).toBeLessThan(30_000);
      } finally {
        await database.close();
      }
    } finally {
      await stuck.end();
    }
  });

  it('start while other schemas of the database are created and dropped (other test runs finishing)', async () => {
    const churn = new pg.Client({ connectionString: url ?? '' });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      for (let i = 0; !stop; i++) {
        const other = `churn_${process.pid}_${i}`;
        await churn.query(`create schema ${other}`);
        await churn.query(`create table ${other}.t (id serial primary key, a text, b text, c text)`);
        await churn.query(`drop schema ${other} cascade`);
      }
    })();
    try {
      for (let round = 0; round < 3; round++) {
        const databases = await Promise.all(Array.from({ length: 6 }, () => openTestDatabase('postgres')));
        await Promise.all(databases.map((d) => d.close()));
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  }, 120_000);
});
