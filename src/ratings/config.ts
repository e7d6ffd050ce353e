import { randomBytes } from 'node:crypto';
import type { Executor } from '../core/db/database.js';
import { sha256Hex } from '../core/digest.js';
import { getSetting, putSettingIfAbsent } from '../core/settings/store.js';
import { DEFAULT_RATINGS_CONFIG, parseOverrides, type RatingsConfig, type RatingsSettings } from './model.js';

/*
 * The ratings configuration as stored (settings `ratings.config`, JSON) and the salt of address
 * digests (settings `ratings.address_salt`, never shown). Both are read often (every ingest batch),
 * so the parsed configuration is cached by its stored text: a change on any node is seen at the next read.
 * The per-unit overrides (`byUnit`) live in the same JSON, as the case deadlines' do under `cases.config`.
 */

export const CONFIG_KEY = 'ratings.config';
export const SALT_KEY = 'ratings.address_salt';

let cached: { text: string | undefined; config: RatingsSettings } | null = null;

/** Fills what an older stored configuration lacks from the defaults. */
export function withDefaults(stored: Partial<RatingsConfig> & { byUnit?: unknown }): RatingsSettings {
  return {
    ...DEFAULT_RATINGS_CONFIG,
    ...stored,
    tags: {
      online: { ...DEFAULT_RATINGS_CONFIG.tags.online, ...stored.tags?.online },
      offline: { ...DEFAULT_RATINGS_CONFIG.tags.offline, ...stored.tags?.offline },
    },
    fraud: { ...DEFAULT_RATINGS_CONFIG.fraud, ...stored.fraud },
    openingHours: { ...DEFAULT_RATINGS_CONFIG.openingHours, ...stored.openingHours },
    byUnit: parseOverrides(stored.byUnit),
  };
}

/** The installation-wide configuration with the per-unit overrides. */
export async function loadRatingsConfig(db: Executor): Promise<RatingsSettings> {
  return ratingsConfigOf(await getSetting(db, CONFIG_KEY));
}

/** The configuration a stored text holds (undefined: never set); the same object while the text is unchanged. */
export function ratingsConfigOf(text: string | undefined): RatingsSettings {
  if (cached && cached.text === text) return cached.config;
  const config =
    text === undefined ? withDefaults({}) : withDefaults(JSON.parse(text) as Partial<RatingsConfig>);
  cached = { text, config };
  return config;
}

/** The configuration read last in this process, if any (a guess to be confirmed by ratingsConfigOf). */
export function lastRatingsConfig(): RatingsSettings | null {
  return cached?.config ?? null;
}

const salts = new WeakMap<object, string>();

/** The installation's secret salt for address digests, created on first use. */
export async function addressSalt(db: Executor, cacheKey: object): Promise<string> {
  const known = salts.get(cacheKey);
  if (known) return known;
  await putSettingIfAbsent(db, SALT_KEY, randomBytes(32).toString('base64url'));
  const salt = (await getSetting(db, SALT_KEY)) ?? '';
  salts.set(cacheKey, salt);
  return salt;
}

/** The digest recorded for a client address: it links ratings from one address without storing it. */
export function addressDigest(salt: string, address: string): string {
  return sha256Hex(`${salt}|${address}`);
}
