/*
 * The public ledger's data for 330 units (/api/public/ledger): the demo registry (示范市), 330 of its units
 * each with a ledger of 10 items in every state (3,300 items; the closed ones with 1–3 photos and a PDF
 * attached; a sixth of the open ones overdue), then, repeated after a warm-up:
 *
 *   (a) publicLedger, the function behind GET /api/public/ledger: the unit tree of today, the figures
 *       (raised, in progress, closed, overdue) per unit and in total, the latest 100 closed items with what
 *       was done and their evidence summary;
 *   (b) the baseline: the unit tree of today alone (loadTree), which any page naming units reads.
 *
 *   npx tsx bench/ledger-public.ts                      # SQLite (a fresh file in a temp folder)
 *   MINPING_BENCH_PG=1 npx tsx bench/ledger-public.ts   # PostgreSQL 127.0.0.1:5432/test, a fresh schema
 *   BENCH_UNITS=330 BENCH_ITEMS=10 BENCH_REPS=30        # the defaults
 *
 * Before timing, the answer's totals are checked against what was inserted.
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { inTransaction } from '../src/core/context.js';
import { newId } from '../src/core/ids.js';
import { chinaDate } from '../src/core/time.js';
import { demoPng } from '../src/ledger/demo.js';
import { ITEM_STATES } from '../src/ledger/model.js';
import { publicLedger } from '../src/ledger/public.js';
import { loadTree } from '../src/ledger/scope.js';
import * as store from '../src/ledger/store.js';
import { loadRegistryDemo } from '../src/registry/demo.js';
import * as registryStore from '../src/registry/store.js';
import { openBenchDatabase, percentile, seconds, SYSTEM } from './support/rating-year.js';

const UNITS = Number(process.env.BENCH_UNITS ?? 330);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10);
const REPS = Number(process.env.BENCH_REPS ?? 30);
const WARMUP = 3;
const LIMIT_MS = 100;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function main() {
  const bench = await openBenchDatabase();
  const { deps } = bench;
  try {
    let t = performance.now();
    await loadRegistryDemo(deps, SYSTEM);
    const units = (await registryStore.latestVersions(deps.database.db))
      .filter((v) => v.parentId !== null)
      .slice(0, UNITS);
    if (units.length < UNITS)
      throw new Error(`The demo registry has only ${units.length} units below the top.`);
    console.log(`registry: ${seconds(t)} s, ${units.length} units`);

    // The ledgers: every state in turn, closed items with evidence, some open ones past their due date.
    t = performance.now();
    const today = chinaDate(deps.clock.now());
    const photo = demoPng(1, 96);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n');
    const files = [
      { bytes: photo, mime: 'image/png' },
      { bytes: pdf, mime: 'application/pdf' },
    ].map((f) => ({ ...f, sha256: createHash('sha256').update(f.bytes).digest('hex') }));
    let expected = { raised: 0, closed: 0, overdue: 0 };
    await inTransaction(deps, SYSTEM, async (trx) => {
      const now = new Date().toISOString();
      for (const f of files) {
        await store.insertFileIfAbsent(trx, {
          sha256: f.sha256,
          mime: f.mime,
          size: f.bytes.length,
          data: f.bytes.toString('base64'),
          createdAt: now,
        });
      }
      let n = 0;
      for (const u of units) {
        for (let i = 0; i < ITEMS; i++) {
          n += 1;
          const state = ITEM_STATES[n % ITEM_STATES.length] ?? 'planning';
          const closed = state === 'closed';
          const overdue = !closed && (state === 'planning' || state === 'executing') && n % 3 === 0;
          const id = newId(Date.now() + n);
          await store.insertItem(trx, {
            id,
            origin: 'manual',
            originRef: null,
            unitId: u.unitId,
            responsibleName: '张科长',
            title: `整改事项 ${n}：窗口办事材料反复补交`,
            target: '一次告知、一次办结',
            measures: '公示材料清单，联系电话 13800001111',
            progressText: '',
            resultText: closed ? '材料清单已公示，群众一次办结' : '',
            state,
            openedOn: '2026-09-01',
            deadlineOn: '2026-12-31',
            stageFrom: '2026-09-01',
            dueOn: closed ? null : overdue ? '2026-10-01' : '2099-12-31',
            escalation: 0,
            reopenCount: 0,
            createdBy: 'bench',
            createdAt: now,
            updatedAt: now,
            closedAt: closed ? new Date(Date.parse('2026-10-01T00:00:00Z') + n * 60_000).toISOString() : null,
          });
          if (closed) {
            for (let k = 0; k <= n % 3; k++) {
              const f = files[k === 0 ? 1 : 0] ?? files[0];
              if (!f) continue;
              await store.insertAttachment(trx, {
                id: newId(Date.now() + n * 10 + k),
                itemId: id,
                followUpId: null,
                stage: 'finishing',
                sha256: f.sha256,
                filename: k === 0 ? '报告.pdf' : `照片${k}.png`,
                uploadedBy: 'bench',
                createdAt: now,
              });
            }
          }
          expected = {
            raised: expected.raised + 1,
            closed: expected.closed + (closed ? 1 : 0),
            overdue: expected.overdue + (overdue ? 1 : 0),
          };
        }
      }
    });
    console.log(
      `ledgers: ${seconds(t)} s, ${expected.raised} items (${expected.closed} closed, ${expected.overdue} overdue), today ${today}`,
    );

    const answer = await publicLedger(deps);
    const ok =
      answer.totals.raised === expected.raised &&
      answer.totals.closed === expected.closed &&
      answer.totals.overdue === expected.overdue &&
      answer.units.length === units.length &&
      answer.closedItems.length === 100 &&
      answer.closedItems.every((i) => i.evidence.documents === 1 && !i.measures.includes('13800001111'));
    console.log(
      `check: ${ok ? 'the totals, units and closed items are right' : 'WRONG ANSWER'}`,
      answer.totals,
    );
    if (!ok) process.exitCode = 1;

    const time = async (work: () => Promise<unknown>) => {
      for (let i = 0; i < WARMUP; i++) await work();
      const ms: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const s = performance.now();
        await work();
        ms.push(performance.now() - s);
      }
      return ms.sort((x, y) => x - y);
    };
    const before = load();
    const a = await time(() => publicLedger(deps));
    const b = await time(() => loadTree(deps.database.db, deps));
    const after = load();
    const f = (x: number) => x.toFixed(1);
    const p = (xs: number[], q: number) => percentile(xs, q);
    console.log(
      `database: ${bench.onPg ? 'PostgreSQL' : 'SQLite'}; ${REPS} repetitions after ${WARMUP} warm-up`,
    );
    console.log(
      `(a) publicLedger       p50 ${f(p(a, 50))} ms  p95 ${f(p(a, 95))} ms  max ${f(a[a.length - 1] ?? 0)} ms`,
    );
    console.log(
      `(b) unit tree alone    p50 ${f(p(b, 50))} ms  p95 ${f(p(b, 95))} ms  max ${f(b[b.length - 1] ?? 0)} ms`,
    );
    console.log(
      `ratio (a)/(b)          p50 ${(p(a, 50) / p(b, 50)).toFixed(2)}×  p95 ${(p(a, 95) / p(b, 95)).toFixed(2)}×`,
    );
    console.log(`load average ${before} → ${after}`);
    console.log(`target p95 of (a) < ${LIMIT_MS} ms: ${p(a, 95) < LIMIT_MS ? 'met' : 'NOT met'}`);
  } finally {
    await bench.close();
  }
}

await main();
