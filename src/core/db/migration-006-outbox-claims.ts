import type { Kysely, Migration } from 'kysely';

/*
 * Claims on outbox messages, so that several gateways (or one gateway on several nodes) can drain the
 * outbox at once without sending a message twice: a drain marks the messages it takes with its claim
 * and a time until which they are its own; a message whose claim ran out unreported is free again.
 */
export const m006OutboxClaims: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('claimed_until', 'text').execute();
  },
};
