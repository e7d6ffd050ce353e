import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, TEST_SCRYPT } from '../../../test/support/db.js';
import { makeAccount, makeTree, SYSTEM, uniqueCode } from '../../../test/support/factories.js';
import { createUnit, updateUnit } from '../../registry/service.js';
import { boot } from '../boot.js';
import { PROJECT_ROOT } from '../config.js';
import { digestOf } from '../digest.js';
import { chainHash, GENESIS_HASH, type AuditEntry, type ChainCheck } from './model.js';
import { changedFields, listAudit, verifyAuditChain } from './service.js';
import { lastEntry } from './store.js';

describe('changedFields', () => {
  it('lists the fields that differ, with their new values (null for a removed one)', () => {
    expect(
      changedFields({ name: '旧', code: 'A', tags: ['x'] }, { name: '新', code: 'A', tags: ['x', 'y'] }),
    ).toEqual({
      name: '新',
      tags: ['x', 'y'],
    });
    expect(changedFields(null, { name: '新', code: 'A' })).toEqual({ name: '新', code: 'A' });
    expect(changedFields({ note: 'x' }, {})).toEqual({ note: null });
    expect(changedFields({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } })).toEqual({});
  });
});

describeEachDatabase('audit log', (db) => {
  /** The entries from seq `from` on, in order. */
  const entriesFrom = async (from: number): Promise<AuditEntry[]> =>
    db()
      .deps.database.db.selectFrom('auditLog')
      .selectAll()
      .where('seq', '>=', from)
      .orderBy('seq')
      .execute();
  const nextSeq = async () => ((await lastEntry(db().deps.database.db))?.seq ?? 0) + 1;

  /** Tampers with the log, checks what verification says, then restores the rows and checks it is intact again. */
  async function tampered(tamper: (second: AuditEntry) => Promise<void>): Promise<ChainCheck> {
    const { deps } = db();
    const from = await nextSeq();
    await makeTree(deps);
    const original = (await entriesFrom(from + 1))[0] as AuditEntry;
    await tamper(original);
    const result = await verifyAuditChain(deps.database);
    await sql`delete from audit_log where seq = ${original.seq}`.execute(deps.database.db);
    await deps.database.db.insertInto('auditLog').values(original).execute();
    expect(await verifyAuditChain(deps.database)).toMatchObject({ ok: true });
    return result;
  }

  it('records each change made through the services as a chained entry, and the chain verifies', async () => {
    const { deps } = db();
    const from = await nextSeq();
    const tree = await makeTree(deps);
    const office = await makeAccount(deps, 'office');
    const renamed = await updateUnit(deps, office, tree.deptA.id, {
      name: '市民政服务局',
      effectiveFrom: '2026-01-01',
    });

    const log = await entriesFrom(from);
    // six units, one account, one rename
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 8 }, (_, i) => from + i));
    if (from === 1) expect(log[0]?.prevHash).toBe(GENESIS_HASH);
    for (const [i, e] of log.entries()) {
      if (i > 0) expect(e.prevHash).toBe(log[i - 1]?.hash);
      const { prevHash, hash, ...c } = e;
      expect(hash).toBe(chainHash(prevHash, c));
    }
    expect(log[0]).toMatchObject({
      action: 'unit.created',
      entityId: tree.city.id,
      actorId: null,
      actorLabel: 'system:test',
      beforeDigest: null,
      afterDigest: digestOf(tree.city),
    });
    const rename = log[7];
    expect(rename).toMatchObject({
      action: 'unit.changed',
      entityId: tree.deptA.id,
      actorId: office.id,
      actorLabel: office.username,
      afterDigest: digestOf(renamed),
    });
    expect(JSON.parse(rename?.detail ?? '{}')).toEqual({ name: '市民政服务局', validFrom: '2026-01-01' });
    expect(await verifyAuditChain(deps.database)).toEqual({
      ok: true,
      entries: from + 7,
      lastHash: rename?.hash,
    });
  });

  it('a change that fails leaves no entry behind', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const from = await nextSeq();
    await expect(
      createUnit(deps, SYSTEM, { code: tree.deptA.code, name: '重复', kind: 'department' }),
    ).rejects.toBeTruthy();
    expect(await entriesFrom(from)).toEqual([]);
    expect((await verifyAuditChain(deps.database)).ok).toBe(true);
  });

  it('changes made at the same moment still form one unbroken chain', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const from = await nextSeq();
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        createUnit(deps, SYSTEM, {
          code: uniqueCode('PAR'),
          name: `并发窗口${i}`,
          kind: 'window',
          parentId: tree.sectionA1.id,
        }),
      ),
    );
    expect(await verifyAuditChain(deps.database)).toMatchObject({ ok: true, entries: from + 15 });
    expect((await entriesFrom(from)).map((e) => e.seq)).toEqual(
      Array.from({ length: 16 }, (_, i) => from + i),
    );
  });

  it('catches an entry whose detail was altered in the database', async () => {
    let seq = 0;
    const result = await tampered(async (second) => {
      seq = second.seq;
      await sql`update audit_log set detail = ${'{"name":"篡改"}'} where seq = ${seq}`.execute(
        db().deps.database.db,
      );
    });
    expect(result).toEqual({ ok: false, entries: seq - 1, brokenAt: seq, reason: 'hash_mismatch' });
  });

  it('catches an entry deleted from the database', async () => {
    let seq = 0;
    const result = await tampered(async (second) => {
      seq = second.seq;
      await sql`delete from audit_log where seq = ${seq}`.execute(db().deps.database.db);
    });
    expect(result).toEqual({ ok: false, entries: seq - 1, brokenAt: seq, reason: 'seq_gap' });
  });

  it('catches an entry altered and given a matching hash of its own: the next link breaks', async () => {
    let seq = 0;
    const result = await tampered(async (second) => {
      seq = second.seq;
      const { prevHash, hash: _old, ...c } = { ...second, detail: '{"name":"伪造"}' };
      await sql`update audit_log set detail = ${c.detail}, hash = ${chainHash(prevHash, c)} where seq = ${seq}`.execute(
        db().deps.database.db,
      );
    });
    expect(result).toEqual({ ok: false, entries: seq, brokenAt: seq + 1, reason: 'prev_hash_mismatch' });
  });

  it('is read by the office, administrators and supervisors only, newest first, filtered and paged', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    await updateUnit(deps, SYSTEM, tree.deptA.id, { name: '新名', effectiveFrom: '2026-01-01' });
    const last = (await nextSeq()) - 1;
    const supervisor = await makeAccount(deps, 'supervisor');
    const leader = await makeAccount(deps, 'leader');
    const staff = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    await expect(listAudit(deps, leader, { limit: 10 })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    await expect(listAudit(deps, staff, { limit: 10 })).rejects.toMatchObject({ code: 'forbidden' });

    const newest = await listAudit(deps, supervisor, { limit: 3 });
    expect(newest.map((e) => e.seq)).toEqual([last + 3, last + 2, last + 1]);
    const ofDeptA = await listAudit(deps, supervisor, {
      entityType: 'unit',
      entityId: tree.deptA.id,
      limit: 10,
    });
    expect(ofDeptA.map((e) => e.action)).toEqual(['unit.changed', 'unit.created']);
    const older = await listAudit(deps, supervisor, { beforeSeq: 3, limit: 10 });
    expect(older.map((e) => e.seq)).toEqual([2, 1]);
  });

  it("is filtered by account (the console's 操作人 filter), alone and together with an entity", async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const alice = await makeAccount(deps, 'office');
    const bob = await makeAccount(deps, 'office');
    const idle = await makeAccount(deps, 'office');
    const supervisor = await makeAccount(deps, 'supervisor');
    await updateUnit(deps, alice, tree.deptA.id, { name: '甲改一', effectiveFrom: '2026-01-01' });
    await updateUnit(deps, bob, tree.deptA.id, { name: '甲改二', effectiveFrom: '2026-01-01' });
    await updateUnit(deps, alice, tree.deptB.id, { name: '乙改一', effectiveFrom: '2026-01-01' });
    await updateUnit(deps, bob, tree.deptB.id, { name: '乙改二', effectiveFrom: '2026-01-01' });
    await updateUnit(deps, alice, tree.sectionA1.id, { name: '科改一', effectiveFrom: '2026-01-01' });

    const summary = (entries: AuditEntry[]) =>
      entries.map((e) => [e.actorLabel, e.entityId, (JSON.parse(e.detail) as { name?: string }).name]);
    const byAlice = await listAudit(deps, supervisor, { actorId: alice.id, limit: 10 });
    expect(summary(byAlice)).toEqual([
      [alice.username, tree.sectionA1.id, '科改一'],
      [alice.username, tree.deptB.id, '乙改一'],
      [alice.username, tree.deptA.id, '甲改一'],
    ]);
    expect(summary(await listAudit(deps, supervisor, { actorId: alice.id, limit: 2 }))).toEqual(
      summary(byAlice).slice(0, 2),
    );
    expect(await listAudit(deps, supervisor, { actorId: idle.id, limit: 10 })).toEqual([]);

    const bobOnDeptB = await listAudit(deps, supervisor, {
      entityType: 'unit',
      entityId: tree.deptB.id,
      actorId: bob.id,
      limit: 10,
    });
    expect(summary(bobOnDeptB)).toEqual([[bob.username, tree.deptB.id, '乙改二']]);
    // Of deptA's entries (its creation by the system and two renames), only Bob's rename is his.
    const ofDeptA = await listAudit(deps, supervisor, {
      entityType: 'unit',
      entityId: tree.deptA.id,
      limit: 10,
    });
    expect(ofDeptA).toHaveLength(3);
    const bobOnDeptA = await listAudit(deps, supervisor, {
      entityType: 'unit',
      entityId: tree.deptA.id,
      actorId: bob.id,
      limit: 10,
    });
    expect(summary(bobOnDeptA)).toEqual([[bob.username, tree.deptA.id, '甲改二']]);
    expect(
      await listAudit(deps, supervisor, {
        entityType: 'unit',
        entityId: tree.windowA1.id,
        actorId: bob.id,
        limit: 10,
      }),
    ).toEqual([]);
  });
});

describe('minping verify audit (the command line)', () => {
  it('says "intact" with exit code 0, and names the first broken entry with exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minping-verify-'));
    const file = join(dir, 'minping.db');
    try {
      const deps = await boot(
        { databaseUrl: `sqlite:${file}`, sessionMinutes: 480 },
        { scryptCost: TEST_SCRYPT },
      );
      await makeTree(deps);
      await deps.database.close();

      const run = () =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            'npx',
            ['tsx', 'src/cli/main.ts', 'verify', 'audit'],
            {
              cwd: PROJECT_ROOT,
              env: { ...process.env, MINPING_DATABASE_URL: `sqlite:${file}` },
              timeout: 60_000,
            },
            (error, stdout, stderr) => {
              const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
              resolve({ code, stdout, stderr });
            },
          );
        });

      const intact = await run();
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(/intact: 6 entries/);

      const raw = new SQLite(file);
      raw.prepare('update audit_log set detail = ? where seq = 2').run('{"name":"篡改"}');
      raw.close();

      const broken = await run();
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/BROKEN at entry 2 \(hash mismatch\); 1 entries before it are intact/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
