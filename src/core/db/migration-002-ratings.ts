import { sql, type Kysely, type Migration } from 'kysely';

/*
 * Instant ratings and the bad-review closed loop: the working-day calendar, service transactions
 * (办件), ratings, rollups kept at ingest, devices, cases with their events and warnings, and the
 * notification outbox.
 */
export const m002Ratings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('calendar_days')
      .addColumn('date', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // Registered rating devices and self-service terminals at windows; `staff` devices may not rate.
    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('transactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('external_no', 'text', (c) => c.notNull())
      // The root of the unit's tree: a case number is unique within its jurisdiction, not across them.
      .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('service_item_id', 'text', (c) => c.references('service_items.id'))
      .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_expires_at', 'text', (c) => c.notNull())
      .addColumn('default_due_at', 'text', (c) => c.notNull())
      .addColumn('rating_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // The scopes (JSON [[type, id], …]) the transaction and its rating are counted under, fixed when the
      // transaction is recorded: the unit's ancestry on the transaction's day, its staff and its item.
      .addColumn('rollup_scopes', 'text', (c) => c.notNull())
      .addUniqueConstraint('transactions_jurisdiction_external_no', ['jurisdiction_id', 'external_no'])
      .execute();
    await db.schema
      .createIndex('transactions_unit_day')
      .on('transactions')
      .columns(['unit_id', 'day'])
      .execute();
    await db.schema
      .createIndex('transactions_awaiting_default')
      .on('transactions')
      .column('default_due_at')
      .where(sql.ref('rating_id'), 'is', null)
      .execute();

    await db.schema
      .createTable('ratings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('transaction_id', 'text', (c) => c.unique())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('service_item_id', 'text')
      .addColumn('staff_id', 'text')
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('dimensions', 'text', (c) => c.notNull())
      .addColumn('comment', 'text', (c) => c.notNull())
      .addColumn('comment_fingerprint', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('address_digest', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      .addColumn('named', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('flags', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('request_digest', 'text', (c) => c.notNull())
      // The rollup scopes the rating was counted under (JSON [[type, id], …]), fixed at ingest so that a
      // later removal subtracts exactly what was added, whatever happened to the tree since.
      .addColumn('rollup_scopes', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'text')
      .addColumn('review_note', 'text')
      // Set when a rating is taken out of the statistics after it was given (an upheld appeal).
      .addColumn('removed_at', 'text')
      .addColumn('removed_reason', 'text')
      .execute();
    // Fraud checks look at a unit's recent ratings; the console's review queue at held ones.
    await db.schema
      .createIndex('ratings_unit_created')
      .on('ratings')
      .columns(['unit_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('ratings_held')
      .on('ratings')
      .column('created_at')
      .where(sql.ref('status'), '=', 'held')
      .execute();
    // Fraud checks and the daily limit count a batch's devices and addresses over the last minutes or
    // the day: seeks by device and by address, never a scan of a busy unit's ratings. Comments are
    // compared only when there is one (most ratings have none), so that index is partial.
    await db.schema
      .createIndex('ratings_device_created')
      .on('ratings')
      .columns(['device_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('ratings_address_created')
      .on('ratings')
      .columns(['address_digest', 'created_at'])
      .execute();
    await db.schema
      .createIndex('ratings_fingerprint_created')
      .on('ratings')
      .columns(['comment_fingerprint', 'created_at'])
      .where(sql.ref('comment_fingerprint'), '!=', '')
      .execute();

    // Counts kept at ingest. scope_type: subtree (the unit and everything under it, as the tree was when
    // the rating was given), staff or item; grain: day (bucket YYYY-MM-DD) or month (YYYY-MM).
    await db.schema
      .createTable('rating_rollups')
      .addColumn('scope_type', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('grain', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rating_rollups_pk', [
        'scope_type',
        'scope_id',
        'grain',
        'bucket',
        'channel',
        'level',
        'is_default',
      ])
      .execute();

    // Transactions and case progress, by the day of the transaction / the bad review.
    await db.schema
      .createTable('activity_rollups')
      .addColumn('scope_type', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('grain', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('transactions', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('actively_rated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('bad_cases', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('replied', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rectified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('judged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('satisfied', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('activity_rollups_pk', ['scope_type', 'scope_id', 'grain', 'bucket'])
      .execute();

    await db.schema
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rating_id', 'text', (c) => c.notNull().unique())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('responsible_unit_id', 'text', (c) => c.notNull())
      .addColumn('responsible_name', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('named', 'integer', (c) => c.notNull())
      .addColumn('called_back', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rectified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rating_day', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('opened_on', 'text', (c) => c.notNull())
      .addColumn('rectify_from', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text')
      .addColumn('escalation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('appeal_reason', 'text')
      .addColumn('appeal_text', 'text')
      .addColumn('appeal_decision', 'text')
      .addColumn('rectification_text', 'text')
      .addColumn('reply_text', 'text')
      .addColumn('replied_at', 'text')
      .addColumn('judgement', 'text')
      .addColumn('judged_at', 'text')
      .addColumn('judge_token_hash', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // Added for the case service: the appeal's evidence (JSON list of texts and links) and the office's
      // note, the rater's comment on the fix, and the day by which the rater may judge before the case
      // closes without a judgement.
      .addColumn('appeal_evidence', 'text')
      .addColumn('appeal_note', 'text')
      .addColumn('judgement_comment', 'text')
      .addColumn('judge_due_on', 'text')
      .execute();
    await db.schema
      .createIndex('cases_unit_state')
      .on('cases')
      .columns(['responsible_unit_id', 'state'])
      .execute();
    await db.schema.createIndex('cases_due').on('cases').columns(['state', 'due_on']).execute();
    // The queue filters by the rated unit too; the rater's judgement link finds its case by token hash.
    await db.schema.createIndex('cases_rated_unit').on('cases').columns(['unit_id', 'state']).execute();
    await db.schema.createIndex('cases_judge_token').on('cases').column('judge_token_hash').execute();
    await db.schema.createIndex('cases_judge_due').on('cases').columns(['state', 'judge_due_on']).execute();

    await db.schema
      .createTable('case_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'at']).execute();

    // 预警单 (1), 紧急预警单 (2), 约谈 (3): one per case, deadline and level, which keeps the sweep
    // idempotent. The stage names the deadline (`verifying:0`, `rectifying:0`, `rectifying:1` after the
    // first reopening, …): a case that was late to verify and is late again to rectify, or late again after
    // the rater reopened it, is warned again for the new deadline.
    await db.schema
      .createTable('case_warnings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('case_warnings_case_stage_level', ['case_id', 'stage', 'level'])
      .execute();
    await db.schema
      .createIndex('case_warnings_unit_issued')
      .on('case_warnings')
      .columns(['unit_id', 'issued_on'])
      .execute();

    // Messages for an SMS or mail gateway to drain; nothing here sends them.
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('related_type', 'text', (c) => c.notNull())
      .addColumn('related_id', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      // What the gateway reported on its last failed attempt, and when it last tried.
      .addColumn('last_error', 'text')
      .addColumn('last_attempt_at', 'text')
      .execute();
    await db.schema
      .createIndex('outbox_unsent')
      .on('outbox')
      .column('created_at')
      .where(sql.ref('sent_at'), 'is', null)
      .execute();
  },
};
