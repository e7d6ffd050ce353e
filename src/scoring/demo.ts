/*
 * The demo's assessments (考核评比) over 示范市: the five seed models created from the templates, the
 * scores they import (third-party surveys, inspections, the province's ranks, the city's satisfaction
 * survey, the 冷懒推乱贪 ballots that stand in for campaigns), Chuzhou's lead-unit tasks and score sheets,
 * a few vetoes with their reasons, and runs moved through review and published:
 *
 * - 十佳十差 (Caidian) for 2026, sections and stations, through all three stages (one amendment), published;
 * - 最难办事科室 (Nanchuan) for the first half of 2026, with the main problems of the ten hardest, published;
 * - public satisfaction (Xi'an) for the first three quarters, published in turn, so that rank changes, the
 *   largest decline and a decline two quarters running show;
 * - Chuzhou's efficiency assessment computed and approved (a veto that beats a promotion; bonus by score);
 * - Tai'an's 好差评 part computed (no stages: it stands as computed).
 *
 * Everything goes through the scoring services as the office's account (考核办 王丽), each step at its own
 * instant of 2026. A run that reads instant-rating statistics is computed only once every record of its
 * period has settled (ratings, defaults, replies, judgements), so that `minping verify result` — which
 * recounts the raw records as they stood at that instant — finds it identical. Values come from a seeded
 * generator, so every load has the same numbers.
 */
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import { chinaDate } from '../core/time.js';
import { depsAt } from '../cases/demo.js';
import { accountByUsername } from '../core/auth/store.js';
import { seededRandom } from '../registry/demo.js';
import { listPeriods } from '../registry/store.js';
import { unitsWithCategoryOn } from '../registry/tree.js';
import {
  computeRun,
  createScheme,
  createTask,
  enterSheetScores,
  publishRun,
  recordReview,
  recordVeto,
  setProblems,
  storeScores,
  type RunDetail,
} from './service.js';
import * as store from './store.js';
import { CHUZHOU_SHEET_TASKS, SCHEME_TEMPLATES, XIAN_ITEMS } from './templates.js';

export interface ScoringDemo {
  schemes: number;
  /** Imported values stored. */
  scores: number;
  /** Score-sheet entries stored (联考). */
  sheets: number;
  vetoes: number;
  runs: number;
  published: number;
  /** What each published or approved run is, for the console's summary. */
  results: string[];
}

/** The office account the demo acts as. */
export const DEMO_OFFICE_USERNAME = 'office';

const SEED = 20_261_121;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A China-time moment ('2026-04-13 10:00') as an instant. */
const cn = (local: string): number => Date.parse(`${local.replace(' ', 'T')}:00+08:00`);

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp = (x: number, low: number, high: number) => Math.min(high, Math.max(low, x));

/** Sections and stations the public finds harder to deal with (their windows are rated clearly worse). */
const HARD_UNITS: ReadonlyMap<string, number> = new Map([
  ['SFS-D37-S01', -2.2],
  ['SFS-D22-S01', -1.9],
  ['SFS-D06-S04', -1.7],
  ['SFS-D06-S04-Z01', -2],
  ['SFS-Q04-Z01', -1.8],
  ['SFS-D07-S04', -1.6],
  ['SFS-D10-S02', -1.4],
  ['SFS-D26-Z04', -0.4],
]);

/** Main problems (主要问题) of the sections the demo's stories are about, as the office writes them. */
const KNOWN_PROBLEMS: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'SFS-D37-S01',
    ['推：办理不动产转移登记需多次往返，材料要求未一次性告知', '冷：高峰期窗口排长队，工作人员解释不耐心'],
  ],
  ['SFS-D22-S01', ['推：个体工商户登记材料被反复退回，要求重复提交', '冷：咨询电话长时间无人接听']],
  [
    'SFS-D06-S04',
    ['推：车辆管理所机动车登记业务让群众在窗口之间来回跑', '懒：等候时间过长，高峰期部分窗口未开放'],
  ],
  [
    'SFS-D07-S04',
    [
      '乱：殡仪服务收费项目和标准公示不清，群众反映存在捆绑收费',
      '冷：服务大厅设施陈旧，接待群众不够耐心细致',
    ],
  ],
  [
    'SFS-D10-S02',
    [
      '懒：城乡居民养老保险待遇核定办理拖拉，承诺时限内未办结',
      '冷：窗口工作人员态度生硬（7月起已整改，差评明显减少）',
    ],
  ],
]);

/** The five indicators of Nanchuan's ballot and how each shows (冷懒推乱贪的具体表现). */
const MANIFESTATIONS: readonly (readonly [string, number, readonly string[]])[] = [
  [
    '冷',
    3,
    [
      '工作人员态度生硬，对群众咨询不耐烦、答复简单',
      '接待群众不主动，“脸难看、话难听”',
      '电话咨询长时间无人接听，接听后敷衍了事',
    ],
  ],
  [
    '懒',
    3,
    [
      '办事拖拉，承诺时限内未办结，群众反复催办',
      '上班时间离岗、玩手机，群众等候时间长',
      '对差评和群众反映的问题不研究、不回复，整改不及时',
    ],
  ],
  [
    '推',
    3,
    [
      '推诿扯皮，让群众在科室之间来回跑',
      '材料要求未一次性告知，群众多次补交材料',
      '涉及多部门的事项互相推脱，无人牵头协调',
    ],
  ],
  [
    '乱',
    2,
    [
      '办事流程和材料要求前后不一，执行标准不统一',
      '随意增设前置条件和证明材料',
      '收费项目和标准公示不清，群众反映收费不透明',
    ],
  ],
  ['贪', 0.3, ['群众反映个别工作人员暗示“找熟人”办事', '优亲厚友，存在插队办理、选择性服务']],
];

class Dice {
  constructor(private readonly rng: () => number) {}

  /** Uniform in [−1, 1). */
  noise(): number {
    return this.rng() * 2 - 1;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }

  /** Roughly normal with mean 0 and standard deviation 1 (sum of three uniforms). */
  normal(): number {
    return (this.rng() + this.rng() + this.rng() - 1.5) * 2;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.rng() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  pick<T>(list: readonly T[]): T {
    const item = list[Math.floor(this.rng() * list.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

interface DemoUnit {
  id: string;
  code: string;
  name: string;
  category: string | null;
}

/** The latest instant any record counted in the period's rating statistics was written or changed. */
async function ratingsSettledAt(
  db: Executor,
  period: { startDate: string; endDate: string },
): Promise<number> {
  const instants = (await store.ratingRecordsLatest(db, period)).flatMap((x) =>
    typeof x === 'string' ? [Date.parse(x)] : [],
  );
  return Math.max(0, ...instants);
}

/**
 * Loads the demo's assessments into a database holding the demo city, its ratings and its accounts.
 * Returns null (and changes nothing) when the demo's schemes are there already.
 */
/**
 * The warnings the demo's clerk confirms, as a real one would in the console: the ratings and imported
 * series do not reach every unit (a station without cases has no reply rate), and the year's results are
 * assessed in November and December, before the year has ended, as the source articles describe.
 */
const DEMO_ACCEPTED_WARNINGS = ['source_partly_without_values', 'period_not_ended'] as const;

export async function loadScoringDemo(deps: Deps): Promise<ScoringDemo | null> {
  const db = deps.database.db;
  if (await store.schemeByCode(db, 'caidian')) return null;
  const account = await accountByUsername(db, DEMO_OFFICE_USERNAME);
  if (!account || account.role !== 'office') throw new Error('demo scoring: the office account is missing');
  const office: Actor = {
    kind: 'account',
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    role: 'office',
    unitId: null,
    mustChangePassword: false,
  };
  const at = (instant: number) => depsAt(deps, instant);
  const dice = new Dice(seededRandom(SEED));
  const summary: ScoringDemo = {
    schemes: 0,
    scores: 0,
    sheets: 0,
    vetoes: 0,
    runs: 0,
    published: 0,
    results: [],
  };

  // --- the registry as the demo uses it ----------------------------------------------------------
  const units: DemoUnit[] = (await unitsWithCategoryOn(db, '2026-12-31'))
    .map((u) => ({ id: u.unitId, code: u.code, name: u.name, category: u.categoryCode }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const byCode = new Map(units.map((u) => [u.code, u]));
  const unit = (code: string): DemoUnit => {
    const found = byCode.get(code);
    if (!found) throw new Error(`demo scoring: unit ${code} missing`);
    return found;
  };
  const inCategories = (...codes: string[]) =>
    units.filter((u) => u.category !== null && codes.includes(u.category));
  const periods = new Map(
    (await listPeriods(db)).map((p) => [
      p.code,
      { id: p.id, code: p.code, startDate: p.startDate, endDate: p.endDate },
    ]),
  );
  const period = (code: string) => {
    const found = periods.get(code);
    if (!found) throw new Error(`demo scoring: period ${code} missing`);
    return found;
  };

  // How good each unit is, underneath every source: the units with clearly worse windows are worse.
  const quality = new Map<string, number>();
  for (const u of units) quality.set(u.code, HARD_UNITS.get(u.code) ?? dice.normal());
  const q = (code: string) => quality.get(code) ?? 0;
  const score = (code: string, base: number, spread: number, noise: number, low = 0, high = 100) =>
    round1(clamp(base + spread * q(code) + noise * dice.noise(), low, high));

  const importSeries = async (
    instant: number,
    series: string,
    periodCode: string,
    document: string,
    values: { unitCode: string; value: number }[],
  ) => {
    const result = await storeScores(at(instant), office, {
      series,
      periodId: period(periodCode).id,
      document,
      values,
    });
    summary.scores += result.stored;
  };

  // --- the schemes, created from the templates at the start of the year --------------------------
  const schemes = new Map<string, string>();
  for (const [i, t] of SCHEME_TEMPLATES.entries()) {
    const created = await createScheme(at(cn('2026-01-05 09:30') + i * 5 * MINUTE), office, {
      code: t.key,
      name: t.name,
      description: t.description,
      definition: structuredClone(t.definition),
      note: '由示范模板创建',
    });
    schemes.set(t.key, created.id);
    summary.schemes += 1;
  }
  const schemeId = (key: string) => {
    const id = schemes.get(key);
    if (!id) throw new Error(`demo scoring: scheme ${key} missing`);
    return id;
  };

  /** Computes a run no earlier than planned, and after the period's ratings have settled if it reads them. */
  const compute = async (
    key: string,
    periodCode: string,
    groupKey: string,
    planned: number,
    readsRatings: boolean,
  ): Promise<{ run: RunDetail; instant: number }> => {
    const p = period(periodCode);
    const instant = readsRatings ? Math.max(planned, (await ratingsSettledAt(db, p)) + MINUTE) : planned;
    const run = await computeRun(at(instant), office, {
      schemeId: schemeId(key),
      periodId: p.id,
      groupKey,
      acceptWarnings: DEMO_ACCEPTED_WARNINGS,
    });
    summary.runs += 1;
    return { run, instant };
  };
  const approve = async (run: RunDetail, stageIndex: number, instant: number): Promise<RunDetail> => {
    const stage = run.stages[stageIndex];
    if (!stage) throw new Error(`demo scoring: ${run.schemeName} has no stage ${stageIndex + 1}`);
    return recordReview(at(instant), office, run.id, {
      stageIndex,
      body: stage.body,
      decidedOn: chinaDate(new Date(instant)),
      decision: 'approve',
    });
  };
  const publish = async (run: RunDetail, instant: number): Promise<RunDetail> => {
    const published = await publishRun(at(instant), office, run.id, {
      acceptWarnings: DEMO_ACCEPTED_WARNINGS,
    });
    summary.published += 1;
    summary.results.push(`${published.schemeName} ${published.periodName} ${published.groupName}（已发布）`);
    return published;
  };

  // --- 西安 public satisfaction, three quarters in turn --------------------------------------------
  // The districts' level on the city's survey, quarter by quarter: 西湖区 slips two places in the second
  // quarter (招商引资 falls most) and one more in the third — the largest decline, two quarters running.
  const XIAN_LEVELS: Record<string, readonly [number, number, number]> = {
    'SFS-Q01': [88.6, 89.1, 88.9],
    'SFS-Q02': [87.9, 85.2, 83.1],
    'SFS-Q03': [86.4, 87.0, 88.5],
    'SFS-Q04': [84.2, 86.3, 86.9],
    'SFS-Q05': [83.5, 84.0, 85.0],
  };
  const districts = inCategories('DISTRICT');
  for (const quarter of [1, 2, 3] as const) {
    const month = String(quarter * 3 + 1).padStart(2, '0');
    const periodCode = `2026-Q${quarter}`;
    // Each item varies around the district's level; the offsets of the six items add up to nothing.
    const items = new Map<string, number[]>();
    for (const d of districts) {
      const level = XIAN_LEVELS[d.code]?.[quarter - 1] ?? 85;
      const offsets = XIAN_ITEMS.slice(0, -1).map(() => round1(dice.noise() * 2.5));
      offsets.push(round1(-offsets.reduce((s, x) => s + x, 0)));
      if (d.code === 'SFS-Q02' && quarter === 2) {
        // 招商引资 falls 3.4 points below the district's level; 社会治安 carries the difference.
        offsets[1] = -3.4;
        offsets[2] = round1(-offsets.reduce((s, x, i) => (i === 2 ? s : s + x), 0));
      }
      items.set(
        d.code,
        offsets.map((o) => round1(level + o)),
      );
    }
    for (const [i, [key, name]] of XIAN_ITEMS.entries()) {
      await importSeries(
        cn(`2026-${month}-10 10:00`) + i * 3 * MINUTE,
        `xian_satisfaction_${key}`,
        periodCode,
        `市考核办${periodCode.replace('2026-Q', '2026年第')}季度公众满意度调查结果通报（${name}）`,
        districts.map((d) => ({ unitCode: d.code, value: items.get(d.code)?.[i] ?? 85 })),
      );
    }
    const { run } = await compute('xian', periodCode, 'districts', cn(`2026-${month}-13 10:00`), false);
    const approved = await approve(run, 0, cn(`2026-${month}-15 16:00`));
    await publish(approved, cn(`2026-${month}-16 10:00`));
  }

  // --- 南川 最难办事科室, the first half of 2026 ----------------------------------------------------
  const sections = inCategories('APPROVAL', 'PUBLIC');
  await importSeries(
    cn('2026-07-20 10:00'),
    'nanchuan_public_ballot',
    '2026-H1',
    '2026年上半年“最难办事科室群众评”冷懒推乱贪评议票汇总',
    sections.map((s) => ({ unitCode: s.code, value: score(s.code, 91, 3.5, 3, 50) })),
  );
  {
    const { run, instant } = await compute('nanchuan', '2026-H1', 'sections', cn('2026-08-17 10:00'), true);
    const approved = await approve(run, 0, instant + 3 * DAY + 6 * 60 * MINUTE);
    const names = new Map(approved.units.map((u) => [u.unitId, u]));
    for (const [i, unitId] of approved.current.worst.entries()) {
      const row = names.get(unitId);
      if (!row) continue;
      await setProblems(at(instant + 4 * DAY + i * 2 * MINUTE), office, approved.id, unitId, {
        text: problemsOf(row.code, dice),
      });
    }
    await publish(approved, instant + 7 * DAY);
  }

  // --- 滁州 市直部门效能考核, 2026 -------------------------------------------------------------------
  const departments = inCategories('DEPT');
  for (const [i, task] of CHUZHOU_SHEET_TASKS.entries()) {
    await createTask(at(cn('2026-01-06 10:00') + i * 2 * MINUTE), office, {
      key: task.key,
      name: task.name,
      leadUnitId: unit(task.leadCode).id,
    });
  }
  // The departments each provincial task is ranked on in its provincial system, and planted ranks: the
  // administrative-approval bureau 1st and the ecology bureau 3rd (both promoted), natural resources 2nd
  // (but vetoed, so its promotion is withheld).
  const PROVINCE: readonly { carriers: readonly string[]; planted: Record<string, number> }[] = [
    { carriers: ['SFS-D28', 'SFS-D22', 'SFS-D32', 'SFS-D37', 'SFS-D17'], planted: { 'SFS-D28': 1 } },
    { carriers: ['SFS-D11', 'SFS-D01', 'SFS-D17', 'SFS-D04'], planted: { 'SFS-D11': 2 } },
    { carriers: ['SFS-D07', 'SFS-D10', 'SFS-D19', 'SFS-D24', 'SFS-D38', 'SFS-D02'], planted: {} },
    { carriers: ['SFS-D12', 'SFS-D15', 'SFS-D25', 'SFS-D16', 'SFS-D26'], planted: { 'SFS-D12': 3 } },
    { carriers: ['SFS-D06', 'SFS-D21', 'SFS-D08', 'SFS-D36', 'SFS-D27'], planted: { 'SFS-D27': 16 } },
  ];
  for (const [i, task] of PROVINCE.entries()) {
    const n = String(i + 1).padStart(2, '0');
    await importSeries(
      cn('2026-11-12 10:00') + i * 10 * MINUTE,
      `province_rank_task_${n}`,
      '2026',
      `省对市目标考核2026年度结果通报（任务${n}，全省16市位次）`,
      task.carriers.map((code) => ({ unitCode: code, value: task.planted[code] ?? dice.int(4, 12) })),
    );
  }
  const CARRIERS: Record<string, readonly string[]> = {
    chuzhou_service_reform: [
      'SFS-D06',
      'SFS-D10',
      'SFS-D11',
      'SFS-D13',
      'SFS-D14',
      'SFS-D19',
      'SFS-D22',
      'SFS-D24',
      'SFS-D32',
      'SFS-D37',
      'SFS-D38',
    ],
    chuzhou_petition: [
      'SFS-D06',
      'SFS-D07',
      'SFS-D10',
      'SFS-D11',
      'SFS-D13',
      'SFS-D16',
      'SFS-D19',
      'SFS-D26',
    ],
    chuzhou_work_safety: [
      'SFS-D04',
      'SFS-D06',
      'SFS-D13',
      'SFS-D14',
      'SFS-D15',
      'SFS-D22',
      'SFS-D26',
      'SFS-D36',
    ],
    chuzhou_ecology: ['SFS-D01', 'SFS-D04', 'SFS-D11', 'SFS-D13', 'SFS-D15', 'SFS-D16', 'SFS-D25', 'SFS-D26'],
  };
  for (const [i, task] of CHUZHOU_SHEET_TASKS.entries()) {
    const lead = unit(task.leadCode);
    const result = await enterSheetScores(at(cn('2026-11-13 10:00') + i * 30 * MINUTE), office, {
      task: task.key,
      periodId: period('2026').id,
      document: `${lead.name}《${task.name}2026年度考核评分表》`,
      entries: (CARRIERS[task.key] ?? []).map((code) => ({
        unitId: unit(code).id,
        value: score(code, 86, 5, 5, 60),
      })),
    });
    summary.sheets += result.stored;
  }
  await importSeries(
    cn('2026-11-16 10:00'),
    'chuzhou_leader_review',
    '2026',
    '2026年度市领导评议市直部门结果汇总（市效能办）',
    departments.map((d) => ({ unitCode: d.code, value: score(d.code, 88, 4, 3) })),
  );
  await importSeries(
    cn('2026-11-16 10:30'),
    'chuzhou_party_building',
    '2026',
    '2026年度市直单位党建工作考核结果（市委党建办）',
    departments.map((d) => ({ unitCode: d.code, value: score(d.code, 91, 3, 3) })),
  );
  await recordVeto(at(cn('2026-11-17 15:00')), office, {
    unitId: unit('SFS-D11').id,
    periodId: period('2026').id,
    schemeId: schemeId('chuzhou'),
    reason: '单位主要领导违法违纪，年度效能考核“一票否决”（按实际得分兑现效能奖金）',
    evidence: '市纪委监委关于市自然资源和规划局主要负责人严重违纪违法问题的通报（示纪通〔2026〕18号）',
  });
  summary.vetoes += 1;
  {
    const { run } = await compute('chuzhou', '2026', 'departments', cn('2026-11-18 10:00'), false);
    const first = await approve(run, 0, cn('2026-11-18 16:00'));
    const approved = await approve(first, 1, cn('2026-11-19 16:00'));
    summary.results.push(`${approved.schemeName} ${approved.periodName} ${approved.groupName}（已审定）`);
  }

  // --- 泰安 好差评 part, 2026 -------------------------------------------------------------------------
  await importSeries(
    cn('2026-11-16 11:00'),
    'taian_key_task_satisfaction',
    '2026',
    '2026年度重点工作专项评价结果（满意度×难度系数，市考核办）',
    departments.map((d) => ({ unitCode: d.code, value: score(d.code, 86, 4, 4) })),
  );
  await importSeries(
    cn('2026-11-16 11:30'),
    'taian_annual_review',
    '2026',
    '2026年度基层对上集中评结果（市考核办）',
    departments.map((d) => ({ unitCode: d.code, value: score(d.code, 88, 3, 4) })),
  );
  {
    const { run } = await compute('taian', '2026', 'departments', cn('2026-11-20 18:30'), true);
    summary.results.push(`${run.schemeName} ${run.periodName} ${run.groupName}（已计算）`);
  }

  // --- 蔡甸 十佳十差, 2026, sections and stations ----------------------------------------------------
  const rated = inCategories('APPROVAL', 'GRASSROOTS');
  const CAIDIAN_SERIES: readonly [string, string, (code: string) => number][] = [
    [
      'caidian_daily_style',
      '2026年度日常工作作风评议结果（市直机关工委）',
      (c) => score(c, 8.6, 0.6, 0.5, 5, 10),
    ],
    [
      'caidian_phone_survey',
      '2026年度社会满意度第三方电话抽访结果（市统计局委托）',
      (c) => score(c, 89, 3.5, 3, 50),
    ],
    [
      'caidian_npc_inspection',
      '2026年度作风建设督查组满意度评议结果（市人大）',
      (c) => score(c, 87, 4, 4, 50),
    ],
    [
      'caidian_cppcc_inspection',
      '2026年度作风建设督查组满意度评议结果（市政协）',
      (c) => score(c, 87, 4, 4, 50),
    ],
    ['caidian_wechat_hotline', '2026年度微信公众号及市长专线大数据分析评分', (c) => score(c, 85, 5, 4, 40)],
    [
      'caidian_accountability',
      '2026年度治庸问责平台大数据分析评分（市治庸办）',
      (c) => score(c, 17, 1.5, 1, 8, 20),
    ],
  ];
  for (const [i, [series, document, value]] of CAIDIAN_SERIES.entries()) {
    await importSeries(
      cn('2026-10-09 10:00') + i * DAY,
      series,
      '2026',
      document,
      rated.map((u) => ({ unitCode: u.code, value: value(u.code) })),
    );
  }
  const CAIDIAN_VETOES: readonly { code: string; reason: string; evidence: string }[] = [
    {
      code: 'SFS-D11-S02',
      reason:
        '建设工程规划许可久拖不决，导致项目迟迟不落地、业主撤回投资（《损害经济发展环境行为问责暂行办法》所列行为）',
      evidence: '市治庸办关于某智能制造项目规划许可办理情况的调查报告（示治庸〔2026〕7号）',
    },
    {
      code: 'SFS-D26-Z04',
      reason: '主要负责人严重违纪；对基层作风巡查发现的执法粗暴问题整改不力，造成不良后果',
      evidence: '市纪委监委通报（示纪通〔2026〕23号）；基层作风巡查整改督办单（2026年第5期）',
    },
  ];
  for (const [i, v] of CAIDIAN_VETOES.entries()) {
    await recordVeto(at(cn('2026-10-12 15:00') + i * 10 * MINUTE), office, {
      unitId: unit(v.code).id,
      periodId: period('2026').id,
      schemeId: schemeId('caidian'),
      reason: v.reason,
      evidence: v.evidence,
    });
    summary.vetoes += 1;
  }
  for (const [g, groupKey] of (['sections', 'stations'] as const).entries()) {
    const start = cn('2026-11-20 18:05') + g * 30 * MINUTE;
    const { run, instant } = await compute('caidian', '2026', groupKey, start, true);
    let current = await approve(run, 0, instant + 5 * MINUTE);
    if (groupKey === 'stations') {
      // The executive meeting takes one unit off the worst list: a unit the statistics cannot tell from
      // its neighbour, which has put things right since; the 11th moves up.
      const stage = current.stages[1];
      const row = (id: string) => current.units.find((u) => u.unitId === id);
      const tenth = current.current.worst.slice(0, 10).filter((id) => !row(id)?.flags.includes('vetoed'));
      const unclear = tenth.filter((id) => row(id)?.flags.includes('indistinct'));
      const removed = unclear[unclear.length - 1] ?? tenth[tenth.length - 1] ?? '';
      const name = row(removed)?.name ?? '';
      current = await recordReview(at(instant + 10 * MINUTE), office, current.id, {
        stageIndex: 1,
        body: stage?.body ?? '',
        decidedOn: chinaDate(new Date(instant + 10 * MINUTE)),
        decision: 'amend',
        best: current.current.best.slice(0, 10),
        worst: current.current.worst.filter((id) => id !== removed).slice(0, 10),
        reason:
          (unclear.length > 0
            ? `${name}的得分与相邻名次单位在统计上难以区分，且已于三季度完成整改并经暗访复核，`
            : `${name}已于三季度完成整改并经暗访复核，`) + '会议决定调出“十差”名单，由原第11位递补。',
      });
    } else {
      current = await approve(current, 1, instant + 10 * MINUTE);
    }
    current = await approve(current, 2, instant + 15 * MINUTE);
    await publish(current, instant + 20 * MINUTE);
  }

  return summary;
}

/** Two main problems of a hard section: its known ones, or two of the five indicators' manifestations. */
function problemsOf(code: string, dice: Dice): string {
  const known = KNOWN_PROBLEMS.get(code);
  if (known) return `${known.join('；')}。`;
  const first = dice.weighted(MANIFESTATIONS.map((m) => [m, m[1]] as const));
  let second = first;
  while (second === first) second = dice.weighted(MANIFESTATIONS.map((m) => [m, m[1]] as const));
  const lines = [first, second].map(([label, , shows]) => `${label}：${dice.pick(shows)}`);
  return `${lines.join('；')}。`;
}
