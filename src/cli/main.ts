#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { bootstrapAdministrator } from '../core/auth/service.js';
import { verifyAuditChain } from '../core/audit/service.js';
import { registerAreaSteps } from '../areas.js';
import { boot } from '../core/boot.js';
import { backupSqlite, BackupRefused, restoreSqlite } from '../core/db/backup.js';
import { copyDatabase, CopyRefused } from '../core/db/copy.js';
import { loadConfig, VERSION } from '../core/config.js';
import { buildApp } from '../http/app.js';
import { runAllSweeps, scheduleSweeps } from '../core/sweeps.js';
import { verifyDraw } from '../panel/draw-service.js';
import { publishedRunIds } from '../scoring/store.js';
import { verifyResult } from '../scoring/verify.js';
import { loadDemo } from './demo.js';
import { ALL_SWEEPS } from './sweeps.js';

const USAGE = `minping ${VERSION}

Usage:
  minping serve [--demo]     start the server (creates and migrates the database; --demo loads the demo into an empty one)
  minping migrate            bring the database schema up to date
  minping demo               load the demo jurisdiction into an empty database
  minping sweep              run the periodic sweeps once (default ratings, case deadlines and warnings)
  minping verify audit       walk the audit log's hash chain and report the first broken link
  minping verify result <id> recompute a scoring result from the raw records and the scheme version it names
                             (records as they stood when it was computed; --now: as they stand now, so that
                             a rating removed on an appeal upheld since shows as a difference)
  minping verify draw <id>   recompute a draw from its recorded pool snapshot, rules and seed
  minping backup <file>      SQLite: copy the database into a new file while the server keeps serving
  minping copy --from <url> --to <url>
                             copy the whole installation into a new, empty database (SQLite → PostgreSQL or
                             back): every table but sessions, checked by count and digest, then the audit
                             chain and every published result verified at the target
  minping restore <file>     SQLite: restore a backup as the database (server stopped, database file moved aside),
                             then check it and its audit log

Configuration (environment): MINPING_DATABASE_URL (default sqlite:./data/minping.db, or postgres://…),
MINPING_HOST (127.0.0.1), MINPING_PORT (3000), MINPING_SECURE_COOKIES, MINPING_TRUST_PROXY, MINPING_LOG_LEVEL, MINPING_SWEEP_SECONDS.`;

async function main(argv: string[]): Promise<number> {
  registerAreaSteps();
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      now: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, subject] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const deps = await boot(config);
      if (values.demo) await loadDemo(deps, { quietIfLoaded: true });
      const password = await bootstrapAdministrator(deps);
      if (password) printFirstStart(password);
      const app = await buildApp(deps, {
        secureCookies: config.secureCookies,
        trustProxy: config.trustProxy,
        logger: { level: config.logLevel },
      });
      // Fastify refuses new hooks once listening, so the sweeps are stopped here rather than in onClose.
      let stopSweeps = () => {};
      const shutdown = async () => {
        stopSweeps();
        await app.close();
        await deps.database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
      await app.listen({ host: config.host, port: config.port });
      // Default ratings, case deadlines and warnings; safe on several nodes (see core/sweeps.ts).
      if (config.sweepSeconds > 0) {
        stopSweeps = scheduleSweeps(deps, ALL_SWEEPS, config.sweepSeconds * 1000, (error) =>
          app.log.error({ err: error }, 'sweep failed'),
        );
      }
      // The port actually bound (MINPING_PORT=0 asks the system for a free one).
      const bound = app.server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : config.port;
      console.log(`Minping ${VERSION} on ${deps.database.dialect} (${deps.database.location})`);
      console.log(
        `Console: http://${config.host}:${port}/   API docs: http://${config.host}:${port}/api/docs`,
      );
      return -1;
    }
    case 'migrate': {
      const deps = await boot(config);
      console.log(`Database is up to date (${deps.database.dialect}, ${deps.database.location}).`);
      await deps.database.close();
      return 0;
    }
    case 'demo': {
      const deps = await boot(config);
      try {
        await loadDemo(deps, { quietIfLoaded: false });
        const password = await bootstrapAdministrator(deps);
        if (password) printFirstStart(password);
      } finally {
        await deps.database.close();
      }
      return 0;
    }
    case 'sweep': {
      const deps = await boot(config);
      try {
        for (const result of await runAllSweeps(deps, ALL_SWEEPS)) {
          const counts = Object.entries(result.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
          console.log(
            `${result.name}: ${result.ran ? counts || 'nothing to do' : 'skipped (running on another node)'}`,
          );
        }
      } finally {
        await deps.database.close();
      }
      return 0;
    }
    case 'verify': {
      if (subject === 'draw') {
        const id = positionals[2];
        if (!id) {
          console.error('Usage: minping verify draw <id>');
          return 1;
        }
        const deps = await boot(config);
        try {
          const report = await verifyDraw(deps, id);
          if (report.identical) {
            console.log(`identical: draw ${id} recomputed (${report.checked.join(', ')}).`);
            return 0;
          }
          console.error(
            `DIFFERENT: ${report.difference ?? ''} (checked before it: ${report.checked.join(', ') || 'nothing'})`,
          );
          return 2;
        } finally {
          await deps.database.close();
        }
      }
      if (subject === 'result') {
        const id = positionals[2];
        if (!id) {
          console.error('Usage: minping verify result <id>');
          return 1;
        }
        const deps = await boot(config);
        try {
          const result = await verifyResult(
            deps.database.db,
            id,
            values.now ? { asOf: deps.clock.now().toISOString() } : {},
          );
          if (result.identical) {
            console.log(
              `identical: result ${id} recomputed from the raw records${values.now ? ' as they stand now' : ''} (inputs ${result.inputsDigest}, results ${result.resultsDigest}).`,
            );
            return 0;
          }
          console.error(result.message);
          console.log(
            JSON.stringify({ path: result.path, stored: result.stored, recomputed: result.recomputed }),
          );
          return 2;
        } finally {
          await deps.database.close();
        }
      }
      if (subject !== 'audit') {
        console.error('Usage: minping verify audit | minping verify result <id> | minping verify draw <id>');
        return 1;
      }
      const deps = await boot(config);
      try {
        const result = await verifyAuditChain(deps.database);
        if (result.ok) {
          console.log(`Audit log intact: ${result.entries} entries, last hash ${result.lastHash}.`);
          return 0;
        }
        console.error(
          `Audit log BROKEN at entry ${result.brokenAt} (${result.reason.replace(/_/g, ' ')}); ${result.entries} entries before it are intact.`,
        );
        return 2;
      } finally {
        await deps.database.close();
      }
    }
    case 'backup': {
      if (!subject) {
        console.error('Usage: minping backup <new file>');
        return 1;
      }
      try {
        const report = await backupSqlite(config.databaseUrl, subject);
        console.log(
          `Backup written: ${report.file} (${report.pages} pages, ${report.bytes} bytes; integrity ok). Restore it with: minping restore ${report.file}`,
        );
        return 0;
      } catch (error) {
        if (!(error instanceof BackupRefused)) throw error;
        console.error(error.message);
        return 2;
      }
    }
    case 'copy': {
      if (!values.from || !values.to) {
        console.error('Usage: minping copy --from <database url> --to <database url>');
        return 1;
      }
      return copyCommand(values.from, values.to);
    }
    case 'restore': {
      if (!subject) {
        console.error('Usage: minping restore <backup file>');
        return 1;
      }
      try {
        const report = await restoreSqlite(config.databaseUrl, subject);
        console.log(`Restored ${subject} as ${report.file} (${report.bytes} bytes; integrity ok).`);
      } catch (error) {
        if (!(error instanceof BackupRefused)) throw error;
        console.error(error.message);
        return 2;
      }
      const deps = await boot(config);
      try {
        const result = await verifyAuditChain(deps.database);
        if (!result.ok) {
          console.error(
            `Audit log BROKEN at entry ${result.brokenAt} (${result.reason.replace(/_/g, ' ')}).`,
          );
          return 2;
        }
        console.log(`Audit log intact: ${result.entries} entries, last hash ${result.lastHash}.`);
        return 0;
      } finally {
        await deps.database.close();
      }
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

/** minping copy: the whole installation into a new database, then its checks at the target. */
async function copyCommand(from: string, to: string): Promise<number> {
  const source = await boot({ databaseUrl: from, sessionMinutes: 60 });
  try {
    const target = await boot({ databaseUrl: to, sessionMinutes: 60 });
    try {
      console.log(`Copying ${source.database.location} → ${target.database.location}`);
      let report;
      try {
        report = await copyDatabase(source.database, target.database, (line) => console.log(`  ${line}`));
      } catch (error) {
        if (!(error instanceof CopyRefused)) throw error;
        console.error(error.message);
        return 2;
      }
      console.log(
        `Copied ${report.rows} rows in ${report.tables.length} tables; counts and digests agree (not copied: ${report.skipped.join(', ')} — everyone signs in again).`,
      );
      const chain = await verifyAuditChain(target.database);
      if (!chain.ok) {
        console.error(`Audit log at the target BROKEN at entry ${chain.brokenAt}.`);
        return 2;
      }
      console.log(`Audit log intact at the target: ${chain.entries} entries, last hash ${chain.lastHash}.`);
      let differing = 0;
      const runs = await publishedRunIds(target.database.db);
      for (const id of runs) {
        const result = await verifyResult(target.database.db, id);
        if (!result.identical) {
          differing += 1;
          console.error(`Published result ${id} differs at the target: ${result.message}`);
        }
      }
      console.log(
        `Published results verified at the target: ${runs.length - differing} of ${runs.length} identical.`,
      );
      return differing === 0 ? 0 : 2;
    } finally {
      await target.database.close();
    }
  } finally {
    await source.database.close();
  }
}

function printFirstStart(password: string): void {
  const line = '='.repeat(72);
  console.log(
    `${line}\nFirst start: an administrator account was created.\n  username: admin\n  password: ${password}\nThis password is shown once. Sign in and change it now.\n${line}`,
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
