import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

/*
 * Evaluation campaigns (专项评价): campaigns with their subjects, rounds and stages; invitations (the
 * token-use record: who was invited, whether they have answered); a mixing pool; and the ballots.
 *
 * Anonymity (docs/campaigns.md): a ballot and an invitation share no column. Ballots and pool entries
 * have random keys (UUIDv4), no timestamps, and on SQLite are WITHOUT ROWID tables, so their stored order
 * is the order of their random keys, not of their arrival. A ballot first lands in the pool in the
 * transaction that uses the token; it is moved into campaign_ballots later, in a shuffled batch with
 * others, so no transaction id or position ties it to the use of one token.
 */

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export const m011Campaigns: Migration = {
  async up(db: Kysely<unknown>) {
    const unordered = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
      isPostgres(db) ? t : t.modifyEnd(sql`without rowid`);

    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('questionnaire', 'text', (c) => c.notNull())
      // 1: directed ballots carry the evaluator's name, and the evaluator is told so before answering.
      .addColumn('named', 'integer', (c) => c.notNull())
      // Ballots wait in the pool until this many can be moved out together, in shuffled order.
      .addColumn('mix_size', 'integer', (c) => c.notNull())
      .addColumn('min_responses', 'integer', (c) => c.notNull())
      // Invitation tokens are derived from it (so a reminder can repeat the link); see docs/campaigns.md.
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('campaign_subjects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      // The unit judged, or the key task's lead unit.
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('group_name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('highlights', 'text', (c) => c.notNull())
      .addColumn('cooperating', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('campaign_subjects_campaign')
      .on('campaign_subjects')
      .columns(['campaign_id', 'position'])
      .execute();

    await db.schema
      .createTable('campaign_rounds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('period_id', 'text')
      .addColumn('opens_on', 'text', (c) => c.notNull())
      .addColumn('closes_on', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('computed_at', 'text')
      .addColumn('results', 'text')
      .addColumn('results_digest', 'text')
      .execute();
    await db.schema
      .createIndex('campaign_rounds_key')
      .on('campaign_rounds')
      .columns(['campaign_id', 'key'])
      .unique()
      .execute();

    await db.schema
      .createTable('campaign_stages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('round_id', 'text', (c) => c.notNull().references('campaign_rounds.id'))
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('opens_on', 'text', (c) => c.notNull())
      .addColumn('closes_on', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('campaign_stages_round').on('campaign_stages').column('round_id').execute();

    // The token-use record. `used` says whether the evaluator has answered, never when or how.
    await db.schema
      .createTable('campaign_invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('round_id', 'text', (c) => c.notNull())
      .addColumn('stage_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('evaluator_ref', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('group_name', 'text', (c) => c.notNull())
      .addColumn('subjects', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('used', 'integer', (c) => c.notNull())
      // A draft, encrypted with a key derived from the token, which the server does not keep.
      .addColumn('draft', 'text')
      .addColumn('reminders', 'integer', (c) => c.notNull())
      .addColumn('last_reminded_on', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('campaign_invitations_round')
      .on('campaign_invitations')
      .columns(['round_id', 'used'])
      .execute();

    await unordered(
      db.schema
        .createTable('campaign_ballot_pool')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull()),
    ).execute();

    await unordered(
      db.schema
        .createTable('campaign_ballots')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('round_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('receipt_digest', 'text', (c) => c.notNull().unique())
        .addColumn('answers', 'text', (c) => c.notNull())
        // Only in a campaign whose rules want directed ballots named, and told to the evaluator.
        .addColumn('named_as', 'text'),
    ).execute();
    await db.schema.createIndex('campaign_ballots_round').on('campaign_ballots').column('round_id').execute();

    // Free-text suggestions, by subject's unit and round, without any identity (read by the ledger).
    await unordered(
      db.schema
        .createTable('campaign_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('round_id', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('item_key', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex('campaign_comments_unit')
      .on('campaign_comments')
      .columns(['unit_id', 'round_id'])
      .execute();
  },
};
