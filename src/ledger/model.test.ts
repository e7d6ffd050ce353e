import { describe, expect, it } from 'vitest';
import { PLAIN_CALENDAR } from '../core/calendar/model.js';
import {
  DEFAULT_LEDGER_RULES,
  evidenceProblem,
  itemDueDate,
  itemTransition,
  mainProblemsText,
  pendingReview,
  servedInline,
  sniffType,
  type ItemFacts,
} from './model.js';

const facts = (over: Partial<ItemFacts>): ItemFacts => ({
  state: 'planning',
  target: '窗口零推诿',
  measures: '首问负责，一次告知',
  progressText: '',
  resultText: '',
  evidence: 0,
  ...over,
});

describe('a ledger item', () => {
  it('goes through the three reviews to closed', () => {
    let f = facts({});
    const step = (action: Parameters<typeof itemTransition>[1]) => {
      const r = itemTransition(f, action);
      if (!r.ok) throw new Error(r.code);
      f = { ...f, state: r.state };
      return r.state;
    };
    expect(step({ type: 'submit_plan' })).toBe('plan_review');
    expect(step({ type: 'review', stage: 'plan', approve: true, reason: '' })).toBe('executing');
    f.progressText = '已完成培训';
    expect(step({ type: 'submit_progress' })).toBe('progress_review');
    expect(step({ type: 'review', stage: 'progress', approve: true, reason: '' })).toBe('finishing');
    f.resultText = '群众回访满意';
    f.evidence = 1;
    expect(step({ type: 'submit_result' })).toBe('result_review');
    expect(step({ type: 'review', stage: 'result', approve: true, reason: '' })).toBe('closed');
  });

  it('refuses a review out of order, and names the one it waits for', () => {
    const r = itemTransition(facts({ state: 'plan_review' }), {
      type: 'review',
      stage: 'result',
      approve: true,
      reason: '',
    });
    expect(r).toMatchObject({ ok: false, code: 'review_out_of_order' });
    if (!r.ok) expect(r.message).toContain('整改计划审核');
    expect(pendingReview('progress_review')).toBe('progress');
    expect(pendingReview('executing')).toBeNull();
  });

  it('is returned only with a reason, to the step before', () => {
    const noReason = itemTransition(facts({ state: 'progress_review' }), {
      type: 'review',
      stage: 'progress',
      approve: false,
      reason: '  ',
    });
    expect(noReason).toMatchObject({ ok: false, code: 'reason_required' });
    const returned = itemTransition(facts({ state: 'progress_review' }), {
      type: 'review',
      stage: 'progress',
      approve: false,
      reason: '进度材料不全',
    });
    expect(returned).toEqual({ ok: true, state: 'executing', reopened: false });
  });

  it('closes only with evidence: neither the result can be submitted nor approved without it', () => {
    expect(
      itemTransition(facts({ state: 'finishing', resultText: '已整改' }), { type: 'submit_result' }),
    ).toMatchObject({ ok: false, code: 'evidence_required' });
    expect(
      itemTransition(facts({ state: 'result_review', resultText: '已整改', evidence: 0 }), {
        type: 'review',
        stage: 'result',
        approve: true,
        reason: '',
      }),
    ).toMatchObject({ ok: false, code: 'evidence_required' });
  });

  it('refuses an incomplete plan and a submission in the wrong state', () => {
    expect(itemTransition(facts({ measures: '' }), { type: 'submit_plan' })).toMatchObject({
      ok: false,
      code: 'plan_incomplete',
    });
    expect(itemTransition(facts({ state: 'closed' }), { type: 'submit_plan' })).toMatchObject({
      ok: false,
      code: 'ledger_wrong_state',
    });
  });

  it('is reopened when the problem is back, and an open item stays where it is', () => {
    expect(itemTransition(facts({ state: 'closed' }), { type: 'problem_back' })).toEqual({
      ok: true,
      state: 'executing',
      reopened: true,
    });
    expect(itemTransition(facts({ state: 'finishing' }), { type: 'problem_back' })).toEqual({
      ok: true,
      state: 'finishing',
      reopened: false,
    });
  });
});

describe('deadlines', () => {
  // 2026-03-16 is a Monday.
  it('the plan is due 5 working days after opening, skipping the weekend', () => {
    expect(itemDueDate('planning', '2026-03-16', '2026-04-27', DEFAULT_LEDGER_RULES, PLAIN_CALENDAR)).toBe(
      '2026-03-23',
    );
  });

  it('the progress report 10 working days after approval, never after the final deadline', () => {
    expect(itemDueDate('executing', '2026-03-16', '2026-04-27', DEFAULT_LEDGER_RULES, PLAIN_CALENDAR)).toBe(
      '2026-03-30',
    );
    expect(itemDueDate('executing', '2026-03-16', '2026-03-20', DEFAULT_LEDGER_RULES, PLAIN_CALENDAR)).toBe(
      '2026-03-20',
    );
  });

  it('the result by the final deadline; nothing is due while the office reviews', () => {
    expect(itemDueDate('finishing', '2026-03-16', '2026-04-27', DEFAULT_LEDGER_RULES, PLAIN_CALENDAR)).toBe(
      '2026-04-27',
    );
    expect(itemDueDate('finishing', '2026-05-04', '2026-04-27', DEFAULT_LEDGER_RULES, PLAIN_CALENDAR)).toBe(
      '2026-05-11',
    );
    expect(
      itemDueDate('plan_review', '2026-03-16', '2026-04-27', DEFAULT_LEDGER_RULES, PLAIN_CALENDAR),
    ).toBeNull();
  });
});

describe('evidence files', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  const text = (s: string) => new TextEncoder().encode(s);

  it('sniffs the type from the bytes, whatever the name says', () => {
    expect(sniffType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0))).toBe('image/jpeg');
    expect(sniffType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffType(text('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffType(text('<svg onload="alert(1)">'))).toBeNull();
    expect(sniffType(text('MZ\x90\0'))).toBeNull();
    expect(sniffType(text('<html><script>'))).toBeNull();
  });

  it('refuses empty, too large and unknown files with a reason', () => {
    expect(evidenceProblem(bytes())?.code).toBe('file_empty');
    expect(evidenceProblem(bytes(0xff, 0xd8, 0xff, 1, 2), 4)?.code).toBe('file_too_large');
    expect(evidenceProblem(text('#!/bin/sh\nrm -rf /'))?.code).toBe('file_type_not_allowed');
    expect(evidenceProblem(bytes(0xff, 0xd8, 0xff, 1))).toBeNull();
  });

  it('shows only raster images in the page; PDFs and scans download', () => {
    expect(servedInline('image/png')).toBe(true);
    expect(servedInline('application/pdf')).toBe(false);
    expect(servedInline('image/tiff')).toBe(false);
  });
});

describe('main problems for a scoring run', () => {
  it('lists the largest problems first, numbered, with their counts', () => {
    expect(
      mainProblemsText([
        { title: '窗口推诿', count: 3 },
        { title: '排队时间长', count: 12 },
        { title: '收费不公示', count: 3 },
      ]),
    ).toBe('1. 排队时间长（12条）；2. 收费不公示（3条）；3. 窗口推诿（3条）');
  });
});
