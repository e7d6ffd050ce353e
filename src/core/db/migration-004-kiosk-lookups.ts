import type { Kysely, Migration } from 'kysely';

/*
 * Failed number lookups at hall terminals (输入办件编号评价): one row per miss, so that the limit per
 * device holds across app nodes (a count of rows, like login_attempts) and concurrent misses never
 * overwrite each other. Rows older than the limit's window are deleted as new ones arrive.
 */
export const m004KioskLookups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('kiosk_lookup_failures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('kiosk_lookup_failures_device_at')
      .on('kiosk_lookup_failures')
      .columns(['device_id', 'at'])
      .execute();
  },
};
