import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { RULE_PRESETS } from '../src/outcomes/model.js';
import type { ConsequenceView, RunOutcomes, UnitRecord } from '../src/outcomes/types.js';
import { publish, publishedFixture } from '../src/outcomes/testing.js';
import type { ScoringFixture } from '../src/scoring/testing.js';
import { describeEachApp, expectError, signInFresh } from './support/checks.js';
import { makeAccount } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * Result application over HTTP: the office sets a scheme's rules from a preset, reads what a published
 * result calls for, confirms a consequence once (a second decision is refused and stores nothing), and
 * the unit's record downloads as a workbook the personnel department can read.
 */

describeEachApp('outcomes over HTTP', (t) => {
  let f: ScoringFixture;
  let schemeId: string;
  let run2026: string;
  let office: Client;
  let officeName: string;

  beforeAll(async () => {
    const { app, deps, clock } = t();
    clock.set('2026-03-16T02:00:00.000Z');
    ({ f, schemeId } = await publishedFixture(deps, 'ochttp'));
    await publish(deps, schemeId, f.period2025);
    run2026 = await publish(deps, schemeId, f.period2026);
    const account = await makeAccount(deps, 'office');
    officeName = account.displayName;
    office = await signInFresh(app, account.username);
  });

  it('sets rules, confirms the proposed bonus cut once, and refuses a second decision', async () => {
    const xian = RULE_PRESETS.find((p) => p.key === 'xian')?.rules ?? [];
    expectError(
      await office.request({
        method: 'PUT',
        url: `/api/outcomes/rules/${schemeId}`,
        payload: { rules: [{ ...xian[0], months: 3 }] },
      }),
      400,
      'invalid_months',
      { rule: 1 },
    );
    expect(
      (
        await office.request({
          method: 'PUT',
          url: `/api/outcomes/rules/${schemeId}`,
          payload: { rules: xian },
        })
      ).statusCode,
    ).toBe(200);
    const outcomes = (await office.get(`/api/outcomes/runs/${run2026}`)).json<RunOutcomes>();
    expect(outcomes.items.map((i) => i.proposal.ruleName)).toEqual([
      '降幅最大：下调年度考核奖金5%',
      '降幅最大：主要领导、分管领导不能评为优秀等次',
    ]);
    const body = { ruleKey: 'decline_bonus', unitId: f.s4.id, decision: 'confirm' };
    const res = await office.post(`/api/outcomes/runs/${run2026}/decisions`, body);
    expect(res.statusCode).toBe(201);
    expect(res.json<ConsequenceView>()).toMatchObject({
      status: 'confirmed',
      decidedBy: officeName,
      percent: 5,
    });
    expectError(await office.post(`/api/outcomes/runs/${run2026}/decisions`, body), 409, 'already_decided');
    const list = (await office.get(`/api/outcomes/consequences?unitId=${f.s4.id}`)).json<ConsequenceView[]>();
    expect(list).toHaveLength(1);
  });

  it('downloads a unit’s record as .xlsx with its results and consequences', async () => {
    const record = (await office.get(`/api/outcomes/units/${f.s4.id}/record`)).json<UnitRecord>();
    expect(record.results.map((r) => r.rank)).toEqual([4, 2]);
    const res = await office.get(`/api/outcomes/units/${f.s4.id}/record.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`minping-record-${f.s4.code}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const results = workbook.getWorksheet('考核结果');
    expect(results?.getRow(3).values).toEqual([
      undefined,
      '2026年度',
      '科室满意度考核',
      '科室',
      '2026-03-16',
      54,
      4,
      4,
      '合格',
      '下降2位',
      '后进榜',
      '降幅最大',
    ]);
    const consequences = workbook.getWorksheet('结果运用');
    expect(consequences?.getRow(2).getCell(2).value).toBe('降幅最大：下调年度考核奖金5%（下调考核奖金5%）');
    expect(consequences?.getRow(2).getCell(10).value).toBe(officeName);
  });
});
