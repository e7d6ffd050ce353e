import type { Kysely, Migration } from 'kysely';

/*
 * Result application (结果运用): each scheme's consequence rules, the consequences the office decided
 * (confirmed or rejected) from a published run's proposals — one row per run, rule and unit, so that a
 * proposal is decided once — and the appeals against them.
 */
export const m013Outcomes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('outcome_rule_sets')
      .addColumn('scheme_id', 'text', (c) => c.primaryKey())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('consequences')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('rule_key', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      // The proposal as decided (rule name, target, percent, months, basis …), canonical JSON.
      .addColumn('proposal', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text')
      .addColumn('subject', 'text')
      .addColumn('note', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_by_name', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addColumn('done_on', 'text')
      .addColumn('done_note', 'text')
      .execute();
    await db.schema
      .createIndex('consequences_decided_once')
      .on('consequences')
      .columns(['run_id', 'rule_key', 'unit_id'])
      .unique()
      .execute();
    await db.schema
      .createIndex('consequences_unit')
      .on('consequences')
      .columns(['unit_id', 'starts_on'])
      .execute();

    await db.schema
      .createTable('consequence_appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('consequence_id', 'text', (c) => c.notNull())
      .addColumn('filed_on', 'text', (c) => c.notNull())
      .addColumn('grounds', 'text', (c) => c.notNull())
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('filed_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decision_reason', 'text')
      .execute();
    await db.schema
      .createIndex('consequence_appeals_consequence')
      .on('consequence_appeals')
      .column('consequence_id')
      .execute();
  },
};
