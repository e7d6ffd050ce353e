import type { Kysely, Migration } from 'kysely';

/*
 * The 办不成事 window ("can't get it done"): the matters people file (on the public form, at the hall window,
 * on the hotline) with a receipt code, the units each is assigned to and their replies, the matter's events,
 * the warnings its deadlines raised, and the office's duty rota (who coordinates the matters of a day).
 */
export const m014Window: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('window_matters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('receipt_code', 'text', (c) => c.notNull().unique())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('what', 'text', (c) => c.notNull())
      .addColumn('place', 'text', (c) => c.notNull())
      .addColumn('units_named', 'text', (c) => c.notNull())
      .addColumn('filer_name', 'text', (c) => c.notNull())
      .addColumn('filer_phone', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('coordinator_id', 'text')
      .addColumn('lead_unit_id', 'text')
      .addColumn('filed_on', 'text', (c) => c.notNull())
      .addColumn('stage_from', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text')
      .addColumn('deadline_on', 'text')
      .addColumn('escalation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('declined_reason', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('resolution_text', 'text', (c) => c.notNull())
      .addColumn('resolved_on', 'text')
      .addColumn('rating', 'text')
      .addColumn('rating_comment', 'text', (c) => c.notNull())
      .addColumn('rated_at', 'text')
      .addColumn('ledger_item_id', 'text')
      .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('window_matters_state').on('window_matters').columns(['state']).execute();
    await db.schema.createIndex('window_matters_filed').on('window_matters').columns(['filed_on']).execute();
    await db.schema
      .createIndex('window_matters_lead')
      .on('window_matters')
      .columns(['lead_unit_id', 'filed_on'])
      .execute();

    await db.schema
      .createTable('window_assignments')
      .addColumn('matter_id', 'text', (c) => c.notNull().references('window_matters.id'))
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('lead', 'integer', (c) => c.notNull())
      .addColumn('response_text', 'text', (c) => c.notNull())
      .addColumn('responded_at', 'text')
      .addColumn('responded_by', 'text')
      .addPrimaryKeyConstraint('window_assignments_pk', ['matter_id', 'unit_id'])
      .execute();
    await db.schema
      .createIndex('window_assignments_unit')
      .on('window_assignments')
      .columns(['unit_id'])
      .execute();

    await db.schema
      .createTable('window_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('matter_id', 'text', (c) => c.notNull().references('window_matters.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('window_events_matter').on('window_events').columns(['matter_id']).execute();

    await db.schema
      .createTable('window_warnings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('matter_id', 'text', (c) => c.notNull().references('window_matters.id'))
      // The state and the day its stage began: a warning is issued once per stage and level.
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('window_warnings_once')
      .on('window_warnings')
      .columns(['matter_id', 'stage', 'level'])
      .unique()
      .execute();

    await db.schema
      .createTable('window_rota')
      .addColumn('date', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
