import type { Kysely } from 'kysely';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './auth/model.js';
import type { Config } from './config.js';
import type { Deps } from './context.js';
import { openDatabase, type DatabaseOptions } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { systemClock, type Clock } from './time.js';

/** Opens and migrates the database a config names and wires the service dependencies. */
export async function boot(
  config: Pick<Config, 'databaseUrl' | 'sessionMinutes'>,
  options: DatabaseOptions & { clock?: Clock; scryptCost?: ScryptCost } = {},
): Promise<Deps> {
  const database = openDatabase(config.databaseUrl, options);
  try {
    await migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    database,
    clock: options.clock ?? systemClock,
    scryptCost: options.scryptCost ?? DEFAULT_SCRYPT_COST,
    sessionMinutes: config.sessionMinutes,
  };
}
