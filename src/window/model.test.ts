import { describe, expect, it } from 'vitest';
import { PLAIN_CALENDAR } from '../core/calendar/model.js';
import {
  DEFAULT_WINDOW_RULES,
  maskPhone,
  matterDueDate,
  matterTransition,
  mayBecomeLedgerItem,
  normalizeReceiptCode,
  onDuty,
  percent,
  receiptCodeFrom,
  rotation,
  type MatterAction,
  type MatterState,
} from './model.js';

const ASSIGN: MatterAction = { type: 'assign', unitIds: ['a', 'b'], leadUnitId: 'a' };

describe('a 办不成事 matter’s states', () => {
  it('allows each action only in its state', () => {
    const cases: [MatterState, MatterAction, string][] = [
      ['filed', { type: 'accept' }, 'accepted'],
      ['filed', { type: 'decline', reason: '不属于' }, 'declined'],
      ['filed', { type: 'decline', reason: ' ' }, 'reason_required'],
      ['filed', ASSIGN, 'window_wrong_state'],
      ['accepted', ASSIGN, 'handling'],
      ['accepted', { type: 'assign', unitIds: ['b'], leadUnitId: 'a' }, 'window_units_required'],
      ['accepted', { type: 'assign', unitIds: [], leadUnitId: 'a' }, 'window_units_required'],
      ['handling', { type: 'respond', allOthersReplied: false }, 'handling'],
      ['handling', { type: 'respond', allOthersReplied: true }, 'replied'],
      ['replied', { type: 'respond', allOthersReplied: true }, 'window_wrong_state'],
      ['replied', { type: 'return', reason: '再办' }, 'handling'],
      ['replied', { type: 'return', reason: '' }, 'reason_required'],
      ['replied', { type: 'resolve', outcome: 'solved', text: '已办' }, 'resolved'],
      ['replied', { type: 'resolve', outcome: 'solved', text: '' }, 'window_resolution_required'],
      ['handling', { type: 'resolve', outcome: 'solved', text: '已办' }, 'window_wrong_state'],
      ['resolved', { type: 'rate' }, 'closed'],
      ['closed', { type: 'rate' }, 'window_already_rated'],
      ['replied', { type: 'rate' }, 'window_wrong_state'],
      ['closed', { type: 'reopen', reason: '不满意' }, 'handling'],
      ['resolved', { type: 'reopen', reason: '不满意' }, 'handling'],
      ['declined', { type: 'reopen', reason: '不满意' }, 'window_wrong_state'],
      ['declined', { type: 'accept' }, 'window_wrong_state'],
    ];
    for (const [state, action, expected] of cases) {
      const r = matterTransition(state, action);
      expect([state, action.type, r.ok ? r.state : r.code]).toEqual([state, action.type, expected]);
    }
  });

  it('becomes a ledger item only once it reached units, and only once', () => {
    expect(mayBecomeLedgerItem('filed', null)).toBe(false);
    expect(mayBecomeLedgerItem('declined', null)).toBe(false);
    expect(mayBecomeLedgerItem('handling', null)).toBe(true);
    expect(mayBecomeLedgerItem('closed', null)).toBe(true);
    expect(mayBecomeLedgerItem('closed', 'item-1')).toBe(false);
  });
});

describe('the window’s deadlines', () => {
  const r = DEFAULT_WINDOW_RULES;
  it('counts working days per stage: a day to accept, a day to assign, the set deadline, two days to resolve', () => {
    // Friday 20 March 2026: the next working day is Monday 23rd.
    expect(matterDueDate('filed', '2026-03-20', null, r, PLAIN_CALENDAR)).toBe('2026-03-23');
    expect(matterDueDate('accepted', '2026-03-20', null, r, PLAIN_CALENDAR)).toBe('2026-03-23');
    expect(matterDueDate('handling', '2026-03-20', '2026-04-01', r, PLAIN_CALENDAR)).toBe('2026-04-01');
    expect(matterDueDate('handling', '2026-03-20', null, r, PLAIN_CALENDAR)).toBe('2026-03-27');
    expect(matterDueDate('replied', '2026-03-20', null, r, PLAIN_CALENDAR)).toBe('2026-03-24');
    expect(matterDueDate('resolved', '2026-03-20', null, r, PLAIN_CALENDAR)).toBeNull();
    // A holiday on Monday moves the acceptance to Tuesday.
    const calendar = { holidays: new Set(['2026-03-23']), workdays: new Set<string>() };
    expect(matterDueDate('filed', '2026-03-20', null, r, calendar)).toBe('2026-03-24');
  });
});

describe('the duty rota', () => {
  it('gives working days in turn and finds who is on duty, the next working day’s coordinator at weekends', () => {
    const days = rotation('2026-03-19', '2026-03-24', ['a', 'b'], PLAIN_CALENDAR);
    expect(days).toEqual([
      { date: '2026-03-19', accountId: 'a' },
      { date: '2026-03-20', accountId: 'b' },
      { date: '2026-03-23', accountId: 'a' },
      { date: '2026-03-24', accountId: 'b' },
    ]);
    const rota = new Map(days.map((d) => [d.date, d.accountId]));
    expect(onDuty('2026-03-20', rota, PLAIN_CALENDAR)).toBe('b');
    expect(onDuty('2026-03-21', rota, PLAIN_CALENDAR)).toBe('a');
    expect(onDuty('2026-03-25', rota, PLAIN_CALENDAR)).toBeNull();
    expect(rotation('2026-03-19', '2026-03-24', [], PLAIN_CALENDAR)).toEqual([]);
  });
});

describe('receipt codes, phones and shares', () => {
  it('makes codes from an unambiguous alphabet and reads them back as people type them', () => {
    const code = receiptCodeFrom(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 30]));
    expect(code).toBe('ABCDEFGHJ9');
    expect(normalizeReceiptCode(' abcde-fghj9 ')).toBe(code);
    expect(normalizeReceiptCode('ABCDEFGHI9')).toBeNull(); // I is not in the alphabet
    expect(normalizeReceiptCode('ABCDE')).toBeNull();
  });

  it('masks phones and rounds shares to one decimal', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('')).toBe('');
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBeNull();
  });
});
