import { m002Ratings } from './migration-002-ratings.js';
import { m003Scoring } from './migration-003-scoring.js';
import { m004KioskLookups } from './migration-004-kiosk-lookups.js';
import { m005RatingsPartitions } from './migration-005-ratings-partitions.js';
import { m006OutboxClaims } from './migration-006-outbox-claims.js';
import { m010Panel } from './migration-010-panel.js';
import { m011Campaigns } from './migration-011-campaigns.js';
import { m012Ledger } from './migration-012-ledger.js';
import { m013Outcomes } from './migration-013-outcomes.js';
import { m013bReports } from './migration-013b-reports.js';
import { m014Window } from './migration-014-window.js';
import { m016Checklists } from './migration-016-checklists.js';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/*
 * One migration set for both dialects. Only portable column types are used (text and integer),
 * so both databases hold and return the same values.
 */

type AnyDb = Kysely<unknown>;

const m001: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('password_changed_at', 'text')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('address_digest', 'text', (c) => c.notNull())
      .addColumn('success', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('login_attempts_username')
      .on('login_attempts')
      .columns(['username', 'at'])
      .execute();
    await db.schema
      .createIndex('login_attempts_address')
      .on('login_attempts')
      .columns(['address_digest', 'at'])
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();

    // seq is assigned by the audit service under a lock (each entry chains to the one before).
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('before_digest', 'text')
      .addColumn('after_digest', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_log_entity')
      .on('audit_log')
      .columns(['entity_type', 'entity_id', 'seq'])
      .execute();
    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'seq']).execute();

    await db.schema
      .createTable('unit_categories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('units')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('unit_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('short_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text', (c) => c.references('units.id'))
      .addColumn('category_id', 'text', (c) => c.references('unit_categories.id'))
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('responsible_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('responsible_phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('unit_versions_unit_from', ['unit_id', 'valid_from'])
      .execute();
    await db.schema
      .createIndex('unit_versions_parent')
      .on('unit_versions')
      .columns(['parent_id', 'valid_from'])
      .execute();

    await db.schema
      .createTable('service_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('service_items_unit').on('service_items').column('unit_id').execute();

    await db.schema
      .createTable('staff')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('staff_no', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('position', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('staff_unit').on('staff').column('unit_id').execute();

    await db.schema
      .createTable('periods')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('imports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text')
      .execute();
  },
};

export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_ratings': m002Ratings,
  '003_scoring': m003Scoring,
  '004_kiosk_lookups': m004KioskLookups,
  '005_ratings_partitions': m005RatingsPartitions,
  '006_outbox_claims': m006OutboxClaims,
  '010_panel': m010Panel,
  '011_campaigns': m011Campaigns,
  '012_ledger': m012Ledger,
  '013_outcomes': m013Outcomes,
  '013b_reports': m013bReports,
  '014_window': m014Window,
  '016_checklists': m016Checklists,
};

class StaticProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

/** Brings the schema up to date; throws with the failing migration's name if one fails. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: 'sqlite' | 'postgres',
): Promise<string[]> {
  // On PostgreSQL, name the schema: Kysely otherwise finds its bookkeeping tables in any schema of the
  // database (another installation's, or a parallel test's) and believes they are its own.
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
