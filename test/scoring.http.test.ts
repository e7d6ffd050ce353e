import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createToken } from '../src/core/auth/service.js';
import type { SchemeDefinition } from '../src/scoring/model.js';
import type { RunDetail, SchemeDetail } from '../src/scoring/service.js';
import { scoringDefinition, seedScoring, seedValues, type ScoringFixture } from '../src/scoring/testing.js';
import { bearerClient, describeEachApp, expectError, signInFresh } from './support/checks.js';
import { makeAccount, SYSTEM } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * The scoring API end to end over HTTP: a scheme is created, scores are imported from a file and sent
 * by a service system, a run is computed, moved through its review stages and published, and the public
 * sees the lists without any person's name. Bad input is refused with a code and changes nothing.
 */

const boundary = '----scoring-test';
function multipart(fields: Record<string, string>, filename: string, text: string) {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload:
      parts.join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: text/csv\r\n\r\n${text}\r\n--${boundary}--\r\n`,
  };
}

const count = async (
  t: ReturnType<Parameters<Parameters<typeof describeEachApp>[1]>[0]>,
  table: 'schemes' | 'scoreValues' | 'scoringRuns' | 'runReviews' | 'sheetScores',
) => {
  const row = await t.deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

describeEachApp('scoring over HTTP', (t) => {
  let f: ScoringFixture;
  let office: Client;
  let leader: Client;
  let officeName: string;
  let scheme: SchemeDetail;

  beforeAll(async () => {
    const { app, deps } = t();
    f = await seedScoring(deps, 'http');
    await seedValues(deps, f);
    const officeAccount = await makeAccount(deps, 'office', { username: 'scoring-office' });
    officeName = officeAccount.displayName;
    office = await signInFresh(app, officeAccount.username);
    leader = await signInFresh(app, (await makeAccount(deps, 'leader')).username);
  });

  it('creates a scheme, refuses an unsound one naming the component, and checks drafts without storing', async () => {
    const definition = scoringDefinition(f);
    const created = await office.post('/api/schemes', { code: 'http-scheme', name: '科室考核', definition });
    expect(created.statusCode).toBe(201);
    scheme = created.json<SchemeDetail>();
    expect(scheme).toMatchObject({
      code: 'http-scheme',
      latestVersion: 1,
      versions: [{ createdBy: officeName }],
    });

    const before = await count(t(), 'schemes');
    const broken: SchemeDefinition = structuredClone(definition);
    const joint = broken.root.children?.[2];
    if (joint) joint.maxPoints = 40;
    expectError(
      await office.post('/api/schemes', { code: 'http-bad', name: '坏方案', definition: broken }),
      400,
      'invalid_scheme',
      { component: 'total' },
    );
    expectError(
      await office.post('/api/schemes', {
        code: 'http-issuer',
        name: '发文单位',
        definition: { ...definition, issuer: '示范区\n考核办' },
      }),
      400,
      'invalid_scheme',
      { component: null, problem: 'bad_issuer' },
    );
    expectError(
      await office.post('/api/schemes', { code: 'http-scheme', name: '重复', definition }),
      409,
      'duplicate',
    );
    expectError(
      await office.post('/api/schemes', { code: 'x y', name: '编码', definition }),
      400,
      'invalid_code',
    );
    expect(await count(t(), 'schemes')).toBe(before);

    const check = await office.post('/api/schemes/check', { definition: broken });
    expect(check.statusCode).toBe(200);
    expect(
      check.json<{ problems: { component: string | null }[] }>().problems.map((p) => p.component),
    ).toContain('total');
    expect((await office.post('/api/schemes/check', { definition })).json()).toEqual({ problems: [] });

    const version = await office.post(`/api/schemes/${scheme.id}/versions`, { definition, note: '第二版' });
    expect(version.statusCode).toBe(201);
    expect((await leader.get(`/api/schemes/${scheme.id}/versions/2`)).json()).toMatchObject({
      version: 2,
      note: '第二版',
    });
    expectError(await leader.get(`/api/schemes/${scheme.id}/versions/9`), 404, 'not_found');
    expectError(
      await leader.post('/api/schemes', { code: 'by-leader', name: '领导', definition }),
      403,
      'forbidden',
    );
    const templates = await leader.get('/api/scheme-templates');
    expect(templates.json<{ key: string }[]>().map((x) => x.key)).toEqual([
      'caidian',
      'chuzhou',
      'nanchuan',
      'xian',
      'taian',
    ]);
  });

  it('imports a score file: preview, apply, and an all-or-nothing refusal when a line is wrong', async () => {
    const fields = { series: 'inspection', periodId: f.period2026, document: '人大视察报告' };
    const text = `单位编码,分值,备注\n${f.s1.code},9.5,\n${f.s2.code},8,`;
    const upload = (apply: string, body = text) =>
      office.request({
        method: 'POST',
        url: '/api/scores/import',
        ...multipart({ ...fields, apply }, 's.csv', body),
      });
    const preview = await upload('false');
    expect(preview.statusCode).toBe(200);
    expect(preview.json<{ applied: boolean; rows: { status: string }[] }>()).toMatchObject({
      applied: false,
      rows: [{ status: 'new' }, { status: 'new' }],
    });
    expect((await upload('true')).json()).toMatchObject({ applied: true });
    const stored = await leader.get(`/api/scores?series=inspection&periodId=${f.period2026}`);
    expect(
      stored
        .json<{ unitCode: string; value: number; enteredBy: string }[]>()
        .map((v) => [v.unitCode, v.value, v.enteredBy]),
    ).toEqual([
      [f.s1.code, 9.5, officeName],
      [f.s2.code, 8, officeName],
    ]);

    const values = await count(t(), 'scoreValues');
    expectError(await upload('true', `单位编码,分值\n${f.s1.code},7\nNOPE,6`), 400, 'import_has_errors', {
      line: 3,
    });
    expectError(await upload('true', 'a,b\n1,2'), 400, 'no_score_columns');
    expectError(await upload('maybe'), 400, 'invalid_input', { field: 'apply' });
    expectError(
      await office.request({
        method: 'POST',
        url: '/api/scores/import',
        ...multipart({ ...fields, apply: 'true' }, 's.txt', text),
      }),
      400,
      'unsupported_file',
    );
    expect(await count(t(), 'scoreValues')).toBe(values);
    const series = await leader.get('/api/scores/series');
    const listed =
      series.json<{ series: string; seriesName: string | null; periodId: string; count: number }[]>();
    // No scheme reads the new series yet, so it has no name; the fixture scheme's survey leaf names its series.
    expect(listed).toContainEqual(
      expect.objectContaining({ series: 'inspection', seriesName: null, periodId: f.period2026, count: 2 }),
    );
    expect(listed).toContainEqual(
      expect.objectContaining({ series: 'survey', seriesName: '第三方电话抽访' }),
    );
  });

  it('a service system stores scores with a scores:write token; other tokens are refused', async () => {
    const { app, deps } = t();
    const writer = await createToken(deps, SYSTEM, { name: '第三方调查系统', scopes: ['scores:write'] });
    const reader = await createToken(deps, SYSTEM, { name: '只读', scopes: ['registry:read'] });
    const body = {
      series: 'hotline',
      periodId: f.period2026,
      document: '12345 热线分析报告',
      values: [{ unitCode: f.s3.code, value: 91 }],
    };
    const ok = await bearerClient(app, writer.token).post('/api/scores', body);
    expect(ok.json()).toEqual({ stored: 1, unchanged: 0 });
    expect((await bearerClient(app, writer.token).post('/api/scores', body)).json()).toEqual({
      stored: 0,
      unchanged: 1,
    });
    const values = await count(t(), 'scoreValues');
    expectError(
      await bearerClient(app, writer.token).post('/api/scores', {
        ...body,
        values: [
          { unitCode: f.s3.code, value: 90 },
          { unitCode: 'GHOST', value: 1 },
        ],
      }),
      400,
      'unknown_unit',
      { line: 2 },
    );
    expectError(
      await bearerClient(app, writer.token).post('/api/scores', {
        ...body,
        values: [{ unitCode: f.s3.code, value: '9' }],
      }),
      400,
      'invalid_input',
    );
    expectError(await bearerClient(app, reader.token).post('/api/scores', body), 403, 'forbidden');
    expect(await count(t(), 'scoreValues')).toBe(values);
    const history = await leader.get(`/api/scores?series=hotline&periodId=${f.period2026}`);
    expect(history.json<{ enteredBy: string }[]>()[0]?.enteredBy).toBe('第三方调查系统');
  });

  it('score sheets: the lead unit never scores itself', async () => {
    const sheets = await count(t(), 'sheetScores');
    expectError(
      await office.post('/api/score-sheets', {
        task: f.taskKey,
        periodId: f.period2026,
        document: '联考评分表',
        entries: [{ unitId: f.lead.id, value: 30 }],
      }),
      400,
      'self_scoring',
    );
    expect(await count(t(), 'sheetScores')).toBe(sheets);
    const list = await leader.get(`/api/score-sheets?task=${f.taskKey}&periodId=${f.period2026}`);
    expect(
      list
        .json<{ unitId: string; value: number; scorerUnitName: string }[]>()
        .map((s) => [s.unitId, s.value, s.scorerUnitName]),
    ).toEqual(
      [
        [f.s4.id, 24, '区效能办'],
        [f.s2.id, 27, '区效能办'],
        [f.s1.id, 30, '区效能办'],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? 1 : -1)),
    );
    const tasks = await leader.get('/api/scoring-tasks');
    expect(tasks.json<{ key: string; leadUnitName: string }[]>()).toContainEqual(
      expect.objectContaining({ key: f.taskKey, leadUnitName: '区效能办' }),
    );
  });

  it('computes a run, reviews it stage by stage, locks, publishes and exports it; the public sees no names', async () => {
    const runs = await count(t(), 'scoringRuns');
    for (const [body, code] of [
      [{ schemeId: scheme.id, periodId: f.period2026, groupKey: 'nope' }, 'unknown_group'],
      [{ schemeId: scheme.id, periodId: 'nope', groupKey: 'sections' }, 'unknown_period'],
      [{ schemeId: 'nope', periodId: f.period2026, groupKey: 'sections' }, 'unknown_scheme'],
      [{ schemeId: scheme.id, version: 7, periodId: f.period2026, groupKey: 'sections' }, 'unknown_version'],
    ] as const) {
      expectError(await office.post('/api/runs', body), 400, code);
    }
    expectError(
      await leader.post('/api/runs', { schemeId: scheme.id, periodId: f.period2026, groupKey: 'sections' }),
      403,
      'forbidden',
    );
    expect(await count(t(), 'scoringRuns')).toBe(runs);

    // The 2026 period has not ended on the test clock, and the survey has no value for 市场监管科:
    // the check names both, and computing is refused until the request accepts them.
    const request = { schemeId: scheme.id, periodId: f.period2026, groupKey: 'sections' };
    const check = await office.post('/api/runs/check', request);
    expect(check.statusCode).toBe(200);
    const warnings = check.json<{ warnings: { code: string; params: Record<string, unknown> }[] }>().warnings;
    expect(warnings.map((w) => w.code)).toEqual([
      'period_not_ended',
      'source_partly_without_values',
      'source_partly_without_values',
    ]);
    expect(warnings[0]?.params).toMatchObject({ endDate: '2026-12-31' });
    expectError(await office.post('/api/runs', request), 409, 'warnings_not_accepted');
    expectError(
      await office.post('/api/runs', { ...request, acceptWarnings: ['period_not_ended'] }),
      409,
      'warnings_not_accepted',
    );
    expect(await count(t(), 'scoringRuns')).toBe(runs);
    const created = await office.post('/api/runs', {
      ...request,
      acceptWarnings: ['period_not_ended', 'source_partly_without_values'],
    });
    expect(created.statusCode).toBe(201);
    const run = created.json<RunDetail>();
    expect(run.units.map((u) => [u.code, u.total, u.rank, u.parentName])).toEqual([
      [f.s1.code, 90, 1, '示范区'],
      [f.s2.code, 87, 2, '示范区'],
      [f.s3.code, 68, 3, '示范区'],
      [f.s4.code, 54, 4, '示范区'],
    ]);
    expect(run).toMatchObject({
      version: 2,
      groupName: '科室',
      status: 'computed',
      computedBy: officeName,
      nextStage: 0,
    });
    expect(run.components.map((c) => [c.id, c.depth])).toEqual([
      ['total', 0],
      ['service', 1],
      ['survey', 1],
      ['joint', 1],
    ]);
    expect((await leader.get(`/api/runs?schemeId=${scheme.id}`)).json<{ id: string }[]>()[0]?.id).toBe(
      run.id,
    );
    const unit = await leader.get(`/api/runs/${run.id}/units/${f.s3.id}`);
    expect(
      unit.json<{ explanation: { children: { id: string; flags: string[] }[] } }>().explanation.children[2],
    ).toMatchObject({
      id: 'joint',
      flags: ['average_substituted'],
    });
    expectError(await leader.get(`/api/runs/${run.id}/units/${f.lead.id}`), 404, 'not_found');
    expectError(
      await t().app.inject({ method: 'GET', url: `/api/public/results/${run.id}` }),
      404,
      'not_found',
    );

    const review = (body: object) => office.post(`/api/runs/${run.id}/reviews`, body);
    const reviews = await count(t(), 'runReviews');
    expectError(
      await review({ stageIndex: 0, body: '区纪委', decidedOn: '2026-03-20', decision: 'approve' }),
      400,
      'bad_decision_date',
    );
    expectError(
      await review({ stageIndex: 1, body: '区委', decidedOn: '2026-03-16', decision: 'approve' }),
      400,
      'wrong_stage',
    );
    expectError(
      await review({ stageIndex: 0, body: '区纪委', decidedOn: '2026-02-30', decision: 'approve' }),
      400,
      'invalid_date',
    );
    expectError(
      await review({ stageIndex: 0, body: '区纪委', decidedOn: '20260320', decision: 'approve' }),
      400,
      'invalid_input',
    );
    expectError(
      await review({
        stageIndex: 0,
        body: '区纪委',
        decidedOn: '2026-03-16',
        decision: 'amend',
        best: [f.s1.id],
      }),
      400,
      'reason_required',
    );
    expectError(
      await review({
        stageIndex: 0,
        body: '区纪委',
        decidedOn: '2026-03-16',
        decision: 'amend',
        best: [f.s3.id],
        worst: [],
        reason: '加入',
      }),
      400,
      'not_on_list',
    );
    expectError(await office.post(`/api/runs/${run.id}/publish`), 409, 'not_approved');
    expect(await count(t(), 'runReviews')).toBe(reviews);

    const amended = await review({
      stageIndex: 0,
      body: '区纪委',
      decidedOn: '2026-03-16',
      decision: 'amend',
      best: [f.s1.id],
      worst: [f.s4.id, f.s3.id],
      reason: '社会事务科有信访未结',
      // The stage keeps two; the amended best list has one.
      acceptWarnings: ['list_size_differs'],
    });
    expect(amended.json<RunDetail>()).toMatchObject({
      status: 'in_review',
      current: { best: [f.s1.id], worst: [f.s4.id, f.s3.id] },
    });
    const approved = await review({
      stageIndex: 1,
      body: '区委',
      decidedOn: '2026-03-16',
      decision: 'approve',
    });
    expect(approved.json<RunDetail>()).toMatchObject({
      status: 'approved',
      nextStage: null,
      current: { best: [f.s1.id], worst: [f.s4.id] },
    });
    expectError(
      await review({ stageIndex: 2, body: '区委', decidedOn: '2026-03-16', decision: 'approve' }),
      409,
      'run_locked',
    );

    const problems = await office.request({
      method: 'PUT',
      url: `/api/runs/${run.id}/problems/${f.s4.id}`,
      payload: { text: '市场主体登记材料反复退回' },
    });
    expect(problems.json()).toEqual({ unitId: f.s4.id, text: '市场主体登记材料反复退回' });
    const toPublish = await leader.get(`/api/runs/${run.id}/warnings`);
    expect(toPublish.json<{ warnings: { code: string }[] }>().warnings.map((w) => w.code)).toEqual([
      'period_not_ended',
      'source_partly_without_values',
      'source_partly_without_values',
    ]);
    expectError(await office.post(`/api/runs/${run.id}/publish`), 409, 'warnings_not_accepted');
    const published = await office.post(`/api/runs/${run.id}/publish`, {
      acceptWarnings: ['period_not_ended', 'source_partly_without_values'],
    });
    expect(published.json<RunDetail>()).toMatchObject({
      status: 'published',
      problems: { [f.s4.id]: '市场主体登记材料反复退回' },
    });
    expectError(await office.post(`/api/runs/${run.id}/publish`), 409, 'not_approved');
    expectError(
      await office.request({
        method: 'PUT',
        url: `/api/runs/${run.id}/problems/${f.s4.id}`,
        payload: { text: '改' },
      }),
      409,
      'run_locked',
    );

    const file = await leader.get(`/api/runs/${run.id}/export.xlsx`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('结果');
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      '名次',
      '单位编码',
      '单位名称',
      '即时评价好评率（40）',
      '第三方电话抽访（30）',
      '联考（30）',
      '总分',
      '95% 下限',
      '95% 上限',
      '等次',
      '按实际得分',
      '上期名次',
      '名次变化',
      '标记',
      '主要问题',
    ]);
    expect(sheet?.getRow(5).getCell(2).value).toBe(f.s4.code);
    expect(sheet?.getRow(5).getCell(7).value).toBe(54);
    expect(sheet?.getRow(5).getCell(15).value).toBe('市场主体登记材料反复退回');

    const anonymous = (url: string) => t().app.inject({ method: 'GET', url });
    const list = await anonymous('/api/public/results');
    expect(list.json<{ id: string; kind: string }[]>()).toContainEqual(
      expect.objectContaining({ id: run.id, kind: 'best_worst', groupName: '科室' }),
    );
    const result = await anonymous(`/api/public/results/${run.id}`);
    const view = result.json<{
      best: { code: string }[];
      worst: { code: string; problems: string | null }[];
      stages: object[];
      inputsDigest: string;
    }>();
    expect(view.best.map((r) => r.code)).toEqual([f.s1.code]);
    expect(view.worst).toEqual([
      expect.objectContaining({
        code: f.s4.code,
        parentName: '示范区',
        problems: '市场主体登记材料反复退回',
      }),
    ]);
    expect(view.stages).toHaveLength(2);
    // The fixture's scheme names no issuing office: the notice says 考核办公室.
    expect(result.json<{ issuer: string | null }>().issuer).toBeNull();
    expect(
      result
        .json<{ components: { id: string; maxPoints: number }[] }>()
        .components.map((c) => [c.id, c.maxPoints]),
    ).toEqual([
      ['total', 100],
      ['service', 40],
      ['survey', 30],
      ['joint', 30],
    ]);
    expect(view.inputsDigest).toBe(run.inputsDigest);
    const explained = await anonymous(`/api/public/results/${run.id}/units/${f.s1.id}`);
    expect(explained.statusCode).toBe(200);
    expect(explained.json<{ name: string; parentName: string | null }>()).toMatchObject({
      name: f.s1.name,
      parentName: '示范区',
    });
    for (const res of [list, result, explained] as LightMyRequestResponse[]) {
      expect(res.body).not.toContain(officeName);
      expect(res.body).not.toContain('fixture');
      expect(res.body).not.toContain('recordedBy');
    }
    expect(explained.body).toContain('from 《第三方电话抽访报告》');
  });

  it('vetoes: recorded with reason and evidence, revoked once', async () => {
    const veto = await office.post('/api/vetoes', {
      unitId: f.s2.id,
      periodId: f.period2026,
      schemeId: scheme.id,
      reason: '发生群体性事件',
      evidence: '区委办通报〔2026〕5号',
    });
    expect(veto.statusCode).toBe(201);
    const id = veto.json<{ id: string }>().id;
    expectError(
      await office.post('/api/vetoes', {
        unitId: 'nope',
        periodId: f.period2026,
        reason: 'x',
        evidence: 'y',
      }),
      400,
      'unknown_unit',
    );
    expectError(
      await office.post('/api/vetoes', {
        unitId: f.s2.id,
        periodId: f.period2026,
        reason: '  ',
        evidence: 'y',
      }),
      400,
      'invalid_input',
    );
    const revoked = await office.post(`/api/vetoes/${id}/revoke`, { reason: '复核撤销' });
    expect(revoked.json()).toMatchObject({ revokeReason: '复核撤销', recordedBy: officeName });
    expectError(await office.post(`/api/vetoes/${id}/revoke`, { reason: '再撤' }), 409, 'already_revoked');
    const listed = await leader.get(`/api/vetoes?periodId=${f.period2026}`);
    expect(listed.json<{ id: string; unitName: string }[]>()).toContainEqual(
      expect.objectContaining({ id, unitName: '社会事务科' }),
    );
  });
});
