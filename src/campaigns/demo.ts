/*
 * The demo's evaluation campaign (示范市): Tai'an's key-task evaluation (重点工作专项评价) over ten key tasks
 * led by the demo's departments, on Tai'an's sheet (4-level satisfaction, 5-level difficulty, 冷懒推乱贪,
 * suggestions) with the key-task score. Two rounds:
 *  - 年中 (June–July): stakeholder samples from the panel demo's two published draws (teachers judge the
 *    school-lunch project, entrepreneurs the investment green card) and a directed list of deputies and
 *    committee members who judge all ten; answered, closed and computed;
 *  - 年末 (open now): a directed list invited by SMS, some of whom have answered, so that the monitor moves.
 * Modest in size (about 700 ballots) so that the demo, which every browser suite loads, stays fast. A seeded
 * generator makes it the same on every run; each task has its own quality and difficulty.
 */
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { chinaDate } from '../core/time.js';
import { contactsOf, drawSelection } from '../panel/draw-service.js';
import { seededRandom } from '../registry/demo.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from '../registry/demo-names.js';
import * as registryStore from '../registry/store.js';
import { submitBallot } from './ballots.js';
import { issueInvitations } from './invitations.js';
import { advanceRound, createCampaign } from './service.js';
import { KEY_TASK_SHEET } from './testing.js';
import {
  CHECKLIST,
  CHECKLIST_INDICATORS,
  DIFFICULTY_LEVELS,
  SATISFACTION_LEVELS,
  type EvaluatorEntry,
  type SubjectAnswers,
} from './types.js';

export interface CampaignsDemo {
  campaign: string;
  subjects: number;
  ballots: number;
  openInvited: number;
  openAnswered: number;
}

const TASKS: readonly {
  name: string;
  unit: RegExp;
  quality: number;
  difficulty: number;
  highlights: string[];
}[] = [
  {
    name: '中小学午餐保障及食堂改造提升工程',
    unit: /教育/,
    quality: 0.82,
    difficulty: 3.6,
    highlights: ['改造提升学校食堂126所', '12.6万名学生在校吃上午餐', '家长委员会参与食材验收'],
  },
  {
    name: '实施重大投资项目绿卡制度',
    unit: /商务|发展/,
    quality: 0.74,
    difficulty: 4.1,
    highlights: ['为87个重大项目发放“绿卡”', '审批时限平均压缩45%', '专员全程代办'],
  },
  {
    name: '老旧小区改造提升',
    unit: /住房|建设/,
    quality: 0.68,
    difficulty: 3.9,
    highlights: ['改造老旧小区212个', '加装电梯96部', '新增停车位600余个'],
  },
  {
    name: '城乡供水一体化',
    unit: /水/,
    quality: 0.71,
    difficulty: 3.4,
    highlights: ['新建改造供水管网380公里', '农村自来水普及率99%'],
  },
  {
    name: '政务服务“一网通办”',
    unit: /行政审批|政务/,
    quality: 0.85,
    difficulty: 2.8,
    highlights: ['1,260项事项网上可办', '“一次办好”事项占比92%'],
  },
  {
    name: '公立医院综合改革',
    unit: /卫生|健康/,
    quality: 0.63,
    difficulty: 4.3,
    highlights: ['检查检验结果互认', '预约诊疗平均等候缩短至18分钟'],
  },
  {
    name: '农村人居环境整治',
    unit: /农业|农村/,
    quality: 0.7,
    difficulty: 3.2,
    highlights: ['完成户厕改造2.1万户', '村庄清洁行动全覆盖'],
  },
  {
    name: '就业创业扶持',
    unit: /人力资源|人社/,
    quality: 0.77,
    difficulty: 3.0,
    highlights: ['城镇新增就业3.8万人', '发放创业担保贷款4.2亿元'],
  },
  {
    name: '养老服务体系建设',
    unit: /民政/,
    quality: 0.72,
    difficulty: 3.5,
    highlights: ['新建社区养老服务中心34处', '助餐点覆盖80%社区'],
  },
  {
    name: '城市交通秩序提升',
    unit: /公安|交通/,
    quality: 0.6,
    difficulty: 3.8,
    highlights: ['新增公交线路12条', '优化信号灯配时路口156处'],
  },
];

const ADVICE = [
  '建议进一步加大宣传力度，让群众了解办理进度。',
  '希望后续维护跟上，不要建成了没人管。',
  '总体不错，个别环节还需要提速。',
  '建议多听取基层群众意见。',
  '希望把好的做法推广到乡镇。',
];

/** Loads the Tai'an-style key-task campaign; `draws` are the panel demo's two published samples, in order. */
export async function loadCampaignsDemo(
  deps: Deps,
  actor: Actor,
  draws: readonly { id: string }[],
): Promise<CampaignsDemo> {
  const random = seededRandom(20260701);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const departments = (await registryStore.latestVersions(deps.database.db)).filter(
    (v) => v.kind === 'department' && v.validTo === null,
  );
  if (departments.length === 0) throw new Error('Load the registry demo before the campaigns demo.');
  const leadOf = (pattern: RegExp, i: number) =>
    (departments.find((d) => pattern.test(d.name)) ?? departments[i % departments.length])?.unitId ?? '';

  const today = chinaDate(deps.clock.now());
  const shift = (days: number) => chinaDate(new Date(deps.clock.now().getTime() + days * 86_400_000));
  const year = today.slice(0, 4);
  const campaign = await createCampaign(deps, actor, {
    key: `taian-${year}`,
    name: `${year}年度重点工作专项评价`,
    description: '对全市十项重点工作开展两轮评价：利益相关方抽样评价与“两代表一委员”定向评价。',
    subjectKind: 'key_task',
    questionnaire: KEY_TASK_SHEET,
    minResponses: 30,
    subjects: TASKS.map((task, i) => ({
      kind: 'key_task' as const,
      unitId: leadOf(task.unit, i),
      name: task.name,
      group: i < 5 ? '发展类' : '民生类',
      description: `${year}年市政府确定的重点工作之一。`,
      highlights: task.highlights,
    })),
    rounds: [
      {
        key: 'mid',
        name: '年中',
        opensOn: `${year}-06-20`,
        closesOn: `${year}-07-10`,
        stages: [
          { name: '利益相关方抽样评价', source: 'draw', opensOn: `${year}-06-20`, closesOn: `${year}-07-10` },
          {
            name: '“两代表一委员”定向评价',
            source: 'directed',
            opensOn: `${year}-06-20`,
            closesOn: `${year}-07-10`,
          },
        ],
      },
      {
        key: 'year',
        name: '年末',
        opensOn: shift(-7),
        closesOn: shift(21),
        stages: [
          { name: '“两代表一委员”定向评价', source: 'directed', opensOn: shift(-7), closesOn: shift(21) },
        ],
      },
    ],
  });
  const [mid, end] = campaign.rounds;
  const subjects = campaign.subjects;
  if (!mid || !end) throw new Error('the demo campaign has no rounds');

  const answersFor = (subjectIds: readonly string[]): Record<string, SubjectAnswers> => {
    const out: Record<string, SubjectAnswers> = {};
    for (const id of subjectIds) {
      const task = TASKS[subjects.findIndex((s) => s.id === id)] ?? TASKS[0];
      if (!task) continue;
      const r = random();
      const sat =
        r < task.quality * 0.62
          ? 0
          : r < task.quality * 0.62 + (1 - task.quality * 0.62) * 0.6
            ? 1
            : r < 0.96
              ? 2
              : 3;
      const dif = Math.min(4, Math.max(0, Math.round(5 - task.difficulty + (random() - 0.5) * 2.2)));
      const a: SubjectAnswers = {
        sat: SATISFACTION_LEVELS[sat] ?? 'satisfied',
        dif: DIFFICULTY_LEVELS[dif] ?? 'moderate',
      };
      if (sat >= 2 && random() < 0.4) {
        const indicator = pick(CHECKLIST_INDICATORS);
        a.signs = [`${indicator}.${Math.floor(random() * CHECKLIST[indicator].manifestations.length)}`];
      }
      if (random() < 0.06) a.advice = pick(ADVICE);
      out[id] = a;
    }
    return out;
  };
  const person = () => `${pick(SURNAMES)}${pick(random() < 0.5 ? GIVEN_FEMALE : GIVEN_MALE)}`;
  const deputies = (n: number, offset: number): EvaluatorEntry[] =>
    Array.from({ length: n }, (_, i) => ({
      ref: `deputy-${offset + i}`,
      name: person(),
      phone: `1390538${String(offset + i).padStart(4, '0')}`,
      group: i % 3 === 0 ? '政协委员' : i % 3 === 1 ? '人大代表' : '党代表',
    }));

  // --- 年中: stakeholders from the two draws (their own task) and deputies (all ten), then closed ---
  const midClock = { now: () => new Date(`${year}-07-01T02:00:00.000Z`) };
  const midDeps: Deps = { ...deps, clock: midClock };
  await advanceRound(midDeps, actor, mid.id, 'open');
  const [drawStage, directedStage] = mid.stages;
  let ballots = 0;
  const cast = async (d: Deps, tokens: { token: string; subjects: string[] }[], share: number) => {
    let n = 0;
    for (const t of tokens) {
      if (random() >= share) continue;
      await submitBallot(d, t.token, answersFor(t.subjects));
      n += 1;
    }
    return n;
  };
  for (const [i, draw] of draws.slice(0, 2).entries()) {
    const subject = subjects[i];
    if (!subject || !drawStage) continue;
    const { selected } = await drawSelection(deps, actor, draw.id);
    const contacts = await contactsOf(deps, actor, selected.slice(0, 300));
    const issued = await issueInvitations(midDeps, actor, mid.id, {
      stageId: drawStage.id,
      sendSms: false,
      evaluators: contacts.map((c) => ({
        ref: c.id,
        name: c.name,
        phone: c.mobile,
        group: i === 0 ? '一线教师' : '园区企业',
        subjectIds: [subject.id],
      })),
    });
    ballots += await cast(
      midDeps,
      issued.map((x) => ({ token: x.token, subjects: [subject.id] })),
      0.86,
    );
  }
  if (directedStage) {
    const issued = await issueInvitations(midDeps, actor, mid.id, {
      stageId: directedStage.id,
      sendSms: false,
      evaluators: deputies(150, 0),
    });
    ballots += await cast(
      midDeps,
      issued.map((x) => ({ token: x.token, subjects: subjects.map((s) => s.id) })),
      0.9,
    );
  }
  const closeDeps: Deps = { ...deps, clock: { now: () => new Date(`${year}-07-11T02:00:00.000Z`) } };
  await advanceRound(closeDeps, actor, mid.id, 'close');
  await advanceRound(closeDeps, actor, mid.id, 'compute');

  // --- 年末: open now, invited by SMS, about a third have answered ---
  await advanceRound(deps, actor, end.id, 'open');
  const endStage = end.stages[0];
  let openInvited = 0;
  let openAnswered = 0;
  if (endStage) {
    const issued = await issueInvitations(deps, actor, end.id, {
      stageId: endStage.id,
      evaluators: deputies(60, 100),
    });
    openInvited = issued.length;
    openAnswered = await cast(
      deps,
      issued.map((x) => ({ token: x.token, subjects: subjects.map((s) => s.id) })),
      0.35,
    );
  }
  return {
    campaign: campaign.name,
    subjects: subjects.length,
    ballots: ballots + openAnswered,
    openInvited,
    openAnswered,
  };
}
