import type { ErrorCode } from '../core/error-codes.js';
import type { RunDetail } from '../scoring/types.js';
import {
  CONSEQUENCE_KINDS,
  CONSEQUENCE_TARGETS,
  TRIGGER_FLAGS,
  type ConsequenceKind,
  type ConsequenceRule,
  type ConsequenceStatus,
  type Proposal,
  type RulePreset,
  type RuleTrigger,
} from './types.js';

export * from './types.js';

/*
 * Result application (结果运用) as pure rules: a scheme's consequence rules are checked, applied to a
 * published run to propose consequences (unit by unit, in rank order), and dated. Nothing here reads
 * the database or the clock: the service passes the run, the rules and the day.
 */

/** A problem in a rule set: which rule (its index) and what, with a stable code. */
export interface RuleProblem {
  index: number | null;
  code: ErrorCode;
  message: string;
}

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const GRADE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Every problem of a rule set (an empty list: it may be saved). At most 50 rules. */
export function ruleProblems(rules: unknown): RuleProblem[] {
  if (!Array.isArray(rules)) return [{ index: null, code: 'invalid_rules', message: 'Rules are a list.' }];
  const problems: RuleProblem[] = [];
  if (rules.length > 50) problems.push({ index: null, code: 'too_many_rules', message: 'At most 50 rules.' });
  const keys = new Set<string>();
  rules.forEach((raw: unknown, index) => {
    const add = (code: ErrorCode, message: string) => problems.push({ index, code, message });
    if (typeof raw !== 'object' || raw === null)
      return add('invalid_rule', `Rule ${index + 1} is not an object.`);
    const r = raw as Record<string, unknown>;
    if (typeof r.key !== 'string' || !KEY_RE.test(r.key)) {
      add('invalid_rule_key', `Rule ${index + 1}: the key is 1–40 letters, digits, "_" or "-".`);
    } else if (keys.has(r.key)) {
      add('duplicate_rule_key', `Rule ${index + 1}: the key "${r.key}" is used twice.`);
    } else keys.add(r.key);
    if (
      typeof r.name !== 'string' ||
      r.name.trim() === '' ||
      r.name.length > 60 ||
      [...r.name].some((c) => c < ' ' || c === '\u007f')
    ) {
      add('invalid_rule_name', `Rule ${index + 1}: the name is one line of 1–60 characters.`);
    }
    if (!isTrigger(r.trigger))
      add('invalid_trigger', `Rule ${index + 1}: the trigger is a flag, a list or a grade.`);
    if (!(CONSEQUENCE_KINDS as readonly unknown[]).includes(r.kind)) {
      add('invalid_kind', `Rule ${index + 1}: unknown consequence kind.`);
    }
    if (!(CONSEQUENCE_TARGETS as readonly unknown[]).includes(r.target)) {
      add('invalid_target', `Rule ${index + 1}: unknown target.`);
    }
    const percent = r.percent;
    if (r.kind === 'bonus_cut') {
      if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent > 100) {
        add('invalid_percent', `Rule ${index + 1}: a bonus cut names a percentage above 0 and at most 100.`);
      }
    } else if (percent !== undefined) {
      add('invalid_percent', `Rule ${index + 1}: only a bonus cut has a percentage.`);
    }
    const months = r.months;
    if (r.kind === 'no_promotion') {
      if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > 120) {
        add('invalid_months', `Rule ${index + 1}: a promotion bar lasts a whole number of months, 1–120.`);
      }
    } else if (months !== undefined) {
      add('invalid_months', `Rule ${index + 1}: only a promotion bar has a number of months.`);
    }
    const allowed = new Set(['key', 'name', 'trigger', 'kind', 'target', 'percent', 'months']);
    for (const field of Object.keys(r)) {
      if (!allowed.has(field)) add('unknown_field', `Rule ${index + 1}: unknown field "${field}".`);
    }
  });
  return problems;
}

function isTrigger(value: unknown): value is RuleTrigger {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  const fields = Object.keys(t).length;
  switch (t.kind) {
    case 'flag':
      return fields === 2 && (TRIGGER_FLAGS as readonly unknown[]).includes(t.flag);
    case 'list':
      return fields === 2 && (t.list === 'best' || t.list === 'worst');
    case 'grade':
      return fields === 2 && typeof t.grade === 'string' && GRADE_RE.test(t.grade);
    default:
      return false;
  }
}

/**
 * The day a period of `months` months started on `start` ends (the last day in force, inclusive), as
 * the Civil Code counts it (民法典 第二百零一条、第二百零三条): the day it starts is not counted, and the
 * period ends on the corresponding day of the last month, or on that month's last day when it has no
 * such day. 2026-03-16 + 3 → 2026-06-16; 2026-11-30 + 3 → 2027-02-28.
 */
export function addMonthsCivil(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Consequence kinds that stay open until the office records that they were carried out. */
export const TO_CARRY_OUT: ReadonlySet<ConsequenceKind> = new Set(['talk', 'public_commitment']);

/** Whether a consequence is still open on `today`: confirmed and lasting, or to be carried out. */
export function isOpen(
  c: { status: ConsequenceStatus; kind: ConsequenceKind; endsOn: string | null; doneOn: string | null },
  today: string,
): boolean {
  if (c.status !== 'confirmed') return false;
  if (TO_CARRY_OUT.has(c.kind)) return c.doneOn === null;
  return c.endsOn !== null && today <= c.endsOn;
}

/** The key that identifies a proposal within a run: the rule and the unit. */
export const proposalKey = (ruleKey: string, unitId: string): string => `${ruleKey}\u0000${unitId}`;

/**
 * The consequences a published run calls for under `rules`: for each rule in order, each unit it fires
 * for in rank order (list triggers in list order). `publishedOn` is the run's publication day, from which
 * lasting consequences run. A run without a previous period has no decline flags, so those rules are silent.
 */
export function proposeConsequences(
  run: Pick<RunDetail, 'id' | 'units' | 'current'>,
  rules: readonly ConsequenceRule[],
  publishedOn: string,
): Proposal[] {
  const out: Proposal[] = [];
  const byId = new Map(run.units.map((u) => [u.unitId, u]));
  for (const rule of rules) {
    let fired: { unitId: string; listPosition: number | null }[];
    const trigger = rule.trigger;
    if (trigger.kind === 'list') {
      fired = run.current[trigger.list].map((unitId, i) => ({ unitId, listPosition: i + 1 }));
    } else if (trigger.kind === 'flag') {
      fired = run.units
        .filter((u) => u.flags.includes(trigger.flag))
        .map((u) => ({ unitId: u.unitId, listPosition: null }));
    } else {
      fired = run.units
        .filter((u) => u.grade === trigger.grade)
        .map((u) => ({ unitId: u.unitId, listPosition: null }));
    }
    for (const { unitId, listPosition } of fired) {
      const u = byId.get(unitId);
      if (!u) continue;
      out.push({
        runId: run.id,
        ruleKey: rule.key,
        ruleName: rule.name,
        unitId,
        unitCode: u.code,
        unitName: u.name,
        parentName: u.parentName,
        kind: rule.kind,
        target: rule.target,
        percent: rule.kind === 'bonus_cut' ? (rule.percent ?? null) : null,
        months: rule.kind === 'no_promotion' ? (rule.months ?? null) : null,
        startsOn: publishedOn,
        endsOn: rule.kind === 'no_promotion' && rule.months ? addMonthsCivil(publishedOn, rule.months) : null,
        basis: {
          runId: run.id,
          ruleKey: rule.key,
          trigger,
          rank: u.rank,
          previousRank: u.previousRank,
          rankChange: u.rankChange,
          total: u.total,
          grade: u.grade,
          listPosition,
          bonusScore: rule.kind === 'bonus_by_actual_score' ? (u.bonusScore ?? u.total) : null,
        },
      });
    }
  }
  return out;
}

/** The rule sets of the seed models, to start from (the office adapts names and sizes). */
export const RULE_PRESETS: readonly RulePreset[] = [
  {
    key: 'xian',
    name: '西安国际港务区：单项满意度下滑问责',
    rules: [
      {
        key: 'decline_bonus',
        name: '降幅最大：下调年度考核奖金5%',
        trigger: { kind: 'flag', flag: 'largest_decline' },
        kind: 'bonus_cut',
        target: 'principal',
        percent: 5,
      },
      {
        key: 'decline_excellent',
        name: '降幅最大：主要领导、分管领导不能评为优秀等次',
        trigger: { kind: 'flag', flag: 'largest_decline' },
        kind: 'not_excellent',
        target: 'principal',
      },
      {
        key: 'two_running_excellent',
        name: '连续两期下降：牵头单位不能评为优秀等次',
        trigger: { kind: 'flag', flag: 'declined_two_running' },
        kind: 'not_excellent',
        target: 'unit',
      },
      {
        key: 'two_running_bonus',
        name: '连续两期下降：中层干部考核奖金下调',
        trigger: { kind: 'flag', flag: 'declined_two_running' },
        kind: 'bonus_cut',
        target: 'middle_managers',
        percent: 5,
      },
    ],
  },
  {
    key: 'nanchuan',
    name: '南川区：最难办事科室问责',
    rules: [
      {
        key: 'talk_leader',
        name: '纪委监委对所在单位分管领导谈话提醒',
        trigger: { kind: 'list', list: 'worst' },
        kind: 'talk',
        target: 'deputy',
      },
      {
        key: 'no_promotion',
        name: '科室主要负责人3个月内不得提拔重用',
        trigger: { kind: 'list', list: 'worst' },
        kind: 'no_promotion',
        target: 'principal',
        months: 3,
      },
    ],
  },
  {
    key: 'caidian',
    name: '蔡甸区：十佳十差结果运用',
    rules: [
      {
        key: 'worst_bonus',
        name: '十差：单位负责人年度绩效奖金扣发',
        trigger: { kind: 'list', list: 'worst' },
        kind: 'bonus_withheld',
        target: 'principal',
      },
      {
        key: 'worst_commitment',
        name: '十差：在作风大会上公布整改方案并通过媒体承诺',
        trigger: { kind: 'list', list: 'worst' },
        kind: 'public_commitment',
        target: 'principal',
      },
      {
        key: 'worst_excellent',
        name: '十差：不得评为优秀等次',
        trigger: { kind: 'list', list: 'worst' },
        kind: 'not_excellent',
        target: 'unit',
      },
      {
        key: 'best_reward',
        name: '十佳：通报表扬，负责人适时轮岗交流或提拔重用',
        trigger: { kind: 'list', list: 'best' },
        kind: 'reward',
        target: 'principal',
      },
    ],
  },
  {
    key: 'chuzhou',
    name: '滁州市：一票否决与按实际得分兑现',
    rules: [
      {
        key: 'veto_actual',
        name: '一票否决：按实际得分兑现绩效奖金',
        trigger: { kind: 'flag', flag: 'vetoed' },
        kind: 'bonus_by_actual_score',
        target: 'unit',
      },
      {
        key: 'veto_excellent',
        name: '一票否决：评先评优取消',
        trigger: { kind: 'flag', flag: 'vetoed' },
        kind: 'not_excellent',
        target: 'unit',
      },
      {
        key: 'promoted_reward',
        name: '省考前三：例外晋级，通报表扬',
        trigger: { kind: 'flag', flag: 'promoted' },
        kind: 'reward',
        target: 'unit',
      },
    ],
  },
];
