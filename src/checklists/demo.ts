import { deflateSync } from 'node:zlib';
import type { Actor, Role } from '../core/auth/model.js';
import { accountByUsername } from '../core/auth/store.js';
import type { Deps } from '../core/context.js';
import { addDays, chinaDate } from '../core/time.js';
import * as registryStore from '../registry/store.js';
import { treeOn } from '../registry/tree.js';
import { attachEvidence, reviewEntry, saveEntry, submitEntry } from './entries.js';
import { CHECKLIST_PRESETS } from './model.js';
import { createChecklist, openChecklist } from './service.js';

/*
 * The demo's quarterly indicator checklist (西安“6个1 + X”) for the quarter of today: open, with a week
 * gone and two weeks left. The demo unit (the `unit` account's department) has two items accepted, one
 * awaiting review, one returned with a reason and an innovation item declared; a few other departments
 * have some items accepted, so that the office's review queue and the points per unit show.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A small photo-like PNG (a colour gradient), different for each seed. */
function demoPhoto(seed: number): Buffer {
  const w = 48;
  const h = 32;
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      row[1 + x * 3] = (60 + x * 3 + seed * 37) % 256;
      row[2 + x * 3] = (120 + y * 3) % 256;
      row[3 + x * 3] = (200 - x * 2 + seed * 11) % 256;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF naming what it stands for (ASCII: the demo's placeholder for a scanned form). */
function demoPdf(label: string): Buffer {
  const text = `Minping demo evidence: ${label}`;
  const stream = `BT /F1 14 Tf 60 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function accountActor(
  deps: Deps,
  username: string,
): Promise<Extract<Actor, { kind: 'account' }> | null> {
  const a = await accountByUsername(deps.database.db, username);
  if (!a) return null;
  return {
    kind: 'account',
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role as Role,
    unitId: a.unitId,
    mustChangePassword: false,
  };
}

export async function loadChecklistsDemo(deps: Deps): Promise<{ units: number; entries: number } | null> {
  const office = await accountActor(deps, 'office');
  const staff = await accountActor(deps, 'unit');
  const preset = CHECKLIST_PRESETS.find((p) => p.key === 'xian');
  const unit = staff?.unitId;
  if (!office || !staff || !unit || !preset) return null;
  const db = deps.database.db;
  const today = chinaDate(deps.clock.now());
  const quarters = (await registryStore.listPeriods(db)).filter((p) => p.kind === 'quarter');
  const period =
    quarters.find((p) => p.startDate <= today && today <= p.endDate) ?? quarters[quarters.length - 1];
  if (!period) return null;
  const tree = await treeOn(db, today);
  const departments = tree
    .inForce()
    .filter((u) => u.kind === 'department' && u.unitId !== unit)
    .slice(0, 5)
    .map((u) => u.unitId);
  const unitIds = [unit, ...departments];
  const checklist = await createChecklist(deps, office, {
    name: `${period.name}“6个1 + X”季度指标`,
    periodId: period.id,
    series: `checklist-${period.code}`.replace(/[^A-Za-z0-9_.-]/g, '-'),
    opensOn: addDays(today, -7),
    workingDays: 15,
    definition: preset.definition,
    unitIds,
  });
  await openChecklist(deps, office, checklist.id);
  let entries = 0;
  let seed = 0;
  const evidenceFor = (key: string): { filename: string; bytes: Buffer } => {
    seed += 1;
    const item = preset.definition.items.find((i) => i.key === key);
    return item?.evidenceKind === 'photo'
      ? { filename: `现场照片${seed}.png`, bytes: demoPhoto(seed) }
      : { filename: `${item?.title.slice(0, 8) ?? key}.pdf`, bytes: demoPdf(`${key} #${seed}`) };
  };
  const fill = async (actor: Actor, unitId: string, key: string, note: string) => {
    const entry = await saveEntry(deps, actor, checklist.id, unitId, { itemKey: key, note });
    await attachEvidence(deps, actor, entry.id, evidenceFor(key));
    entries += 1;
    return submitEntry(deps, actor, entry.id, {});
  };

  // The demo unit: two accepted, one awaiting review, one returned; an innovation item awaiting review.
  for (const [key, note] of [
    ['household_survey', '3个街道入户调研 236 户，问卷已汇总'],
    ['industry_meeting', '邀请群众代表 12 人参加行业座谈会'],
  ] as const) {
    const e = await fill(staff, unit, key, note);
    await reviewEntry(deps, office, e.id, { decision: 'accept' });
  }
  await fill(staff, unit, 'benefit_project', '总结“一窗通办”惠民实事');
  const talk = await fill(staff, unit, 'community_talk', '到阳光社区开展政策宣讲');
  await reviewEntry(deps, office, talk.id, {
    decision: 'return',
    reason: '照片看不出宣讲现场和参加群众，请补充现场全景照片',
  });
  const x = await saveEntry(deps, staff, checklist.id, unit, {
    title: '“码上评”进小区',
    note: '在 12 个小区张贴评价二维码，收集意见 340 条',
    claimedPoints: 2,
  });
  await attachEvidence(deps, staff, x.id, { filename: '码上评.pdf', bytes: demoPdf('innovation') });
  await submitEntry(deps, staff, x.id, {});
  entries += 1;

  // Other departments, filled by the office on their behalf in the demo: a few items each, accepted.
  for (const [i, unitId] of departments.entries()) {
    for (const item of preset.definition.items.slice(0, (i % 4) + 2)) {
      const e = await fill(office, unitId, item.key, '已按要求完成');
      await reviewEntry(deps, office, e.id, { decision: 'accept' });
    }
  }
  return { units: unitIds.length, entries };
}
