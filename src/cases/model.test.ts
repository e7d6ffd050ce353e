import { describe, expect, it } from 'vitest';
import { calendarFrom, PLAIN_CALENDAR } from '../core/calendar/model.js';
import {
  caseCounters,
  DEFAULT_DEADLINES,
  dueDate,
  escalationLevel,
  judgementDelta,
  maskPersonalData,
  parseCasesConfig,
  rulesFor,
  transition,
  warningStage,
  workingDaysLeft,
  type CaseFacts,
} from './model.js';

const at = (state: CaseFacts['state'], more: Partial<CaseFacts> = {}): CaseFacts => ({
  state,
  named: false,
  calledBack: false,
  rectified: false,
  ...more,
});

describe('case transitions', () => {
  it('goes verify → rectify → reply → judged satisfied → closed', () => {
    expect(transition(at('verifying'), { type: 'verify_genuine' })).toEqual({
      ok: true,
      state: 'rectifying',
      reopened: false,
    });
    expect(transition(at('rectifying', { rectified: true }), { type: 'reply' })).toMatchObject({
      state: 'awaiting_judgement',
    });
    expect(
      transition(at('awaiting_judgement'), { type: 'judge', judgement: 'basically_satisfied' }),
    ).toMatchObject({
      state: 'closed',
    });
  });

  it('reopens when the rater is not satisfied', () => {
    expect(transition(at('awaiting_judgement'), { type: 'judge', judgement: 'not_satisfied' })).toEqual({
      ok: true,
      state: 'rectifying',
      reopened: true,
    });
  });

  it('takes appeals to the office, which upholds (dismissed) or rejects (rectify)', () => {
    expect(transition(at('verifying'), { type: 'appeal', reason: 'malicious' })).toMatchObject({
      state: 'appealed',
    });
    expect(transition(at('appealed'), { type: 'decide_appeal', upheld: true })).toMatchObject({
      state: 'dismissed',
    });
    expect(transition(at('appealed'), { type: 'decide_appeal', upheld: false })).toMatchObject({
      state: 'rectifying',
    });
    expect(transition(at('rectifying'), { type: 'appeal', reason: 'mistaken' })).toMatchObject({
      code: 'case_wrong_state',
    });
  });

  it('requires a call-back for named reviews and a rectification before replying', () => {
    expect(transition(at('rectifying', { named: true, rectified: true }), { type: 'reply' })).toMatchObject({
      code: 'callback_required',
    });
    expect(transition(at('rectifying', { named: true, calledBack: true }), { type: 'reply' })).toMatchObject({
      code: 'rectification_required',
    });
    expect(
      transition(at('rectifying', { named: true, calledBack: true, rectified: true }), { type: 'reply' }),
    ).toMatchObject({ state: 'awaiting_judgement' });
  });

  it('refuses every action on a closed or dismissed case', () => {
    for (const state of ['closed', 'dismissed'] as const) {
      expect(transition(at(state), { type: 'verify_genuine' })).toMatchObject({ ok: false });
      expect(transition(at(state), { type: 'record_callback' })).toMatchObject({ ok: false });
      expect(transition(at(state), { type: 'judge', judgement: 'satisfied' })).toMatchObject({ ok: false });
    }
  });
});

describe('deadlines and escalation', () => {
  // National Day 2026: 10-01, 10-02, 10-05..07 off; 09-27 (Sunday) and 10-10 (Saturday) are working days.
  const calendar = calendarFrom([
    ...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({
      date,
      kind: 'holiday' as const,
      name: '国庆节',
    })),
    { date: '2026-09-27', kind: 'workday', name: '调休' },
    { date: '2026-10-10', kind: 'workday', name: '调休' },
  ]);

  it('puts verification one working day and rectification fifteen after opening', () => {
    expect(dueDate('verifying', '2026-09-30', '2026-09-30', DEFAULT_DEADLINES, calendar)).toBe('2026-10-08');
    // 10-08 9 10(Sat, 调休) | 12–16 | 19–23 | 26 27 → the 15th working day is 10-27.
    expect(dueDate('rectifying', '2026-09-30', '2026-09-30', DEFAULT_DEADLINES, calendar)).toBe('2026-10-27');
    expect(dueDate('awaiting_judgement', '2026-09-30', '2026-09-30', DEFAULT_DEADLINES, calendar)).toBeNull();
  });

  it('climbs warning → urgent warning → talk by working days late', () => {
    const due = '2026-11-20'; // Friday
    expect(escalationLevel(due, '2026-11-20', DEFAULT_DEADLINES, PLAIN_CALENDAR)).toBe(0);
    expect(escalationLevel(due, '2026-11-22', DEFAULT_DEADLINES, PLAIN_CALENDAR)).toBe(1); // weekend: 0 working days late, still past due
    expect(escalationLevel(due, '2026-11-25', DEFAULT_DEADLINES, PLAIN_CALENDAR)).toBe(1); // 3 working days late
    expect(escalationLevel(due, '2026-11-26', DEFAULT_DEADLINES, PLAIN_CALENDAR)).toBe(2); // 4
  });

  it('escalates to a talk after more than eight working days late', () => {
    expect(escalationLevel('2026-11-20', '2026-12-02', DEFAULT_DEADLINES, PLAIN_CALENDAR)).toBe(2); // 8 working days
    expect(escalationLevel('2026-11-20', '2026-12-03', DEFAULT_DEADLINES, PLAIN_CALENDAR)).toBe(3); // 9
  });
});

describe('working days left', () => {
  it('counts working days to the due date, and negative working days past it', () => {
    expect(workingDaysLeft(null, '2026-11-20', PLAIN_CALENDAR)).toBeNull();
    expect(workingDaysLeft('2026-11-20', '2026-11-20', PLAIN_CALENDAR)).toBe(0);
    expect(workingDaysLeft('2026-11-23', '2026-11-20', PLAIN_CALENDAR)).toBe(1); // over the weekend
    expect(workingDaysLeft('2026-11-20', '2026-11-22', PLAIN_CALENDAR)).toBe(0); // past due, only a weekend
    expect(workingDaysLeft('2026-11-20', '2026-11-24', PLAIN_CALENDAR)).toBe(-2);
  });
});

describe('deadline configuration', () => {
  it('reads the stored rules, falling back to the defaults field by field', () => {
    expect(parseCasesConfig(undefined).rules).toEqual(DEFAULT_DEADLINES);
    expect(parseCasesConfig('not json').rules).toEqual(DEFAULT_DEADLINES);
    const config = parseCasesConfig(
      JSON.stringify({
        rules: { rectifyDays: 7, verifyDays: -1 },
        byUnit: { u1: { rectifyDays: 5, judgeDays: 0 } },
      }),
    );
    expect(config.rules).toEqual({ ...DEFAULT_DEADLINES, rectifyDays: 7 });
    expect(config.byUnit).toEqual({ u1: { rectifyDays: 5 } });
  });

  it('takes the nearest override in the ancestry, field by field', () => {
    const config = parseCasesConfig(
      JSON.stringify({
        rules: { rectifyDays: 15 },
        byUnit: { city: { rectifyDays: 7, verifyDays: 2 }, dept: { rectifyDays: 5 } },
      }),
    );
    expect(rulesFor(config, ['window', 'dept', 'city'])).toMatchObject({ rectifyDays: 5, verifyDays: 2 });
    expect(rulesFor(config, ['other', 'city'])).toMatchObject({ rectifyDays: 7, verifyDays: 2 });
    expect(rulesFor(config, ['elsewhere'])).toEqual(DEFAULT_DEADLINES);
  });
});

describe('a rating removed by the office', () => {
  it('dismisses its case from any state but dismissed, and says what to subtract', () => {
    for (const state of ['verifying', 'rectifying', 'awaiting_judgement', 'closed'] as const) {
      expect(transition(at(state), { type: 'rating_removed' })).toMatchObject({
        ok: true,
        state: 'dismissed',
      });
    }
    expect(transition(at('dismissed'), { type: 'rating_removed' })).toMatchObject({ ok: false });
    expect(caseCounters({ repliedAt: null, judgement: null })).toEqual({
      badCases: 1,
      replied: 0,
      rectified: 0,
      judged: 0,
      satisfied: 0,
    });
    expect(caseCounters({ repliedAt: '2026-03-16T02:00:00.000Z', judgement: 'basically_satisfied' })).toEqual(
      {
        badCases: 1,
        replied: 1,
        rectified: 1,
        judged: 1,
        satisfied: 1,
      },
    );
  });
});

describe('counting judgements', () => {
  it('counts each case once, with its latest judgement', () => {
    expect(judgementDelta(null, 'satisfied')).toEqual({ judged: 1, satisfied: 1 });
    expect(judgementDelta(null, 'not_satisfied')).toEqual({ judged: 1, satisfied: 0 });
    expect(judgementDelta('not_satisfied', 'basically_satisfied')).toEqual({ judged: 0, satisfied: 1 });
    expect(judgementDelta('satisfied', 'not_satisfied')).toEqual({ judged: 0, satisfied: -1 });
  });

  it('names each deadline of a case for its warnings', () => {
    expect(warningStage('verifying', 0)).toBe('verifying:0');
    expect(warningStage('rectifying', 2)).toBe('rectifying:2');
  });
});

describe('masking personal data for the public', () => {
  it('masks mobile, landline and ID numbers and long digit runs, and leaves the rest as written', () => {
    expect(maskPersonalData('联系我13912345678，谢谢')).toBe('联系我139****5678，谢谢');
    expect(maskPersonalData('身份证11010519900101123X')).toBe('身份证110105************');
    expect(maskPersonalData('座机010-87654321')).toBe('座机010-********');
    expect(maskPersonalData('卡号6222020200112233445')).toBe('卡号*******************');
    expect(maskPersonalData('全角１３９１２３４５６７８')).toBe('全角139****5678');
    expect(maskPersonalData('排队2小时，跑了3次')).toBe('排队2小时，跑了3次');
  });
});
