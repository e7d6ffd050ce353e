import type { Kysely, Migration } from 'kysely';

/*
 * The comment inbox, topic lists, problem lists and the rectification ledger (意见归集、问题清单、整改台账):
 * comments collected from their sources (never the writer's identity), topic lists and their topics with
 * keywords, clerks' assignments (what teaches the classifier), problems with the comments behind them,
 * ledger items with their events, the office's three reviews, warnings, evidence files stored by their
 * SHA-256 (base64 text: the same bytes on both databases, seen by every app node), attachments, and
 * follow-ups (回头看) and covert inspections (暗访).
 */
export const m012Ledger: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ledger_topic_lists')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('preset_key', 'text')
      // Bumped by every change that alters suggestions (topics, keywords, assignments): app nodes cache models by it.
      .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ledger_topics')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('list_id', 'text', (c) => c.notNull().references('ledger_topic_lists.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('keywords', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_topics_list').on('ledger_topics').column('list_id').execute();

    await db.schema
      .createTable('ledger_comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_ref', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('level', 'integer')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ledger_comments_source')
      .on('ledger_comments')
      .columns(['source', 'source_ref'])
      .unique()
      .execute();
    await db.schema
      .createIndex('ledger_comments_unit_date')
      .on('ledger_comments')
      .columns(['unit_id', 'date'])
      .execute();

    await db.schema
      .createTable('ledger_assignments')
      .addColumn('comment_id', 'text', (c) => c.notNull().references('ledger_comments.id'))
      .addColumn('list_id', 'text', (c) => c.notNull().references('ledger_topic_lists.id'))
      // Null: the clerk said the comment belongs to no topic of the list.
      .addColumn('topic_id', 'text')
      .addColumn('assigned_by', 'text', (c) => c.notNull())
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_assignments_pk', ['comment_id', 'list_id'])
      .execute();
    await db.schema
      .createIndex('ledger_assignments_list')
      .on('ledger_assignments')
      .columns(['list_id', 'topic_id'])
      .execute();

    await db.schema
      .createTable('ledger_problems')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('phrase', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_problems_unit').on('ledger_problems').column('unit_id').execute();

    await db.schema
      .createTable('ledger_problem_comments')
      .addColumn('problem_id', 'text', (c) => c.notNull().references('ledger_problems.id'))
      .addColumn('comment_id', 'text', (c) => c.notNull().references('ledger_comments.id'))
      .addPrimaryKeyConstraint('ledger_problem_comments_pk', ['problem_id', 'comment_id'])
      .execute();

    await db.schema
      .createTable('ledger_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('origin_ref', 'text')
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('responsible_name', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('measures', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('progress_text', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('result_text', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('opened_on', 'text', (c) => c.notNull())
      .addColumn('deadline_on', 'text', (c) => c.notNull())
      .addColumn('stage_from', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text')
      .addColumn('escalation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema
      .createIndex('ledger_items_unit')
      .on('ledger_items')
      .columns(['unit_id', 'state'])
      .execute();
    await db.schema.createIndex('ledger_items_state').on('ledger_items').column('state').execute();

    await db.schema
      .createTable('ledger_item_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('ledger_items.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ledger_item_events_item')
      .on('ledger_item_events')
      .column('item_id')
      .execute();

    await db.schema
      .createTable('ledger_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('ledger_items.id'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reviewed_by', 'text', (c) => c.notNull())
      .addColumn('reviewed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_reviews_item').on('ledger_reviews').column('item_id').execute();

    await db.schema
      .createTable('ledger_warnings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('ledger_items.id'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ledger_warnings_once')
      .on('ledger_warnings')
      .columns(['item_id', 'stage', 'level'])
      .unique()
      .execute();

    await db.schema
      .createTable('ledger_files')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      // Base64 of the bytes, or null when they are kept in the configured directory (MINPING_FILES_DIR).
      .addColumn('data', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ledger_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text')
      .addColumn('follow_up_id', 'text')
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull().references('ledger_files.sha256'))
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ledger_attachments_item')
      .on('ledger_attachments')
      .column('item_id')
      .execute();

    await db.schema
      .createTable('ledger_follow_ups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text')
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('inspector', 'text', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('problem_back', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_follow_ups_unit').on('ledger_follow_ups').column('unit_id').execute();
  },
};
