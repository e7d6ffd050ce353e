import { deflateSync } from 'node:zlib';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { getSetting, putSetting } from '../core/settings/store.js';
import { runSweep } from '../core/sweeps.js';
import * as registryStore from '../registry/store.js';
import { listCases } from '../cases/store.js';
import { attachToItem, recordFollowUp } from './evidence.js';
import { assignComments, collectComments, commentClusters, createTopicList, listComments } from './inbox.js';
import { createItem, reviewItem, submitPlan, submitProgress, submitResult } from './items.js';
import { createProblem } from './problems.js';
import { registerCommentSource, type CollectedComment } from './sources.js';
import { sweepLedgerDeadlines } from './sweeps.js';

/*
 * The ledger's demo: the Xi'an-style quarterly survey's comments in its seven topics (a source the demo
 * stores; a real database has none), the rating and bad-review comments of the demo year collected into the
 * inbox, topics confirmed in bulk, Caidian-style problem lists for the units with the most comments, and
 * ledger items in every state — returned plans, overdue ones with warnings, closed ones with photo and PDF
 * evidence, a 回头看 that found the problem back, covert inspections that opened items.
 */

const SURVEY_SETTING = 'ledger_demo_survey';
const SURVEY_DAYS = ['2026-03-25', '2026-06-24', '2026-09-24'];

// The quarterly survey (季度满意度测评): what a resident writes under each of Xi'an's seven topics.
const SURVEY: Record<string, string[]> = {
  教育教学: [
    '孩子上学路远，希望增加学位',
    '幼儿园收费太高，公办学位太少',
    '学校课后服务时间太短，家长接不了孩子',
    '老师布置作业太多，孩子写到很晚',
    '学区划分不透明，招生政策要提前公布',
  ],
  交通出行: [
    '早高峰公交太挤，希望加密班次',
    '小区门口道路施工半年了还没完',
    '路口红绿灯时间太短，老人过马路危险',
    '停车位太少，乱停车堵住消防通道',
    '下雨天路面积水严重，出行不便',
  ],
  扶贫就业: [
    '招聘信息太少，找工作难',
    '就业培训走形式，学不到技能',
    '灵活就业人员社保补贴申请太难',
    '农民工工资拖欠，希望帮忙讨薪',
    '创业补贴迟迟不到位',
  ],
  干部作风: [
    '窗口工作人员态度不耐烦，问两句就不理人',
    '办事来回跑，工作人员互相推诿',
    '反映的问题一直没有回复，敷衍了事',
    '有的干部上班迟到早退，找不到人',
    '领导接访走过场，问题没解决',
  ],
  环境卫生: [
    '垃圾清运不及时，夏天臭味很大',
    '工地扬尘严重，窗户都不敢开',
    '夜间施工噪音扰民，睡不着觉',
    '河道有污水排放，气味难闻',
    '公共厕所太少而且不干净',
  ],
  拆迁安置: [
    '拆迁安置房迟迟不交房，过渡费也停了',
    '安置补偿标准不公开，邻居之间差很多',
    '回迁房质量差，墙面开裂',
    '征收政策解释不清楚，群众有意见',
    '安置小区配套不完善，没有菜市场',
  ],
  物业监管: [
    '物业收费不公示，乱收停车费',
    '电梯经常坏，物业维修拖着不办',
    '小区物业不管绿化，杂草丛生',
    '物业服务差，业主投诉没人管',
    '维修基金使用不透明，业主看不到账',
  ],
};

/** The demo's survey answers as a comment source: it finds what the demo stored, nothing in a real database. */
registerCommentSource({
  key: 'survey',
  name: '季度满意度测评',
  collect: async (db, range): Promise<CollectedComment[]> => {
    const stored = await getSetting(db, SURVEY_SETTING);
    if (!stored) return [];
    const all = JSON.parse(stored) as CollectedComment[];
    return all.filter((c) => c.date >= range.from && c.date <= range.to).slice(0, range.limit);
  },
});

/** A small deterministic generator (the demo is the same on every load). */
function seeded(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
}

/** A photo-like PNG (two colour bands) of the given size: evidence the type check accepts. */
export function demoPng(seed: number, size = 160): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const hue = (seed * 47) % 200;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const sky = y < size * 0.45;
      row.set(sky ? [150 + (hue % 60), 190, 230] : [60 + hue / 4, 110 + (x % 40), 70], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The services as of a day (China time, mid-morning): items opened and acted on in the past. */
const on = (deps: Deps, day: string): Deps => ({
  ...deps,
  clock: { now: () => new Date(`${day}T02:00:00.000Z`) },
});

export interface LedgerDemo {
  comments: number;
  survey: number;
  problems: number;
  items: Record<string, number>;
  followUps: number;
}

/** Loads the ledger's demo after the registry, ratings and cases demos (see the file comment). */
export async function loadLedgerDemo(
  deps: Deps,
  actor: Actor,
  options: { from: string; to: string; staffUnitId: string },
): Promise<LedgerDemo> {
  const db = deps.database.db;
  const r = seeded(20260325);
  const versions = await registryStore.latestVersions(db);
  const departments = versions.filter((v) => v.kind === 'department').slice(0, 24);

  // The quarterly survey: 3–6 comments per department and quarter, each written under a known topic.
  const survey: (CollectedComment & { topic: string })[] = [];
  const topicNames = Object.keys(SURVEY);
  for (const day of SURVEY_DAYS) {
    for (const d of departments) {
      const n = 3 + Math.floor(r.next() * 4);
      for (let i = 0; i < n; i++) {
        const topic = r.pick(topicNames);
        survey.push({
          sourceRef: `${day}-${d.code}-${i}`,
          unitId: d.unitId,
          date: day,
          level: 1 + Math.floor(r.next() * 3),
          text: r.pick(SURVEY[topic] ?? []),
          topic,
        });
      }
    }
  }
  await putSetting(db, SURVEY_SETTING, JSON.stringify(survey.map(({ topic: _topic, ...c }) => c)));

  // The office's topic lists, and the inbox filled from every source for the demo year.
  const xian = await createTopicList(deps, actor, { name: '西安港务区七个方面', presetKey: 'xian7' });
  const conduct = await createTopicList(deps, actor, { name: '基层单位作风五个方面', presetKey: 'conduct5' });
  await createTopicList(deps, actor, { name: '南川“冷、懒、推、乱、贪”', presetKey: 'nanchuan5' });
  const collected = await collectComments(deps, actor, { from: options.from, to: options.to });
  const comments = collected.sources.reduce((n, s) => n + s.added, 0);

  // Two thirds of the survey's comments confirmed in their topic (what a clerk does in bulk), which
  // teaches the classifier; the rest wait with their suggestions.
  const topicId = new Map(xian.topics.map((t) => [t.name, t.id]));
  const surveyRows = await listComments(deps, actor, { listId: xian.id, source: 'survey', pageSize: 500 });
  const more =
    surveyRows.total > 500
      ? await listComments(deps, actor, { listId: xian.id, source: 'survey', page: 2, pageSize: 500 })
      : null;
  const byRef = new Map(survey.map((s) => [`${s.unitId}|${s.date}|${s.text}`, s.topic]));
  const confirm = [...surveyRows.items, ...(more?.items ?? [])]
    .filter((_, i) => i % 3 !== 0)
    .flatMap((c) => {
      const topic = byRef.get(`${c.unitId}|${c.date}|${c.text}`);
      const id = topic ? topicId.get(topic) : undefined;
      return id ? [{ commentId: c.id, topicId: id }] : [];
    });
  for (let i = 0; i < confirm.length; i += 1000) {
    await assignComments(deps, actor, xian.id, { assignments: confirm.slice(i, i + 1000) });
  }

  // Rating comments: the clear suggestions of the five conduct dimensions accepted.
  const rated = await listComments(deps, actor, {
    listId: conduct.id,
    source: 'rating',
    assigned: false,
    pageSize: 500,
  });
  const accepted = rated.items.flatMap((c) =>
    c.suggestion && c.suggestion.margin >= 1 ? [{ commentId: c.id, topicId: c.suggestion.topicId }] : [],
  );
  if (accepted.length > 0) await assignComments(deps, actor, conduct.id, { assignments: accepted });

  // Caidian-style problem lists: each department's unclaimed comments grouped, the larger groups kept.
  const problems: { id: string; unitId: string; title: string }[] = [];
  for (const d of departments) {
    const clusters = await commentClusters(deps, actor, { listId: conduct.id, unitId: d.unitId });
    for (const c of clusters.filter((x) => x.count >= 2).slice(0, 3)) {
      const p = await createProblem(deps, actor, {
        unitId: d.unitId,
        title: c.title,
        phrase: c.phrase,
        commentIds: c.commentIds,
      });
      problems.push({ id: p.id, unitId: p.unitId, title: p.title });
    }
  }

  // Ledger items in every state, opened in the weeks before “today”.
  const counts: Record<string, number> = {};
  const count = (state: string) => (counts[state] = (counts[state] ?? 0) + 1);
  const plan = {
    target: '群众反映的问题在整改期限内解决，同类问题不再发生',
    measures: '1. 召开专题会分析原因；2. 制定并公示办事指南和时限；3. 每周抽查整改情况，责任到人。',
  };
  const advance = async (id: string, to: number, opened: string, photos: number) => {
    // 0 planning, 1 plan_review, 2 executing, 3 progress_review, 4 finishing, 5 result_review, 6 closed
    const day = (n: number) => {
      const d = new Date(`${opened}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + n);
      return d.toISOString().slice(0, 10);
    };
    if (to >= 1) await submitPlan(on(deps, day(3)), actor, id, plan);
    if (to >= 2) await reviewItem(on(deps, day(5)), actor, id, { stage: 'plan', approve: true });
    if (to >= 3)
      await submitProgress(on(deps, day(12)), actor, id, {
        text: '已完成办事指南修订并在窗口公示，正在逐项抽查。',
      });
    if (to >= 4) await reviewItem(on(deps, day(13)), actor, id, { stage: 'progress', approve: true });
    if (to >= 5) {
      for (let i = 0; i < photos; i++) {
        await attachToItem(on(deps, day(18)), actor, id, {
          filename: `整改现场照片${i + 1}.png`,
          bytes: demoPng(i + id.length),
        });
      }
      await attachToItem(on(deps, day(18)), actor, id, { filename: '整改情况报告.pdf', bytes: DEMO_PDF });
      await submitResult(on(deps, day(19)), actor, id, {
        text: '办事指南已公示，窗口一次告知，回访群众满意。',
      });
    }
    if (to >= 6) await reviewItem(on(deps, day(21)), actor, id, { stage: 'result', approve: true });
  };
  const states = [
    'planning',
    'plan_review',
    'executing',
    'progress_review',
    'finishing',
    'result_review',
    'closed',
  ];
  // From problems: a spread of states; older items further along, some left overdue.
  const plans: { opened: string; to: number }[] = [
    { opened: '2026-09-01', to: 6 },
    { opened: '2026-09-03', to: 6 },
    { opened: '2026-09-08', to: 6 },
    { opened: '2026-09-10', to: 6 },
    { opened: '2026-09-15', to: 5 },
    { opened: '2026-09-20', to: 4 },
    { opened: '2026-10-08', to: 2 },
    { opened: '2026-10-12', to: 3 },
    { opened: '2026-10-20', to: 0 },
    { opened: '2026-11-16', to: 1 },
    { opened: '2026-11-25', to: 0 },
    { opened: '2026-12-01', to: 2 },
  ];
  const itemIds: string[] = [];
  for (const [i, p] of plans.entries()) {
    const problem = problems[i * 2];
    if (!problem) break;
    const item = await createItem(on(deps, p.opened), actor, {
      origin: 'problem',
      originRef: problem.id,
      responsibleName: r.pick(['张科长', '李主任', '王股长', '刘所长']),
    });
    await advance(item.id, p.to, p.opened, 1 + (i % 3));
    itemIds.push(item.id);
    count(states[p.to] ?? 'planning');
  }
  // The demo's unit account has work waiting: a plan to write, and an item in progress.
  for (const [i, opened] of ['2026-11-24', '2026-10-26'].entries()) {
    const item = await createItem(on(deps, opened), actor, {
      origin: 'manual',
      unitId: options.staffUnitId,
      title: i === 0 ? '窗口叫号系统故障时无人引导' : '周末延时服务未按公示时间开放',
      responsibleName: '窗口负责人',
    });
    await advance(item.id, i === 0 ? 0 : 2, opened, 1);
    count(i === 0 ? 'planning' : 'executing');
  }
  // A returned plan: the office wanted concrete measures.
  if (itemIds[6]) {
    const first = problems[1];
    if (first) {
      const item = await createItem(on(deps, '2026-11-02'), actor, {
        origin: 'problem',
        originRef: first.id,
      });
      await submitPlan(on(deps, '2026-11-04'), actor, item.id, {
        target: '提高满意度',
        measures: '加强管理',
      });
      await reviewItem(on(deps, '2026-11-05'), actor, item.id, {
        stage: 'plan',
        approve: false,
        reason: '措施过于笼统：请逐条写明做什么、谁负责、何时完成。',
      });
      count('planning');
    }
  }
  // From open bad-review cases (the unit holds them, the office follows them on the ledger too).
  const cases = await listCases(db, { unitIds: null, states: ['rectifying'], limit: 3, offset: 0 });
  for (const c of cases) {
    await createItem(on(deps, '2026-11-18'), actor, {
      origin: 'case',
      originRef: c.id,
      title: `差评整改：${c.comment?.slice(0, 30) || '服务问题'}`,
    });
    count('planning');
  }

  // Follow-ups: a 回头看 on two closed items (one finds the problem back and reopens it), covert inspections.
  let followUps = 0;
  for (const [i, id] of itemIds.slice(0, 2).entries()) {
    await recordFollowUp(on(deps, '2026-11-10'), actor, {
      kind: 'revisit',
      method: 'visit',
      itemId: id,
      date: '2026-11-10',
      inspector: '考核办 王丽',
      findings:
        i === 0
          ? '窗口公示的办事指南仍在，群众反映办理顺畅。'
          : '周末又出现排长队、无人引导的情况，问题反弹。',
      problemBack: i === 1,
    });
    followUps += 1;
  }
  const inspected = departments.slice(5, 8);
  for (const [i, d] of inspected.entries()) {
    const f = await recordFollowUp(on(deps, '2026-11-12'), actor, {
      kind: 'covert',
      method: i === 0 ? 'simulated_service' : i === 1 ? 'phone' : 'visit',
      unitId: d.unitId,
      date: '2026-11-12',
      inspector: '暗访组 陈明',
      findings:
        [
          '模拟办理营业执照变更，窗口要求提供指南未列出的材料，往返两次。',
          '拨打咨询电话三次无人接听，第四次接通后答复“不清楚”。',
          '上午 9:20 窗口仍无人在岗，群众排队等候。',
        ][i] ?? '',
      problemBack: false,
    });
    followUps += 1;
    if (i < 2) {
      await createItem(on(deps, '2026-11-13'), actor, { origin: 'inspection', originRef: f.id });
      count('planning');
    }
  }
  // Today's deadline sweep: the overdue items get their warnings (预警单 and on).
  await runSweep(deps, 'ledger.deadlines', sweepLedgerDeadlines);
  return { comments, survey: survey.length, problems: problems.length, items: counts, followUps };
}
