import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeAccount } from '../../test/support/factories.js';
import { setDay } from '../core/calendar/service.js';
import type { Deps } from '../core/context.js';
import { AppError } from '../core/errors.js';
import { computeRun, createScheme, listScores } from '../scoring/service.js';
import { FIXTURE_ACTOR, scoringDefinition, seedScoring } from '../scoring/testing.js';
import { verifyResult } from '../scoring/verify.js';
import { attachEvidence, readFile, reviewEntry, saveEntry, submitEntry, unitSheet } from './entries.js';
import { CHECKLIST_PRESETS, type ChecklistDefinition } from './model.js';
import { closeChecklist, createChecklist, getChecklist, openChecklist, updateChecklist } from './service.js';

const office = FIXTURE_ACTOR;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('expected a refusal');
}

const xian = (): ChecklistDefinition => {
  const preset = CHECKLIST_PRESETS.find((p) => p.key === 'xian');
  if (!preset) throw new Error('no preset');
  return preset.definition;
};

/** The scoring fixture's four sections, a Q1-like checklist over them opening Monday 2026-03-16 with 5 working days. */
async function setup(deps: Deps, prefix: string) {
  const f = await seedScoring(deps, prefix);
  // Wednesday 18 March is a holiday: five working days from Monday 16 March end on Tuesday 24 March.
  await setDay(deps, office, '2026-03-18', { kind: 'holiday', name: '测试假日' });
  const checklist = await createChecklist(deps, office, {
    name: '2026年第一季度“6个1 + X”指标',
    periodId: f.period2026,
    series: `${prefix}.q1`,
    opensOn: '2026-03-16',
    workingDays: 5,
    definition: xian(),
    unitIds: [f.s1.id, f.s2.id, f.s3.id, f.s4.id],
  });
  return { f, checklist };
}

async function staffOf(deps: Deps, unitId: string) {
  return makeAccount(deps, 'unit_staff', { unitId });
}

/** A basic item of a unit filled with one file and submitted. */
async function fillAndSubmit(
  deps: Deps,
  actor: Awaited<ReturnType<typeof staffOf>> | typeof office,
  checklistId: string,
  unitId: string,
  itemKey: string,
  bytes: Buffer,
) {
  const entry = await saveEntry(deps, actor, checklistId, unitId, { itemKey, note: '已完成' });
  await attachEvidence(deps, actor, entry.id, { filename: 'proof', bytes });
  return submitEntry(deps, actor, entry.id, {});
}

let counter = 0;
const prefix = () => `ck${++counter}`;

describeEachDatabase('checklists service', (db) => {
  it('the deadline counts working days on the office calendar; a draft changes, an open checklist does not', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, checklist } = await setup(deps, prefix());
    expect(checklist.status).toBe('draft');
    // 17, 19, 20, 23, 24 March (18th a holiday, 21–22 a weekend).
    expect(checklist.deadline).toBe('2026-03-24');
    const changed = await updateChecklist(deps, office, checklist.id, {
      name: checklist.name,
      periodId: f.period2026,
      series: checklist.series,
      opensOn: '2026-03-16',
      workingDays: 6,
      definition: xian(),
      unitIds: [f.s1.id, f.s2.id],
    });
    expect([changed.deadline, changed.unitCount]).toEqual(['2026-03-25', 2]);
    const opened = await openChecklist(deps, office, checklist.id);
    expect(opened.status).toBe('open');
    expect(
      await refusal(
        updateChecklist(deps, office, checklist.id, {
          name: 'x',
          periodId: f.period2026,
          series: checklist.series,
          opensOn: '2026-03-16',
          workingDays: 6,
          definition: xian(),
          unitIds: [f.s1.id],
        }),
      ),
    ).toEqual({ status: 409, code: 'checklist_not_draft' });
  });

  it('refuses a bad definition with the item’s number, storing nothing', async () => {
    const { deps } = db();
    const f = await seedScoring(deps, prefix());
    const definition = xian();
    const bad = {
      ...definition,
      items: definition.items.map((i, n) => (n === 2 ? { ...i, points: -1 } : i)),
    };
    const base = {
      name: '清单',
      periodId: f.period2026,
      series: 'bad.series',
      opensOn: '2026-03-16',
      workingDays: 5,
      unitIds: [f.s1.id],
    };
    const error = await createChecklist(deps, office, { ...base, definition: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect([(error as AppError).code, (error as AppError).params]).toEqual(['invalid_points', { item: 3 }]);
    expect(await refusal(createChecklist(deps, office, { ...base, definition: { items: [] } }))).toEqual({
      status: 400,
      code: 'checklist_no_items',
    });
    expect(
      await deps.database.db
        .selectFrom('checklists')
        .selectAll()
        .where('series', '=', 'bad.series')
        .execute(),
    ).toEqual([]);
  });

  it('unit staff fill their own unit only; wrong evidence kind, empty submissions and late ones are refused', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, checklist } = await setup(deps, prefix());
    await openChecklist(deps, office, checklist.id);
    const staff1 = await staffOf(deps, f.s1.id);

    // Outside one's unit: another section's sheet, or an entry of it.
    expect(await refusal(unitSheet(deps, staff1, checklist.id, f.s2.id))).toEqual({
      status: 403,
      code: 'outside_scope',
    });
    expect(
      await refusal(
        saveEntry(deps, staff1, checklist.id, f.s2.id, { itemKey: 'industry_meeting', note: '' }),
      ),
    ).toEqual({ status: 403, code: 'outside_scope' });
    const other = await saveEntry(deps, office, checklist.id, f.s2.id, {
      itemKey: 'industry_meeting',
      note: '',
    });
    expect(await refusal(attachEvidence(deps, staff1, other.id, { filename: 'a.jpg', bytes: JPEG }))).toEqual(
      {
        status: 403,
        code: 'outside_scope',
      },
    );

    // The meeting is proved by photos: a PDF is refused, nothing stored; a text file is no evidence at all.
    const meeting = await saveEntry(deps, staff1, checklist.id, f.s1.id, {
      itemKey: 'industry_meeting',
      note: '3月17日召开',
    });
    expect(
      await refusal(attachEvidence(deps, staff1, meeting.id, { filename: 'a.pdf', bytes: PDF })),
    ).toEqual({
      status: 400,
      code: 'evidence_photo_required',
    });
    const other2 = await saveEntry(deps, staff1, checklist.id, f.s1.id, {
      itemKey: 'benefit_project',
      note: '',
    });
    expect(
      await refusal(attachEvidence(deps, staff1, other2.id, { filename: 'a.jpg', bytes: JPEG })),
    ).toEqual({
      status: 400,
      code: 'evidence_document_required',
    });
    expect(
      await refusal(
        attachEvidence(deps, staff1, meeting.id, { filename: 'a.txt', bytes: Buffer.from('hello') }),
      ),
    ).toEqual({ status: 400, code: 'file_type_not_allowed' });
    const huge = Buffer.concat([JPEG, Buffer.alloc(8 * 1024 * 1024)]);
    expect(
      await refusal(attachEvidence(deps, staff1, meeting.id, { filename: 'b.jpg', bytes: huge })),
    ).toEqual({
      status: 400,
      code: 'file_too_large',
    });
    expect(await refusal(submitEntry(deps, staff1, meeting.id, {}))).toEqual({
      status: 400,
      code: 'evidence_required',
    });
    expect(await deps.database.db.selectFrom('checklistEvidence').selectAll().execute()).toEqual([]);

    const withPhoto = await attachEvidence(deps, staff1, meeting.id, { filename: '会议.jpg', bytes: JPEG });
    expect(withPhoto.evidence.map((e) => [e.filename, e.mime])).toEqual([['会议.jpg', 'image/jpeg']]);
    // The file is the staff member's to read back; another unit's staff may not.
    const sha = withPhoto.evidence[0]?.sha256 ?? '';
    expect((await readFile(deps, staff1, sha)).mime).toBe('image/jpeg');
    const staff2 = await staffOf(deps, f.s2.id);
    expect(await refusal(readFile(deps, staff2, sha))).toEqual({ status: 403, code: 'outside_scope' });
    expect((await submitEntry(deps, staff1, meeting.id, {})).status).toBe('submitted');
    expect(await refusal(submitEntry(deps, staff1, meeting.id, {}))).toEqual({
      status: 409,
      code: 'entry_already_submitted',
    });

    // The deadline is Tuesday 24 March (China time): still fine at 23:59 that day, refused at midnight.
    clock.set('2026-03-24T15:59:00.000Z');
    const survey = await saveEntry(deps, staff1, checklist.id, f.s1.id, {
      itemKey: 'household_survey',
      note: '',
    });
    await attachEvidence(deps, staff1, survey.id, { filename: '调查表.pdf', bytes: PDF });
    clock.set('2026-03-24T16:00:00.000Z');
    expect(await refusal(submitEntry(deps, staff1, survey.id, {}))).toEqual({
      status: 409,
      code: 'checklist_deadline_passed',
    });
    const sheet = await unitSheet(deps, staff1, checklist.id, f.s1.id);
    expect(sheet.canSubmit).toBe(false);
    expect(sheet.items.map((i) => i.entry?.status ?? null)).toEqual([
      'draft',
      'submitted',
      'draft',
      null,
      null,
      null,
    ]);
  });

  it('a returned item carries the reason and three more working days; the office reviews, unit staff cannot', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const { f, checklist } = await setup(deps, prefix());
    await openChecklist(deps, office, checklist.id);
    const staff1 = await staffOf(deps, f.s1.id);
    const talk = await fillAndSubmit(deps, staff1, checklist.id, f.s1.id, 'community_talk', JPEG);
    expect(await refusal(reviewEntry(deps, staff1, talk.id, { decision: 'accept' }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect(await refusal(reviewEntry(deps, office, talk.id, { decision: 'return' }))).toEqual({
      status: 400,
      code: 'invalid_input',
    });
    // Returned on the deadline day (Tuesday 24 March): resubmit through Friday 27 March.
    clock.set('2026-03-24T03:00:00.000Z');
    const returned = await reviewEntry(deps, office, talk.id, {
      decision: 'return',
      reason: '照片看不出宣讲现场',
    });
    expect([returned.status, returned.returnReason, returned.resubmitBy]).toEqual([
      'returned',
      '照片看不出宣讲现场',
      '2026-03-27',
    ]);
    clock.set('2026-03-27T08:00:00.000Z');
    await attachEvidence(deps, staff1, talk.id, {
      filename: '现场2.jpg',
      bytes: Buffer.concat([JPEG, Buffer.from([1])]),
    });
    const again = await submitEntry(deps, staff1, talk.id, { note: '补充现场照片' });
    expect([again.status, again.note, again.evidence.length]).toEqual(['submitted', '补充现场照片', 2]);
    const accepted = await reviewEntry(deps, office, talk.id, { decision: 'accept' });
    expect([accepted.status, accepted.awardedPoints]).toEqual(['accepted', 5]);
    expect(await refusal(reviewEntry(deps, office, talk.id, { decision: 'accept' }))).toEqual({
      status: 409,
      code: 'entry_not_submitted',
    });
  });

  it('closing sends completion and bonus points to scoring, which reads them as imported leaves (verify agrees)', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const p = 'ckscore';
    const { f, checklist } = await setup(deps, p);
    await openChecklist(deps, office, checklist.id);
    const staff = await staffOf(deps, f.s1.id);
    // S1: four items accepted (20) and an innovation item of 2 claimed, 1.5 awarded.
    for (const [key, bytes] of [
      ['household_survey', PDF],
      ['industry_meeting', JPEG],
      ['benefit_project', PDF],
      ['community_talk', JPEG],
    ] as const) {
      const e = await fillAndSubmit(deps, staff, checklist.id, f.s1.id, key, bytes);
      await reviewEntry(deps, office, e.id, { decision: 'accept' });
    }
    const x = await saveEntry(deps, staff, checklist.id, f.s1.id, {
      title: '“码上评”进小区',
      note: '在12个小区张贴评价码',
      claimedPoints: 2,
    });
    expect(
      await refusal(
        saveEntry(deps, staff, checklist.id, f.s1.id, { title: 'y', note: '', claimedPoints: 3 }),
      ),
    ).toEqual({ status: 400, code: 'invalid_points' });
    await attachEvidence(deps, staff, x.id, { filename: 'x.pdf', bytes: PDF });
    await submitEntry(deps, staff, x.id, {});
    expect(await refusal(reviewEntry(deps, office, x.id, { decision: 'accept', points: 2.5 }))).toEqual({
      status: 400,
      code: 'invalid_points',
    });
    // S2: one item accepted, one pending — closing waits for it.
    const s2a = await fillAndSubmit(deps, office, checklist.id, f.s2.id, 'effect_review', PDF);
    await reviewEntry(deps, office, s2a.id, { decision: 'accept' });
    const s2b = await fillAndSubmit(deps, office, checklist.id, f.s2.id, 'highlight_promotion', JPEG);
    expect(await refusal(closeChecklist(deps, office, checklist.id))).toEqual({
      status: 409,
      code: 'checklist_reviews_pending',
    });
    await reviewEntry(deps, office, s2b.id, { decision: 'return', reason: '报道为县级媒体' });
    await reviewEntry(deps, office, x.id, { decision: 'accept', points: 1.5 });

    const overview = await getChecklist(deps, office, checklist.id);
    expect(overview.results.map((r) => [r.unitCode, r.accepted, r.completion, r.bonus])).toEqual([
      [f.s1.code, 4, 20, 1.5],
      [f.s2.code, 1, 5, 0],
      [f.s3.code, 0, 0, 0],
      [f.s4.code, 0, 0, 0],
    ]);
    const closed = await closeChecklist(deps, office, checklist.id);
    expect(closed.status).toBe('closed');
    const scores = await listScores(deps, office, { series: `${p}.q1`, periodId: f.period2026 });
    expect(scores.map((s) => [s.unitCode, s.value, s.document])).toEqual([
      [f.s1.code, 20, `《${checklist.name}》`],
      [f.s2.code, 5, `《${checklist.name}》`],
      [f.s3.code, 0, `《${checklist.name}》`],
      [f.s4.code, 0, `《${checklist.name}》`],
    ]);
    const bonus = await listScores(deps, office, { series: `${p}.q1.x`, periodId: f.period2026 });
    expect(bonus.map((s) => s.value)).toEqual([1.5, 0, 0, 0]);

    // A scheme whose leaves read the checklist: completion as points (of 30), bonus on top (of 5).
    const base = scoringDefinition(f);
    const scheme = await createScheme(deps, office, {
      code: `${p}-checklist-scheme`,
      name: '季度指标考核',
      definition: {
        ...base,
        tieBreak: ['completion'],
        root: {
          id: 'total',
          name: '总分',
          maxPoints: 35,
          children: [
            {
              id: 'completion',
              name: '“6个1”完成',
              maxPoints: 30,
              source: { kind: 'imported', series: `${p}.q1` },
              mapping: { kind: 'direct' },
              missing: 'zero',
            },
            {
              id: 'bonus',
              name: '创新加分（X）',
              maxPoints: 5,
              source: { kind: 'imported', series: `${p}.q1.x` },
              mapping: { kind: 'direct' },
              missing: 'zero',
            },
          ],
        },
      },
    });
    const run = await computeRun(deps, office, {
      schemeId: scheme.id,
      periodId: f.period2026,
      groupKey: 'sections',
      acceptWarnings: ['period_not_ended', 'source_without_values', 'source_partly_without_values'],
    });
    expect(run.units.map((u) => [u.unitId, u.total, u.rank])).toEqual([
      [f.s1.id, 21.5, 1],
      [f.s2.id, 5, 2],
      [f.s3.id, 0, 3],
      [f.s4.id, 0, 3],
    ]);
    const verification = await verifyResult(deps.database.db, run.id);
    expect(verification.identical).toBe(true);
    // The same bytes on SQLite and PostgreSQL: the digest of the results is a constant.
    expect(verification.identical && verification.resultsDigest).toBe(
      '60271ebd6767cd878a9f9f7d795f29bc29c56b0d1f5e081da98958a92ea84bb4',
    );
  });
});
