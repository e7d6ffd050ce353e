import type { Kysely, Migration } from 'kysely';

/*
 * Documents the platform writes (通报 notices, 分析报告 analysis reports): the document as data (JSON),
 * the run or period it was built from, the digest of that data, and whether it is a draft the office may
 * still edit or issued (never changed again).
 */
export const m013bReports: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('documents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('period_id', 'text')
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('data_digest', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text')
      .addColumn('issued_by', 'text')
      .execute();
    await db.schema.createIndex('documents_created').on('documents').columns(['created_at']).execute();
  },
};
