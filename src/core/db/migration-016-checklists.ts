import type { Kysely, Migration } from 'kysely';

/*
 * Quarterly indicator checklists (季度指标清单): the office's checklist per period (its items as JSON, the
 * units it applies to, the deadline fixed when opened), the entries units fill for its items or declare as
 * innovation items, and the evidence files attached to them. The files' bytes live in `ledger_files`
 * (stored once under their SHA-256), the one store of evidence files.
 */
export const m016Checklists: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('checklists')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('period_id', 'text', (c) => c.notNull())
      .addColumn('series', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opens_on', 'text', (c) => c.notNull())
      .addColumn('working_days', 'integer', (c) => c.notNull())
      .addColumn('deadline', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('unit_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('closed_by', 'text')
      .execute();
    await db.schema.createIndex('checklists_period').on('checklists').columns(['period_id']).execute();

    await db.schema
      .createTable('checklist_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('checklist_id', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_key', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      // Points as decimal text (e.g. "1.5"), the same on both databases.
      .addColumn('claimed_points', 'text')
      .addColumn('awarded_points', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text')
      .addColumn('submitted_by', 'text')
      .addColumn('reviewed_at', 'text')
      .addColumn('reviewed_by', 'text')
      .addColumn('return_reason', 'text')
      .addColumn('resubmit_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    // One entry per unit and basic item (innovation entries have no item key: NULLs never collide).
    await db.schema
      .createIndex('checklist_entries_item')
      .on('checklist_entries')
      .columns(['checklist_id', 'unit_id', 'item_key'])
      .unique()
      .execute();

    await db.schema
      .createTable('checklist_evidence')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('checklist_evidence_entry')
      .on('checklist_evidence')
      .columns(['entry_id'])
      .execute();
    await db.schema
      .createIndex('checklist_evidence_sha')
      .on('checklist_evidence')
      .columns(['sha256'])
      .execute();
  },
};
