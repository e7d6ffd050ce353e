import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { makeTree, SYSTEM } from '../../test/support/factories.js';
import { boot } from '../core/boot.js';
import { announceDraw, performDraw } from './draw-service.js';
import { createEvaluator, createGroup } from './service.js';

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('`minping verify draw <id>` prints identical (exit 0), and the first difference after tampering (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minping-draw-'));
  dirs.push(dir);
  const url = `sqlite:${join(dir, 'minping.db')}`;
  const deps = await boot({ databaseUrl: url, sessionMinutes: 60 });
  let drawId: string;
  try {
    const tree = await makeTree(deps);
    await createGroup(deps, SYSTEM, { code: 'residents', name: '城镇居民' });
    for (let i = 0; i < 12; i++) {
      await createEvaluator(deps, SYSTEM, {
        name: `居民${i}`,
        mobile: `1380000${String(i).padStart(4, '0')}`,
        groups: ['residents'],
        regionId: i % 2 ? tree.deptA.id : tree.deptB.id,
        grassroots: i % 3 !== 0,
        tags: [],
        conflicts: [],
      });
    }
    const draw = await announceDraw(deps, SYSTEM, {
      kind: 'sample',
      purpose: '老旧小区改造评价',
      rules: {
        size: 5,
        filters: { groups: [], regions: [], tags: [], grassroots: null },
        quotas: [{ feature: 'region', value: tree.deptA.id, min: 2, max: 2 }],
        subjectUnits: [],
        rotationDays: 0,
        exclusions: [],
        reservePerStratum: 1,
      },
    });
    await performDraw(deps, SYSTEM, draw.id, '2026-03-17 3D 905');
    drawId = draw.id;
  } finally {
    await deps.database.close();
  }
  const cli = () =>
    exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify', 'draw', drawId], {
      env: { ...process.env, MINPING_DATABASE_URL: url },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  const ok = await cli();
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(
    /^identical: draw .* \(snapshot digest, rules digest, commitment, strata and allocation, seed, selection, result digest, stored members\)/,
  );

  const again = await boot({ databaseUrl: url, sessionMinutes: 60 });
  try {
    await again.database.db
      .updateTable('panelDraws')
      .set({ publicValue: '2026-03-17 3D 906' })
      .where('id', '=', drawId)
      .execute();
  } finally {
    await again.database.close();
  }
  const bad = await cli();
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/DIFFERENT: The seed is not SHA-256\(secret\|public value\)/);
  // Two CLI processes, each compiling the CLI with tsx: as the scoring verify test, 60 s.
}, 60_000);
