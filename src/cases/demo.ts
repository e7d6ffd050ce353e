/*
 * The demo's bad-review cases (差评整改). Every ★1–2 rating of the demo year is counted at the moment it
 * was given — through the ingest's own countRatings, which opens its case with openCaseForRating — and
 * each case is then walked through the real case services at realistic moments (verify, call back, rectify,
 * reply, the rater's judgement, appeals and the office's decisions), in one chronological timeline with the
 * case sweeps (deadlines and warnings, unjudged replies) run every Monday morning — the one liberty taken,
 * since a server runs them every minute. The clock each service
 * sees is the moment of the step, so opened, replied and closed dates read like a year of real work.
 *
 * A handful of stories are planted on fixed dates whatever the scale: an appeal upheld (the rating leaves
 * the statistics), an appeal rejected, an appeal still waiting for the office, and cases left overdue so
 * that the sweep run at the demo's “today” issues a 预警单, a 紧急预警单 and an escalation for a talk (约谈).
 */
import type { Actor } from '../core/auth/model.js';
import { addWorkingDays, isWorkingDay, type WorkingCalendar } from '../core/calendar/model.js';
import type { Deps } from '../core/context.js';
import type { RatingsTable } from '../core/db/schema.js';
import { runAllSweeps, type Sweep } from '../core/sweeps.js';
import { addDays, chinaDate } from '../core/time.js';
import { countRatings } from '../ratings/ingest.js';
import {
  dueDate,
  escalationLevel,
  type CaseState,
  type DeadlineRules,
  type EscalationLevel,
  type Judgement,
} from './model.js';
import {
  appealCase,
  decideAppeal,
  recordCallback,
  recordRectification,
  replyToCase,
  submitJudgement,
  verifyCase,
} from './service.js';
import * as store from './store.js';
import { judgementTokenOf } from './testing.js';

/** Who acts in the demo's cases: the responsible units' handlers and the assessment office. */
export const DEMO_UNIT_HANDLER: Actor = { kind: 'system', label: 'demo-unit' };
export const DEMO_OFFICE: Actor = { kind: 'system', label: 'demo-office' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A deps copy whose clock stands still at one moment. */
export function depsAt(deps: Deps, at: string | number | Date): Deps {
  const fixed = new Date(at);
  return { ...deps, clock: { now: () => new Date(fixed) } };
}

/** The UTC instant of a China date and minute after midnight. */
export function chinaInstant(day: string, minuteOfDay: number): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 8 * HOUR + minuteOfDay * MINUTE);
}

/** Minutes after midnight, China time. */
function chinaMinute(instant: Date): number {
  return Math.floor(((instant.getTime() + 8 * HOUR) % (24 * HOUR)) / MINUTE);
}

// --- planted stories -------------------------------------------------------------------------

export type StoryKind =
  'malicious_upheld' | 'mistaken_rejected' | 'appeal_pending' | 'stuck_verifying' | 'stuck_rectifying';

/** A bad rating planted on a fixed date, and what becomes of its case. */
export interface CaseStory {
  kind: StoryKind;
  unitCode: string;
  day: string;
  /** Minutes after midnight, China time, when the rating is given. */
  minute: number;
  level: 1 | 2;
  named: boolean;
  comment: string;
  tags: string[];
  /** For the stuck ones: the warning level the sweep at “today” raises for the first time. */
  targetLevel?: EscalationLevel;
}

/** Mondays 07:30 China time from the first day up to (not including) `now`: when the demo runs the sweeps. */
export function sweepTicks(firstDay: string, now: string): string[] {
  const ticks: string[] = [];
  for (let day = firstDay; day <= chinaDate(new Date(now)); day = addDays(day, 1)) {
    if (new Date(`${day}T00:00:00Z`).getUTCDay() !== 1) continue;
    const at = chinaInstant(day, 7 * 60 + 30).toISOString();
    if (at < now) ticks.push(at);
  }
  return ticks;
}

/**
 * The most recent working day on which a case opened (and, for `rectifying`, verified the same day) is
 * first escalated to `level` by the sweep at `now` — one level lower at the last Monday sweep before it.
 */
function openingDayFor(
  state: 'verifying' | 'rectifying',
  level: EscalationLevel,
  today: string,
  lastTickDay: string,
  rules: DeadlineRules,
  calendar: WorkingCalendar,
  notBefore: string,
): string {
  for (let day = addDays(today, -1); day >= notBefore; day = addDays(day, -1)) {
    if (!isWorkingDay(day, calendar)) continue;
    const due = dueDate(state, day, day, rules, calendar);
    if (
      escalationLevel(due, today, rules, calendar) === level &&
      escalationLevel(due, lastTickDay, rules, calendar) < level
    ) {
      return day;
    }
  }
  throw new Error(`demo: no opening day gives a ${state} case warning level ${level} on ${today}`);
}

/** The planted stories, dated against the calendar and the deadline rules so that the warnings come out right. */
export function caseStories(
  now: string,
  firstDay: string,
  rules: DeadlineRules,
  calendar: WorkingCalendar,
): CaseStory[] {
  const today = chinaDate(new Date(now));
  const ticks = sweepTicks(firstDay, now);
  const lastTickDay = chinaDate(new Date(ticks[ticks.length - 1] ?? now));
  const opening = (state: 'verifying' | 'rectifying', level: EscalationLevel) =>
    openingDayFor(state, level, today, lastTickDay, rules, calendar, addDays(today, -120));
  let pendingDay = addDays(today, -1);
  while (!isWorkingDay(pendingDay, calendar)) pendingDay = addDays(pendingDay, -1);
  return [
    {
      kind: 'malicious_upheld',
      unitCode: 'SFS-D06-Z03-W01',
      day: '2026-04-14',
      minute: 10 * 60 + 21,
      level: 1,
      named: false,
      comment: '不给我把户口迁到学区房，什么破派出所！',
      tags: ['态度冷漠（冷）'],
    },
    {
      kind: 'mistaken_rejected',
      unitCode: 'SFS-D37-S01-W02',
      day: '2026-06-09',
      minute: 15 * 60 + 4,
      level: 2,
      named: true,
      comment: '办继承过户，要的材料前后说法不一，跑了三趟还没办成',
      tags: ['多次跑动', '未一次性告知'],
    },
    {
      kind: 'appeal_pending',
      unitCode: 'SFS-D06-S04-Z01-W01',
      day: pendingDay,
      minute: 9 * 60 + 48,
      level: 1,
      named: false,
      comment: '外地车转入不给办，说材料不全，明明都带齐了',
      tags: ['推诿扯皮（推）'],
    },
    {
      kind: 'stuck_verifying',
      unitCode: 'SFS-Q04-Z01-W02',
      day: opening('verifying', 3),
      minute: 14 * 60 + 10,
      level: 1,
      named: false,
      comment: '中午提前离岗，下午两点多了窗口还没人，问保安也说不清',
      tags: ['态度冷漠（冷）', '等候时间过长'],
      targetLevel: 3,
    },
    {
      kind: 'stuck_rectifying',
      unitCode: 'SFS-Q04-Z01-W02',
      day: opening('rectifying', 3),
      minute: 10 * 60 + 36,
      level: 2,
      named: true,
      comment: '办低保材料被退回两次，每次只说一样，第三次又要新证明',
      tags: ['多次跑动', '未一次性告知'],
      targetLevel: 3,
    },
    {
      kind: 'stuck_rectifying',
      unitCode: 'SFS-D06-S04-Z01-W01',
      day: opening('rectifying', 2),
      minute: 11 * 60 + 2,
      level: 1,
      named: true,
      comment: '窗口说要去检测站开证明，检测站又说窗口可以直接查，来回推',
      tags: ['推诿扯皮（推）', '多次跑动'],
      targetLevel: 2,
    },
    {
      kind: 'stuck_rectifying',
      unitCode: 'SFS-D22-S01-W04',
      day: opening('rectifying', 1),
      minute: 9 * 60 + 27,
      level: 2,
      named: true,
      comment: '个体户变更经营范围，窗口让我回去改材料改了三次',
      tags: ['多次跑动', '重复提交材料'],
      targetLevel: 1,
    },
    {
      kind: 'stuck_verifying',
      unitCode: 'SFS-D37-S01-W02',
      day: opening('verifying', 1),
      minute: 16 * 60 + 12,
      level: 2,
      named: false,
      comment: '查档要排两个小时，只开一个窗口',
      tags: ['等候时间过长'],
      targetLevel: 1,
    },
  ];
}

// --- plans -------------------------------------------------------------------------------------

/** A bad rating to count at the moment it was given, and how its case goes. */
export interface DemoBadRating {
  row: RatingsTable;
  /** The day of the rated transaction (activelyRated is counted on it); null for ratings without one. */
  transactionDay: string | null;
  unitName: string;
  /** A window known for its bad service handles its cases more slowly. */
  worse: boolean;
  story?: StoryKind;
}

type Step =
  | { kind: 'verify' }
  | { kind: 'appeal'; reason: 'mistaken' | 'malicious'; text: string; evidence: string[] }
  | { kind: 'decide'; upheld: boolean; note: string }
  | { kind: 'callback'; summary: string; method: 'phone' | 'sms' | 'visit' }
  | { kind: 'rectify'; text: string }
  | { kind: 'reply'; text: string }
  | { kind: 'judge'; judgement: Judgement; comment: string };

interface TimelineEntry {
  at: number;
  seq: number;
  bad?: DemoBadRating;
  step?: Step;
  tick?: true;
}

const pick = <T>(rng: () => number, list: readonly T[]): T => {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[Math.floor(rng() * list.length)] as T;
};

/** Office hours of the units: 08:40–11:50 and 14:00–17:20 on working days. */
function officeMinute(rng: () => number): number {
  return rng() < 0.55 ? 8 * 60 + 40 + Math.floor(rng() * 190) : 14 * 60 + Math.floor(rng() * 200);
}

/** The first office moment at or after an instant (the instant itself when it is in office hours). */
function officeMomentFrom(instant: number, rng: () => number, calendar: WorkingCalendar): number {
  const date = new Date(instant);
  const day = chinaDate(date);
  const minute = chinaMinute(date);
  const inHours =
    (minute >= 8 * 60 + 40 && minute <= 11 * 60 + 50) || (minute >= 14 * 60 && minute <= 17 * 60 + 20);
  if (isWorkingDay(day, calendar) && inHours) return instant;
  if (isWorkingDay(day, calendar) && minute < 8 * 60 + 40) {
    return chinaInstant(day, 8 * 60 + 40 + Math.floor(rng() * 80)).getTime();
  }
  if (isWorkingDay(day, calendar) && minute > 11 * 60 + 50 && minute < 14 * 60) {
    return chinaInstant(day, 14 * 60 + Math.floor(rng() * 60)).getTime();
  }
  const next = addWorkingDays(day, 1, calendar);
  return chinaInstant(next, 8 * 60 + 40 + Math.floor(rng() * 100)).getTime();
}

/** An office moment `days` working days after the day of an instant. */
function workingDaysLater(
  instant: number,
  days: number,
  rng: () => number,
  calendar: WorkingCalendar,
): number {
  const day = addWorkingDays(chinaDate(new Date(instant)), days, calendar);
  return chinaInstant(day, officeMinute(rng)).getTime();
}

const RECTIFICATIONS: Record<string, string[]> = {
  '推诿扯皮（推）': [
    '落实首问负责制，对不属于本窗口的事项由首问人员引导至对应窗口并跟进办结；当事人员已作书面检查。',
    '明确该类业务的牵头窗口和办理时限，在大厅公示咨询电话，杜绝相互推诿。',
  ],
  多次跑动: [
    '梳理该事项材料清单并在窗口和网上同步公示，推行容缺受理，需补正的材料一次性书面告知。',
    '对该事项实行“一窗受理、内部流转”，申请人只需到窗口一次；已将经验做法在全科室推广。',
  ],
  '态度冷漠（冷）': [
    '组织窗口人员开展服务礼仪和文明用语培训，当事人员作书面检查，纳入月度绩效考核。',
    '实行窗口服务“好差评”周通报，对当事人员进行了约谈提醒，安排老同志结对帮带。',
  ],
  等候时间过长: [
    '高峰时段增开窗口并实行弹性排班，午间安排专人值守，推行网上预约分时段办理。',
    '调整叫号规则，增设自助终端分流简单业务，平均等候时间已降至20分钟以内。',
  ],
  未一次性告知: ['修订一次性告知单，补充继承、赠与等特殊情形所需材料，并由窗口人员签字确认告知。'],
  重复提交材料: ['打通与档案系统的数据共享，已提交过的材料不再要求重复提交。'],
  '办事拖拉（懒）': ['建立办件超时预警，对临近时限的办件每日督办，当事人员已作检查。'],
};
const GENERIC_RECTIFICATIONS = [
  '已对反映的问题逐项核实整改，完善窗口服务规范，并在科室例会上通报，举一反三防止再次发生。',
  '已向评价人说明情况并致歉，针对问题修订了内部工作流程，明确责任人和办理时限。',
  '已排查系统故障并完成升级，对在线办理流程进行了简化，办事指南已同步更新。',
];

function rectificationText(rng: () => number, tags: readonly string[]): string {
  const known = tags.filter((t) => RECTIFICATIONS[t]);
  if (known.length === 0) return pick(rng, GENERIC_RECTIFICATIONS);
  return pick(rng, RECTIFICATIONS[pick(rng, known)] ?? GENERIC_RECTIFICATIONS);
}

function tagTopic(tags: readonly string[]): string {
  const first = tags[0];
  return first ? first.replace(/（.）$/, '') : '服务';
}

function replyText(rng: () => number, unitName: string, tags: readonly string[], second: boolean): string {
  const topic = tagTopic(tags);
  const opening = second ? '您好，针对您对上次整改结果的意见，' : '您好，';
  return (
    `${opening}${unitName}已核实您反映的“${topic}”问题并完成整改。` +
    pick(rng, [
      '感谢您的监督，欢迎再次来办事并评价。',
      '给您带来不便，深表歉意，欢迎继续监督。',
      '如仍有问题，可拨打窗口电话或12345反映。',
    ])
  );
}

function callbackSummary(rng: () => number, tags: readonly string[]): string {
  return pick(rng, [
    `已电话联系评价人，了解“${tagTopic(tags)}”的具体经过，当面致歉并告知整改安排，评价人表示理解。`,
    `已回访评价人，核实其反映情况属实，已协助其办结业务。`,
    `已联系评价人，说明了政策规定和办理流程，评价人表示会等待整改结果。`,
  ]);
}

const JUDGEMENT_COMMENTS: Record<Judgement, string[]> = {
  satisfied: ['问题已解决，谢谢', '这次很快就办好了，态度也好了', ''],
  basically_satisfied: ['态度有改进，希望保持', '基本解决了，流程还可以再简化', ''],
  not_satisfied: ['问题还是没有解决', '只是打了个电话，实际没有改变'],
};

function judgement(rng: () => number, allowNot: boolean): Judgement {
  const r = rng();
  if (allowNot && r < 0.09) return 'not_satisfied';
  return r < 0.7 ? 'satisfied' : 'basically_satisfied';
}

/** The steps of one case, each with its moment; steps after `now` are dropped by the caller. */
function planCase(
  rng: () => number,
  bad: DemoBadRating,
  calendar: WorkingCalendar,
  rules: DeadlineRules,
): { at: number; step: Step }[] {
  const row = bad.row;
  const tags = JSON.parse(row.tags) as string[];
  const named = row.named === 1;
  const opened = Date.parse(row.createdAt);
  const steps: { at: number; step: Step }[] = [];
  let t = officeMomentFrom(opened + (20 + Math.floor(rng() * 200)) * MINUTE, rng, calendar);
  const push = (at: number, step: Step) => {
    // Every step strictly after the one before it.
    const last = steps[steps.length - 1]?.at ?? opened;
    t = Math.max(at, last + (3 + Math.floor(rng() * 20)) * MINUTE);
    steps.push({ at: t, step });
  };

  /** One round of rectification: call back (named), rectify and reply, due `rectifyDays` after `rectifyFrom`. */
  const round = (from: number, rectifyFrom: string, second: boolean, late: boolean) => {
    if (named) {
      push(officeMomentFrom(from + (30 + Math.floor(rng() * 600)) * MINUTE, rng, calendar), {
        kind: 'callback',
        method: rng() < 0.85 ? 'phone' : rng() < 0.5 ? 'sms' : 'visit',
        summary: callbackSummary(rng, tags),
      });
    }
    const due = addWorkingDays(rectifyFrom, rules.rectifyDays, calendar);
    let rectifyAt = workingDaysLater(
      t,
      bad.worse ? 2 + Math.floor(rng() * 9) : 1 + Math.floor(rng() * 7),
      rng,
      calendar,
    );
    if (late) {
      rectifyAt = workingDaysLater(
        chinaInstant(due, 12 * 60).getTime(),
        1 + Math.floor(rng() * 8),
        rng,
        calendar,
      );
    } else if (chinaDate(new Date(rectifyAt)) > due) {
      rectifyAt = chinaInstant(due, 9 * 60 + Math.floor(rng() * 60)).getTime();
    }
    push(rectifyAt, { kind: 'rectify', text: rectificationText(rng, tags) });
    push(t + (10 + Math.floor(rng() * 120)) * MINUTE, {
      kind: 'reply',
      text: replyText(rng, bad.unitName, tags, second),
    });
  };

  const judge = (allowNot: boolean): Judgement | null => {
    // A rater with a phone receives the judgement link; most answer within three days, some never do.
    if (!named || rng() < 0.14) return null;
    const verdict = judgement(rng, allowNot);
    const day = addDays(chinaDate(new Date(t)), Math.floor(rng() * 3));
    const at = Math.max(chinaInstant(day, 8 * 60 + Math.floor(rng() * 14 * 60)).getTime(), t + 40 * MINUTE);
    push(at, { kind: 'judge', judgement: verdict, comment: pick(rng, JUDGEMENT_COMMENTS[verdict]) });
    return verdict;
  };

  switch (bad.story) {
    case 'malicious_upheld': {
      push(t, {
        kind: 'appeal',
        reason: 'malicious',
        text: '评价人要求将户口迁入不符合条件的学区房地址，民警依据户籍政策解释后不予办理，评价人当场表示“给你们差评”。窗口服务过程规范，差评与服务质量无关。',
        evidence: ['窗口执法记录仪视频（当日10:05–10:18）', '户口迁移政策告知书签收记录'],
      });
      push(workingDaysLater(t, 2, rng, calendar), {
        kind: 'decide',
        upheld: true,
        note: '经调阅执法记录仪视频，民警依法依规解释政策、态度文明，评价人诉求不符合户口迁移规定，申诉成立，该差评不计入统计。',
      });
      return steps;
    }
    case 'mistaken_rejected': {
      push(t, {
        kind: 'appeal',
        reason: 'mistaken',
        text: '评价人首次来办理时窗口已出具一次性告知单，因其自身原因未带齐材料，属于误评。',
        evidence: ['一次性告知单签收记录'],
      });
      push(workingDaysLater(t, 3, rng, calendar), {
        kind: 'decide',
        upheld: false,
        note: '经回访评价人并调阅告知单，首次告知单未列明继承公证材料，评价人反映的“多次跑动”情况属实，申诉不予支持，请按期整改。',
      });
      round(t, chinaDate(new Date(t)), false, false);
      judge(false);
      return steps;
    }
    case 'appeal_pending': {
      push(t, {
        kind: 'appeal',
        reason: 'mistaken',
        text: '该车辆环保检验未通过，依规不能办理转入登记，窗口已当场告知并出具不予受理告知书，评价人误认为材料问题。',
        evidence: ['不予受理告知书', '机动车环保检验记录查询截图'],
      });
      return steps;
    }
    case 'stuck_verifying':
      return steps;
    case 'stuck_rectifying': {
      // Verified on the day of the review, then nothing: the deadline passes.
      const day = chinaDate(new Date(opened));
      steps.push({
        at: Math.max(opened + 30 * MINUTE, chinaInstant(day, 16 * 60).getTime()),
        step: { kind: 'verify' },
      });
      return steps;
    }
    case undefined:
      break;
  }

  push(t, { kind: 'verify' });
  // Windows known for bad service sometimes reply after the deadline (and collect the warnings for it).
  const late = bad.worse && rng() < 0.2;
  round(t, row.day, false, late);
  const first = judge(true);
  if (first === 'not_satisfied') {
    round(t, chinaDate(new Date(t)), true, false);
    judge(false);
  }
  return steps;
}

// --- the walk ----------------------------------------------------------------------------------

export interface CaseWalk {
  opened: number;
  steps: number;
  sweepRuns: number;
}

/**
 * Counts each bad rating at its moment (opening its case) and walks the cases to `now`, with the given
 * sweeps run every Monday morning in between. The ratings must already be stored (status counted, not yet
 * in the rollups).
 */
export async function walkDemoCases(
  deps: Deps,
  bad: readonly DemoBadRating[],
  options: {
    now: string;
    firstDay: string;
    rng: () => number;
    calendar: WorkingCalendar;
    rules: DeadlineRules;
    /** What runs every Monday morning: the server's sweeps. */
    sweeps: readonly Sweep[];
  },
): Promise<CaseWalk> {
  const { rng, calendar, rules } = options;
  const now = Date.parse(options.now);
  const timeline: TimelineEntry[] = [];
  let seq = 0;
  for (const b of bad) {
    const at = Date.parse(b.row.createdAt);
    if (at > now) continue;
    timeline.push({ at, seq: seq++, bad: b });
    for (const s of planCase(rng, b, calendar, rules)) {
      if (s.at <= now) timeline.push({ at: s.at, seq: seq++, bad: b, step: s.step });
    }
  }
  for (const tick of sweepTicks(options.firstDay, options.now)) {
    timeline.push({ at: Date.parse(tick), seq: seq++, tick: true });
  }
  timeline.sort((a, b) => a.at - b.at || a.seq - b.seq);

  const caseOf = new Map<string, string>();
  const result: CaseWalk = { opened: 0, steps: 0, sweepRuns: 0 };
  for (const entry of timeline) {
    const d = depsAt(deps, entry.at);
    if (entry.tick) {
      await runAllSweeps(d, options.sweeps);
      result.sweepRuns += 1;
      continue;
    }
    const b = entry.bad;
    if (!b) continue;
    if (!entry.step) {
      // The ingest's own counting: rollups, the actively-rated mark and the case.
      await d.database.db
        .transaction()
        .execute((trx) => countRatings(trx, d, [{ row: b.row, transactionDay: b.transactionDay }]));
      const opened = await store.caseByRating(d.database.db, b.row.id);
      if (!opened) throw new Error(`demo: no case opened for rating ${b.row.id}`);
      caseOf.set(b.row.id, opened.id);
      result.opened += 1;
      continue;
    }
    const id = caseOf.get(b.row.id);
    if (!id) throw new Error(`demo: case of rating ${b.row.id} not open`);
    await runStep(d, id, entry.step, new Date(entry.at).toISOString());
    result.steps += 1;
  }
  return result;
}

async function runStep(deps: Deps, id: string, step: Step, at: string): Promise<void> {
  switch (step.kind) {
    case 'verify':
      await verifyCase(deps, DEMO_UNIT_HANDLER, id, { genuine: true });
      return;
    case 'appeal':
      await appealCase(deps, DEMO_UNIT_HANDLER, id, {
        reason: step.reason,
        text: step.text,
        evidence: step.evidence,
      });
      return;
    case 'decide':
      await decideAppeal(deps, DEMO_OFFICE, id, { upheld: step.upheld, note: step.note });
      return;
    case 'callback':
      await recordCallback(deps, DEMO_UNIT_HANDLER, id, { at, method: step.method, summary: step.summary });
      return;
    case 'rectify':
      await recordRectification(deps, DEMO_UNIT_HANDLER, id, { text: step.text });
      return;
    case 'reply':
      await replyToCase(deps, DEMO_UNIT_HANDLER, id, { text: step.text });
      return;
    case 'judge': {
      const token = await judgementTokenOf(deps, id);
      if (!token) throw new Error(`demo: case ${id} has no judgement link`);
      await submitJudgement(deps, token, {
        judgement: step.judgement,
        ...(step.comment ? { comment: step.comment } : {}),
      });
      return;
    }
  }
}

/** Case states as the demo leaves them, for the summary. */
export async function caseCounts(
  deps: Deps,
  today: string,
): Promise<{
  byState: Partial<Record<CaseState, number>>;
  overdue: number;
  warnings: Record<1 | 2 | 3, number>;
}> {
  const db = deps.database.db;
  const states = await db
    .selectFrom('cases')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const overdue = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', 'in', ['verifying', 'rectifying'])
    .where('dueOn', '<', today)
    .executeTakeFirst();
  const warnings = await db
    .selectFrom('caseWarnings')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('level')
    .execute();
  const byLevel = { 1: 0, 2: 0, 3: 0 };
  for (const w of warnings)
    if (w.level === 1 || w.level === 2 || w.level === 3) byLevel[w.level] = Number(w.n);
  return {
    byState: Object.fromEntries(states.map((s) => [s.state, Number(s.n)])),
    overdue: Number(overdue?.n ?? 0),
    warnings: byLevel,
  };
}
