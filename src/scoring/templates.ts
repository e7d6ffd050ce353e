/*
 * The seed models as scheme templates (方案模板): the five assessments of the source articles written as
 * SchemeDefinitions that run on the demo city 示范市 as they stand (its category codes and unit kinds).
 * An office starts from one of them and adapts points, series and groups to its own paper; docs/scoring.md
 * writes each one out as a tree and says what it cannot express yet.
 *
 * Imported series keys name what an office imports under them (`POST /api/scores/import`); score-sheet
 * task keys name the tasks the office creates with their lead units (`POST /api/scoring-tasks`). Parts
 * that belong to evaluation campaigns (领导评议, 重点工作专项评, 冷懒推乱贪 public ballots, 基层对上集中评)
 * are imported series until campaigns exist; each becomes a `campaign` leaf then, with the same points.
 *
 * Every leaf read from instant ratings gives a unit nobody rated in the period (or, for the reply rates, a
 * unit without a bad review) the group's average rather than nothing: an empty sample says nothing about
 * the unit's work. Imported series and score sheets every unit must have keep `zero`, so a missing value
 * shows; the province's ranks and the lead units' sheets average, as Chuzhou's rule says.
 */
import type { ComponentNode, Mapping, SchemeDefinition, SourceSpec } from './model.js';

export interface SchemeTemplate {
  key: string;
  name: string;
  description: string;
  definition: SchemeDefinition;
}

// --- building blocks -------------------------------------------------------------------------------

function leaf(
  id: string,
  name: string,
  maxPoints: number,
  source: SourceSpec,
  mapping: Mapping,
  missing: 'zero' | 'average' = 'zero',
): ComponentNode {
  return { id, name, maxPoints, source, mapping, missing };
}

function node(id: string, name: string, children: ComponentNode[]): ComponentNode {
  return { id, name, maxPoints: children.reduce((sum, c) => sum + c.maxPoints, 0), children };
}

const imported = (series: string): SourceSpec => ({ kind: 'imported', series });
const sheet = (task: string): SourceSpec => ({ kind: 'score_sheet', task });
const rating = (
  statistic:
    | 'goodRate'
    | 'badRate'
    | 'activeGoodRate'
    | 'replyRate'
    | 'rectificationRate'
    | 'rectificationSatisfactionRate',
): SourceSpec => ({
  kind: 'rating_statistic',
  statistic,
});

/** A score on a hundred-point scale (百分制) becomes the leaf's points in proportion. */
const PERCENT: Mapping = { kind: 'linear', from: 0, to: 100 };
const DIRECT: Mapping = { kind: 'direct' };

/**
 * Chuzhou's rule for a task cited from the province (省对市目标考核): ranks 1–3 in the province get the
 * whole of the task's points, each place from 4 to 16 loses 5 percentage points (4th 95%, 16th 35%).
 * Anhui has sixteen prefecture-level cities, so 16th is the last place a city can take; the floor for a rank
 * beyond it (a provincial system that ranks more entities than cities) is the last place's 35%, so that
 * no place is worth less than the one before it would have been.
 */
export const PROVINCE_RANK_RULE: Mapping = {
  kind: 'rank_rule',
  fullUpTo: 3,
  stepShare: 0.05,
  lastRank: 16,
  floorShare: 0.35,
};

// --- 蔡甸 十佳十差基层单位评议 -----------------------------------------------------------------------

const caidian: SchemeTemplate = {
  key: 'caidian',
  name: '十佳十差基层单位评议',
  description:
    '蔡甸区“十佳十差”基层单位评议（百分制）：日常工作作风评议10分（区直机关工委）、社会满意度评议10分' +
    '（第三方电话抽访）、监督检查评议30分（区人大、区政协作风建设督查组）、“互联网+大数据”评议50分' +
    '（互联网评议10分取政务服务即时评好评率；微信公众号及区长专线大数据分析10分；治庸问责平台大数据分析20分；' +
    '其余10分由考核办配置，本模板取差评回复率和回访整改率）。机关科室与基层站所分两类排名，各排出前20名和' +
    '后20名，经区纪委常委会审议为15名、区政府常务会审议为10名，报区委常委会审定。一票否决的单位直接列入' +
    '“十差”参考名单。',
  definition: {
    precision: 2,
    issuer: '蔡甸区治庸问责办公室',
    root: node('total', '十佳十差综合评议', [
      leaf('daily_style', '日常工作作风评议', 10, imported('caidian_daily_style'), DIRECT),
      leaf(
        'social_satisfaction',
        '社会满意度评议（第三方电话抽访）',
        10,
        imported('caidian_phone_survey'),
        PERCENT,
      ),
      node('supervision', '监督检查评议', [
        leaf('npc_inspection', '区人大作风建设督查组评议', 15, imported('caidian_npc_inspection'), PERCENT),
        leaf(
          'cppcc_inspection',
          '区政协作风建设督查组评议',
          15,
          imported('caidian_cppcc_inspection'),
          PERCENT,
        ),
      ]),
      node('big_data', '“互联网+大数据”评议', [
        leaf(
          'internet_rating',
          '互联网评议（即时评好评率）',
          10,
          rating('goodRate'),
          { kind: 'linear', from: 0.9, to: 1 },
          'average',
        ),
        leaf(
          'wechat_hotline',
          '微信公众号及区长专线大数据分析',
          10,
          imported('caidian_wechat_hotline'),
          PERCENT,
        ),
        leaf('accountability', '治庸问责平台大数据分析', 20, imported('caidian_accountability'), DIRECT),
        node('bad_review_loop', '差评整改（考核办配置）', [
          leaf(
            'reply_rate',
            '差评回复率',
            5,
            rating('replyRate'),
            { kind: 'linear', from: 0.8, to: 1 },
            'average',
          ),
          leaf(
            'rectification_rate',
            '回访整改率',
            5,
            rating('rectificationRate'),
            { kind: 'linear', from: 0.6, to: 1 },
            'average',
          ),
        ]),
      ]),
    ]),
    groups: [
      { key: 'sections', name: '有审批权、执法权的机关科室', categoryCodes: ['APPROVAL'] },
      { key: 'stations', name: '基层站所', categoryCodes: ['GRASSROOTS'] },
    ],
    tieBreak: ['big_data', 'supervision'],
    uncertainty: { minSample: 30, shrink: false },
    grades: [],
    veto: { barsTopGrade: false, toBottomList: true },
    promotions: [],
    bonusByActualScore: false,
    lists: { best: 20, worst: 20 },
    review: {
      stages: [
        { name: '区纪委常委会审议', body: '区纪委常委会', size: 15 },
        { name: '区政府常务会审议', body: '区政府常务会', size: 10 },
        { name: '区委常委会审定', body: '区委常委会', size: 10 },
      ],
    },
  },
};

// --- 滁州 市直部门效能考核 -------------------------------------------------------------------------

const PROVINCE_TASKS: readonly [string, string][] = [
  ['01', '优化营商环境'],
  ['02', '重点项目建设和招商引资'],
  ['03', '民生实事'],
  ['04', '生态环境保护'],
  ['05', '平安建设和安全生产'],
];

/** The provincial target tasks' leaf ids, for the exceptional promotion rule. */
export const CHUZHOU_PROVINCE_LEAVES = PROVINCE_TASKS.map(([n]) => `province_task_${n}`);

/** The tasks lead units score (联考): key, name, the lead unit's code in the demo city. */
export const CHUZHOU_SHEET_TASKS: readonly { key: string; name: string; leadCode: string }[] = [
  { key: 'chuzhou_service_reform', name: '政务服务“一改两为”', leadCode: 'SFS-D28' },
  { key: 'chuzhou_petition', name: '信访积案化解“百日攻坚”', leadCode: 'SFS-D27' },
  { key: 'chuzhou_work_safety', name: '安全生产专项整治', leadCode: 'SFS-D21' },
  { key: 'chuzhou_ecology', name: '生态环境问题整改', leadCode: 'SFS-D12' },
];

const chuzhou: SchemeTemplate = {
  key: 'chuzhou',
  name: '市直部门效能考核',
  description:
    '滁州市直部门“一张试卷”效能考核（300分）：省对市目标考核150分直接引用省考核结果，每项任务按全省位次' +
    '赋分（前3位100%，第4至16位每位递减5%），未承担该项任务的单位取承担单位的平均分；市直部门效能考核110分，' +
    '其中市级重点任务80分由牵头单位对承担单位赋分（联考，牵头单位不考核本单位），领导评议30分暂以导入分值' +
    '计入（评议活动功能上线后改为评议结果）；党建工作考核40分。等次分优秀、良好、一般、较差，优秀有名额限制；' +
    '省考核单项全省前3名例外晋级为优秀；一票否决的单位不得评为优秀，但按实际得分兑现效能奖金。',
  definition: {
    precision: 2,
    issuer: '滁州市效能办',
    root: node('total', '市直部门效能考核', [
      node(
        'province',
        '省对市目标考核（引用省考核结果）',
        PROVINCE_TASKS.map(([n, name]) =>
          leaf(
            `province_task_${n}`,
            `省考任务：${name}`,
            30,
            imported(`province_rank_task_${n}`),
            PROVINCE_RANK_RULE,
            'average',
          ),
        ),
      ),
      node('efficiency', '市直部门效能考核', [
        node(
          'joint',
          '市级重点任务（牵头单位联考）',
          CHUZHOU_SHEET_TASKS.map((t) => leaf(t.key, t.name, 20, sheet(t.key), PERCENT, 'average')),
        ),
        leaf('leader_review', '领导评议', 30, imported('chuzhou_leader_review'), PERCENT),
      ]),
      leaf('party_building', '党建工作考核', 40, imported('chuzhou_party_building'), PERCENT),
    ]),
    groups: [{ key: 'departments', name: '市直部门', categoryCodes: ['DEPT'] }],
    tieBreak: ['province', 'efficiency'],
    uncertainty: { minSample: 30, shrink: false },
    grades: [
      { key: 'excellent', name: '优秀', maxShare: 0.3, quota: 8 },
      { key: 'good', name: '良好', minScore: 240 },
      { key: 'fair', name: '一般', minScore: 210 },
      { key: 'poor', name: '较差' },
    ],
    veto: { barsTopGrade: true, toBottomList: false },
    promotions: [
      {
        id: 'province_top3',
        label: '省考核单项全省前三，例外晋级',
        leaves: [...CHUZHOU_PROVINCE_LEAVES],
        maxRank: 3,
        grade: 'excellent',
      },
    ],
    bonusByActualScore: true,
    lists: { best: 5, worst: 5 },
    review: {
      stages: [
        { name: '市效能办初审', body: '市效能办', size: 5 },
        { name: '市委、市政府审定', body: '市委、市政府主要领导', size: 5 },
      ],
    },
  },
};

// --- 南川 最难办事科室群众评 -------------------------------------------------------------------------

const nanchuan: SchemeTemplate = {
  key: 'nanchuan',
  name: '最难办事科室群众评',
  description:
    '南川区“最难办事科室群众评”（百分制，每半年一次）：38个部门单位的105个具有行政审批和行政服务职能的科室' +
    '参评。政务服务即时评60分（主动评价好评率、差评率、差评回复率），冷懒推乱贪群众评议40分暂以导入的' +
    '评议得分计入（评议活动功能上线后改为公开评议票结果）。评价样本不足30条的科室标注“样本不足”，并向全体' +
    '科室均值收缩。得分最低的10个科室为“最难办事科室”，经区委、区政府审定后连同主要问题公开。',
  definition: {
    precision: 2,
    issuer: '南川区纪委监委',
    root: node('total', '最难办事科室群众评', [
      node('ratings', '政务服务即时评', [
        leaf(
          'active_good_rate',
          '主动评价好评率',
          20,
          rating('activeGoodRate'),
          { kind: 'linear', from: 0.85, to: 1 },
          'average',
        ),
        leaf(
          'bad_rate',
          '差评率（越低越好）',
          20,
          rating('badRate'),
          { kind: 'linear', from: 0.05, to: 0 },
          'average',
        ),
        leaf(
          'reply_rate',
          '差评回复率',
          20,
          rating('replyRate'),
          { kind: 'linear', from: 0.8, to: 1 },
          'average',
        ),
      ]),
      leaf('ballot', '冷懒推乱贪群众评议', 40, imported('nanchuan_public_ballot'), PERCENT),
    ]),
    groups: [{ key: 'sections', name: '部门单位科室', categoryCodes: ['APPROVAL', 'PUBLIC'] }],
    tieBreak: ['ballot', 'ratings'],
    uncertainty: { minSample: 30, shrink: true },
    grades: [],
    veto: { barsTopGrade: false, toBottomList: false },
    promotions: [],
    bonusByActualScore: false,
    lists: { best: 0, worst: 10 },
    review: { stages: [{ name: '区委、区政府审定', body: '区委、区政府', size: 10 }] },
  },
};

// --- 西安国际港务区 公众满意度季度考核 ------------------------------------------------------------

/** The six single items of the city's public-satisfaction survey (市考单项满意度), with their series. */
export const XIAN_ITEMS: readonly [string, string][] = [
  ['education', '发展教育事业、提高教学质量'],
  ['investment', '招商引资质量、推进项目建设'],
  ['public_security', '社会治安情况'],
  ['environment', '加强环境保护、治污降霾效果'],
  ['cadre_style', '改进干部作风、为群众办实事'],
  ['rural_revitalization', '巩固脱贫攻坚、推动乡村振兴'],
];

const xian: SchemeTemplate = {
  key: 'xian',
  name: '公众满意度季度考核',
  description:
    '西安国际港务区“6个1+一提升+X”中的“一提升”：按季度导入市考公众满意度六个单项满意度得分（百分制），' +
    '合计排名，并与上一季度排名比较（排名变化）。排名下降幅度最大的单位标注“降幅最大”，连续两期降幅最大的' +
    '另行标注；按办法，降幅最大的单位主要领导、分管领导不得评为优秀，年度考核奖金下调5%（结果运用在后续' +
    '功能中落实，本方案只标注）。',
  definition: {
    precision: 2,
    issuer: '西安国际港务区考核办',
    root: node(
      'total',
      '市考公众满意度六个单项',
      XIAN_ITEMS.map(([key, name]) => leaf(key, name, 100, imported(`xian_satisfaction_${key}`), DIRECT)),
    ),
    groups: [{ key: 'districts', name: '区县', categoryCodes: ['DISTRICT'] }],
    tieBreak: ['cadre_style', 'education'],
    uncertainty: { minSample: 30, shrink: false },
    grades: [],
    veto: { barsTopGrade: false, toBottomList: false },
    promotions: [],
    bonusByActualScore: false,
    lists: { best: 1, worst: 1 },
    review: { stages: [{ name: '党工委会议审定', body: '党工委', size: 1 }] },
  },
};

// --- 泰安 市直部门绩效考核（好差评部分） ----------------------------------------------------------

const taian: SchemeTemplate = {
  key: 'taian',
  name: '市直部门绩效考核（好差评部分）',
  description:
    '泰安市直部门综合绩效考核千分制中的“好差评”部分，共150分（占15%），“三位一体”：政务服务即时评50分' +
    '（好评率、差评回复率、回访整改满意率）；重点工作专项评50分，即重点工作群众满意度得分乘难度系数后的' +
    '综合成绩；基层对上集中评50分（年度业绩评价）。重点工作专项评和基层对上集中评属于评价活动，评价活动' +
    '功能上线前以导入分值计入，上线后改为评价活动结果（满意度4个等次、难度5个等级）。其余850分不在本方案内。',
  definition: {
    precision: 2,
    issuer: '泰安市考核办',
    root: node('total', '绩效考核“好差评”', [
      node('service_rating', '政务服务即时评', [
        leaf('good_rate', '好评率', 30, rating('goodRate'), { kind: 'linear', from: 0.9, to: 1 }, 'average'),
        leaf(
          'reply_rate',
          '差评回复率',
          10,
          rating('replyRate'),
          { kind: 'linear', from: 0.8, to: 1 },
          'average',
        ),
        leaf(
          'rectification_satisfaction',
          '回访整改满意率',
          10,
          rating('rectificationSatisfactionRate'),
          { kind: 'linear', from: 0.6, to: 1 },
          'average',
        ),
      ]),
      leaf(
        'key_tasks',
        '重点工作专项评（满意度×难度系数）',
        50,
        imported('taian_key_task_satisfaction'),
        PERCENT,
      ),
      leaf('annual_review', '基层对上集中评（年度业绩评价）', 50, imported('taian_annual_review'), PERCENT),
    ]),
    groups: [{ key: 'departments', name: '市直部门', categoryCodes: ['DEPT'] }],
    tieBreak: ['key_tasks', 'service_rating'],
    uncertainty: { minSample: 30, shrink: false },
    grades: [],
    veto: { barsTopGrade: false, toBottomList: false },
    promotions: [],
    bonusByActualScore: false,
    lists: { best: 0, worst: 0 },
    review: { stages: [] },
  },
};

/** Freezes a template and everything in it: every caller shares the same objects. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) frozen(member);
    Object.freeze(value);
  }
  return value;
}

/** The seed models, in the order the console offers them (frozen: copy one before changing it). */
export const SCHEME_TEMPLATES: readonly SchemeTemplate[] = frozen([caidian, chuzhou, nanchuan, xian, taian]);

/** A template by key, or undefined. */
export function schemeTemplate(key: string): SchemeTemplate | undefined {
  return SCHEME_TEMPLATES.find((t) => t.key === key);
}
