import type { Kysely, Migration } from 'kysely';

/*
 * The evaluator pool and its draws (评价样本库与随机抽取): the office's groups, the evaluators (never
 * deleted: past draws must still verify), pool import previews, draws with their recorded rules, pool
 * snapshot, commitment, seed and result, the people each draw selected (for rotation and campaigns),
 * and leaders' supplementary sheets. JSON is text; booleans are 0/1.
 */
export const m010Panel: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('panel_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('evaluators')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('mobile', 'text', (c) => c.notNull().unique())
      .addColumn('groups', 'text', (c) => c.notNull())
      .addColumn('region_id', 'text', (c) => c.references('units.id'))
      .addColumn('grassroots', 'integer', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('conflicts', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('panel_imports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text')
      .execute();

    await db.schema
      .createTable('panel_draws')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('rules_digest', 'text', (c) => c.notNull())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('snapshot_digest', 'text', (c) => c.notNull())
      .addColumn('pool_size', 'integer', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('commitment', 'text', (c) => c.notNull())
      .addColumn('public_value', 'text')
      .addColumn('seed', 'text')
      .addColumn('result', 'text')
      .addColumn('result_digest', 'text')
      .addColumn('announced_at', 'text', (c) => c.notNull())
      .addColumn('announced_by', 'text', (c) => c.notNull())
      .addColumn('drawn_at', 'text')
      .addColumn('published_at', 'text')
      .execute();

    await db.schema
      .createTable('panel_draw_members')
      .addColumn('draw_id', 'text', (c) => c.notNull().references('panel_draws.id'))
      .addColumn('evaluator_id', 'text', (c) => c.notNull().references('evaluators.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('stratum', 'text', (c) => c.notNull())
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('drawn_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('panel_draw_members_pk', ['draw_id', 'evaluator_id'])
      .execute();
    // Rotation asks when each evaluator was last selected.
    await db.schema
      .createIndex('panel_draw_members_evaluator')
      .on('panel_draw_members')
      .columns(['evaluator_id', 'drawn_on'])
      .execute();

    await db.schema
      .createTable('panel_supplements')
      .addColumn('draw_id', 'text', (c) => c.notNull().references('panel_draws.id'))
      .addColumn('leader_id', 'text', (c) => c.notNull())
      .addColumn('units', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('panel_supplements_pk', ['draw_id', 'leader_id'])
      .execute();
  },
};
