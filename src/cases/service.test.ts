import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeTree, SYSTEM } from '../../test/support/factories.js';
import { updateUnit } from '../registry/service.js';
import { removeRating } from '../ratings/service.js';
import {
  dismissCaseOfRemovedRating,
  openCaseForRating,
  recordCallback,
  recordRectification,
  replyToCase,
  submitJudgement,
  verifyCase,
} from './service.js';
import { insertBadRating, judgementTokenOf } from './testing.js';

async function activity(deps: Parameters<typeof insertBadRating>[0], scopeId: string, bucket: string) {
  return deps.database.db
    .selectFrom('activityRollups')
    .selectAll()
    .where('scopeType', '=', 'subtree')
    .where('scopeId', '=', scopeId)
    .where('bucket', '=', bucket)
    .executeTakeFirst();
}

describeEachDatabase('openCaseForRating', (db) => {
  it('opens one case for the nearest named responsible person, counts it and tells them', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z'); // Monday
    const tree = await makeTree(deps);
    await updateUnit(deps, SYSTEM, tree.sectionA1.id, {
      responsibleName: '王科长',
      responsiblePhone: '13800000001',
    });
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id, contactPhone: '13912345678' });
    const c = await deps.database.db
      .selectFrom('cases')
      .selectAll()
      .where('ratingId', '=', rating.id)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      unitId: tree.windowA1.id,
      responsibleUnitId: tree.sectionA1.id,
      responsibleName: '王科长',
      state: 'verifying',
      named: 1,
      openedOn: '2026-03-16',
      dueOn: '2026-03-17',
      ratingDay: rating.day,
    });
    // A second call for the same rating does nothing.
    await deps.database.db.transaction().execute((trx) => openCaseForRating(trx, deps, rating));
    const cases = await deps.database.db
      .selectFrom('cases')
      .select('id')
      .where('ratingId', '=', rating.id)
      .execute();
    expect(cases).toHaveLength(1);
    for (const unit of [tree.windowA1, tree.deptA, tree.city]) {
      expect((await activity(deps, unit.id, rating.day))?.badCases).toBe(1);
      expect((await activity(deps, unit.id, rating.day.slice(0, 7)))?.badCases).toBe(1);
    }
    const events = await deps.database.db
      .selectFrom('caseEvents')
      .selectAll()
      .where('caseId', '=', c.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['opened']);
    const outbox = await deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('relatedId', '=', c.id)
      .execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ channel: 'sms', recipient: '13800000001' });
    const audit = await deps.database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('entityId', '=', c.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['case.open']);
  });

  it('falls back to the unit itself when nobody up the tree is named, and skips good or default ratings', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const rating = await insertBadRating(deps, { unitId: tree.sectionB1.id });
    const c = await deps.database.db
      .selectFrom('cases')
      .selectAll()
      .where('ratingId', '=', rating.id)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ responsibleUnitId: tree.sectionB1.id, responsibleName: '', named: 0 });
    const outbox = await deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('relatedId', '=', c.id)
      .execute();
    expect(outbox[0]?.recipient).toBe(`unit:${tree.sectionB1.code}`);

    const good = await insertBadRating(deps, { unitId: tree.sectionB1.id, level: 3 });
    const defaulted = await insertBadRating(deps, { unitId: tree.sectionB1.id, level: 2, isDefault: true });
    for (const r of [good, defaulted]) {
      expect(
        await deps.database.db
          .selectFrom('cases')
          .select('id')
          .where('ratingId', '=', r.id)
          .executeTakeFirst(),
      ).toBeUndefined();
    }
  });

  it('dismisses the case of a rating the office removes, subtracting everything the case counted', async () => {
    const { deps, clock } = db();
    clock.set('2026-03-16T02:00:00.000Z');
    const tree = await makeTree(deps);
    const day = '2026-01-05';
    const rating = await insertBadRating(deps, {
      unitId: tree.windowA1.id,
      contactPhone: '13912345678',
      day,
    });
    const c = await deps.database.db
      .selectFrom('cases')
      .selectAll()
      .where('ratingId', '=', rating.id)
      .executeTakeFirstOrThrow();
    await verifyCase(deps, SYSTEM, c.id, { genuine: true });
    await recordCallback(deps, SYSTEM, c.id, {
      at: clock.now().toISOString(),
      method: 'phone',
      summary: '回访',
    });
    await recordRectification(deps, SYSTEM, c.id, { text: '整改' });
    await replyToCase(deps, SYSTEM, c.id, { text: '答复' });
    await submitJudgement(deps, (await judgementTokenOf(deps, c.id)) ?? '', { judgement: 'satisfied' });
    expect(await activity(deps, tree.deptA.id, day)).toMatchObject({
      badCases: 1,
      replied: 1,
      rectified: 1,
      judged: 1,
      satisfied: 1,
    });
    for (let i = 0; i < 2; i++) {
      await deps.database.db.transaction().execute(async (trx) => {
        await removeRating(trx, deps, rating.id, 'fraud review');
        await dismissCaseOfRemovedRating(trx, deps, rating, 'fraud review');
      });
    }
    expect(await activity(deps, tree.deptA.id, day)).toMatchObject({
      badCases: 0,
      replied: 0,
      rectified: 0,
      judged: 0,
      satisfied: 0,
    });
    const after = await deps.database.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(after.state).toBe('dismissed');
    const events = await deps.database.db
      .selectFrom('caseEvents')
      .select('type')
      .where('caseId', '=', c.id)
      .execute();
    expect(events.filter((e) => e.type === 'rating_removed')).toHaveLength(1);
  });
});
