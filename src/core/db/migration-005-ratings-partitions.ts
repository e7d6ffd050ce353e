import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/*
 * PostgreSQL: ratings partitioned by month of `day` (ARCHITECTURE.md, "Data and scale") — the largest
 * table grows without end, and a month is the unit in which old ratings are archived (detached) and in
 * which recent ones stay small and hot. SQLite keeps one table.
 *
 * PostgreSQL requires every unique key of a partitioned table to contain the partition key, so:
 * - the primary key is (id, day); ids are still unique (UUIDv7), lookups by id use its leading column;
 * - one rating per transaction is guarded where the transaction is linked to its rating (an update that
 *   only takes a transaction still without one: see linkRatings), no longer by a unique index;
 * - idempotency keys are unique per day at the database level; a retry on a later day is still found by
 *   the key before anything is written (runIngestBatch), only two nodes racing across midnight with the
 *   same key could both store — a retry that is sent twice, at midnight, to two nodes at once.
 * Existing rows are copied; months get their partitions (those with ratings, and the coming ones), and a
 * default partition takes any rating of a month not created yet (the ratings.partitions sweep moves them).
 */
export const m005RatingsPartitions: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table ratings rename to ratings_unpartitioned`.execute(db);
    await sql`create table ratings (like ratings_unpartitioned including defaults) partition by range (day)`.execute(
      db,
    );
    await sql`create table ratings_default partition of ratings default`.execute(db);
    const { rows } = await sql<{ month: string }>`
      select distinct substr(day, 1, 7) as month from ratings_unpartitioned
      union select to_char(now() at time zone 'Asia/Shanghai' + make_interval(months => n), 'YYYY-MM')
      from generate_series(-1, 2) as n
      order by month`.execute(db);
    for (const { month } of rows) {
      const [year, mm] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
      const next = mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
      await sql`create table ${sql.id(`ratings_y${year}m${month.slice(5, 7)}`)} partition of ratings
        for values from (${sql.lit(`${month}-01`)}) to (${sql.lit(`${next}-01`)})`.execute(db);
    }
    await sql`insert into ratings select * from ratings_unpartitioned`.execute(db);
    await sql`drop table ratings_unpartitioned`.execute(db);

    await sql`alter table ratings add primary key (id, day)`.execute(db);
    await sql`create index ratings_transaction on ratings (transaction_id)`.execute(db);
    await sql`create unique index ratings_idempotency_day on ratings (idempotency_key, day)`.execute(db);
    // The indexes of migration 002, as they were.
    await sql`create index ratings_unit_created on ratings (unit_id, created_at)`.execute(db);
    await sql`create index ratings_held on ratings (created_at) where status = 'held'`.execute(db);
    await sql`create index ratings_device_created on ratings (device_id, created_at)`.execute(db);
    await sql`create index ratings_address_created on ratings (address_digest, created_at)`.execute(db);
    await sql`create index ratings_fingerprint_created on ratings (comment_fingerprint, created_at)
      where comment_fingerprint != ''`.execute(db);
  },
};
