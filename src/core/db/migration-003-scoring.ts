import type { Kysely, Migration } from 'kysely';

/*
 * Scoring (考核方案、排名、十佳十差): versioned schemes, imported scores and score sheets (append-only,
 * with supersession), vetoes, runs with their input snapshots and digests, review stages and the
 * editable main problems of each unit. Numbers that are inputs are text decimals; JSON is text.
 */
export const m003Scoring: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('schemes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('scheme_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scheme_id', 'text', (c) => c.notNull().references('schemes.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text')
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('scheme_versions_scheme_version', ['scheme_id', 'version'])
      .execute();

    await db.schema
      .createTable('score_values')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('series', 'text', (c) => c.notNull())
      .addColumn('period_id', 'text', (c) => c.notNull().references('periods.id'))
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('entered_by', 'text')
      .addColumn('entered_by_name', 'text', (c) => c.notNull())
      .addColumn('entered_at', 'text', (c) => c.notNull())
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('superseded_at', 'text')
      .execute();
    // A run reads one series of one period; the history view lists the same rows.
    await db.schema
      .createIndex('score_values_series_period')
      .on('score_values')
      .columns(['series', 'period_id', 'unit_id', 'entered_at'])
      .execute();

    await db.schema
      .createTable('scoring_tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('lead_unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sheet_scores')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('task_id', 'text', (c) => c.notNull().references('scoring_tasks.id'))
      .addColumn('period_id', 'text', (c) => c.notNull().references('periods.id'))
      .addColumn('scorer_unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('entered_by', 'text')
      .addColumn('entered_by_name', 'text', (c) => c.notNull())
      .addColumn('entered_at', 'text', (c) => c.notNull())
      .addColumn('superseded_at', 'text')
      .execute();
    await db.schema
      .createIndex('sheet_scores_task_period')
      .on('sheet_scores')
      .columns(['task_id', 'period_id', 'unit_id', 'entered_at'])
      .execute();

    await db.schema
      .createTable('vetoes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('period_id', 'text', (c) => c.notNull().references('periods.id'))
      .addColumn('scheme_id', 'text', (c) => c.references('schemes.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text')
      .addColumn('recorded_by_name', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoke_reason', 'text')
      .execute();
    await db.schema.createIndex('vetoes_period').on('vetoes').columns(['period_id', 'unit_id']).execute();

    await db.schema
      .createTable('scoring_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scheme_id', 'text', (c) => c.notNull().references('schemes.id'))
      .addColumn('scheme_version', 'integer', (c) => c.notNull())
      .addColumn('period_id', 'text', (c) => c.notNull().references('periods.id'))
      .addColumn('group_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('inputs_digest', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('results_digest', 'text', (c) => c.notNull())
      .addColumn('unit_count', 'integer', (c) => c.notNull())
      .addColumn('computed_by', 'text')
      .addColumn('computed_by_name', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addColumn('approved_at', 'text')
      .addColumn('published_at', 'text')
      .addColumn('superseded_by', 'text')
      .execute();
    // The console lists runs of a scheme and period; a new run looks up the same scheme and group.
    await db.schema
      .createIndex('scoring_runs_scheme_group')
      .on('scoring_runs')
      .columns(['scheme_id', 'group_key', 'period_id', 'status'])
      .execute();
    await db.schema.createIndex('scoring_runs_status').on('scoring_runs').columns(['status']).execute();

    await db.schema
      .createTable('run_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('scoring_runs.id'))
      .addColumn('stage_index', 'integer', (c) => c.notNull())
      .addColumn('stage_name', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('decided_on', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('best', 'text', (c) => c.notNull())
      .addColumn('worst', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text')
      .addColumn('recorded_by_name', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      // Two clerks recording the same stage at once: the second is refused by the database too.
      .addUniqueConstraint('run_reviews_run_stage', ['run_id', 'stage_index'])
      .execute();

    await db.schema
      .createTable('run_problems')
      .addColumn('run_id', 'text', (c) => c.notNull().references('scoring_runs.id'))
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_problems_pk', ['run_id', 'unit_id'])
      .execute();
  },
};
