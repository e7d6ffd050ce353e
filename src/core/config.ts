import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  /** Set when Minping is served over HTTPS (directly or behind a proxy): cookies get the Secure flag. */
  secureCookies: boolean;
  /** Trust X-Forwarded-For from a reverse proxy (for login throttling by address). */
  trustProxy: boolean;
  sessionMinutes: number;
  logLevel: string;
  /** The address the public reaches Minping at: rating links and poster QR codes point here. */
  publicUrl: string;
  /** How often the periodic sweeps run (default ratings, case deadlines and warnings). */
  sweepSeconds: number;
}

/** Reads the configuration from MINPING_* environment variables; every one has a working default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.MINPING_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`MINPING_PORT must be a port number, not "${env.MINPING_PORT ?? ''}".`);
  }
  return {
    databaseUrl: env.MINPING_DATABASE_URL ?? 'sqlite:./data/minping.db',
    host: env.MINPING_HOST ?? '127.0.0.1',
    port,
    secureCookies: env.MINPING_SECURE_COOKIES === '1' || env.MINPING_SECURE_COOKIES === 'true',
    trustProxy: env.MINPING_TRUST_PROXY === '1' || env.MINPING_TRUST_PROXY === 'true',
    sessionMinutes: Number(env.MINPING_SESSION_MINUTES ?? 480),
    logLevel: env.MINPING_LOG_LEVEL ?? 'info',
    sweepSeconds: Math.max(0, Number(env.MINPING_SWEEP_SECONDS ?? 60) || 0),
    publicUrl: (env.MINPING_PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
  };
}

/** The project's root folder (holds package.json), found from this file whether run from src/ or dist/. */
export const PROJECT_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** The version in package.json, reported by /api/health. */
export const VERSION: string = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
