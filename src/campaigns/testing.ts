import type { Deps } from '../core/context.js';
import type { Actor } from '../core/auth/model.js';
import { advanceRound, createCampaign } from './service.js';
import { issueInvitations } from './invitations.js';
import {
  DEFAULT_SATISFACTION_SCORES,
  type CampaignDetail,
  type IssuedInvitation,
  type Questionnaire,
} from './types.js';

/*
 * A small key-task campaign for tests, the route matrix and the demo: Tai'an's sheet (4-level
 * satisfaction, 5-level difficulty, a suggestion) over key tasks led by the given units.
 */

export const KEY_TASK_SHEET: Questionnaire = {
  intro: '请根据您的了解，对以下重点工作进行评价。',
  items: [
    { key: 'sat', kind: 'satisfaction', prompt: '您对该项工作成效的满意程度' },
    { key: 'dif', kind: 'difficulty', prompt: '您认为该项工作的推进难度' },
    { key: 'signs', kind: 'checklist', prompt: '该项工作中是否存在以下问题（可多选）', required: false },
    { key: 'advice', kind: 'text', prompt: '意见建议', maxLength: 500 },
  ],
  satisfactionScores: { ...DEFAULT_SATISFACTION_SCORES },
  keyTask: {
    satisfaction: 'sat',
    difficulty: 'dif',
    formula: { kind: 'linear', centre: 3, perLevel: 0.05 },
    cap: 100,
  },
};

let counter = 0;

export interface CampaignFixture {
  campaign: CampaignDetail;
  roundId: string;
  stageId: string;
}

/** A key-task campaign over one task per lead unit, one round open on the test clock's day, one directed stage. */
export async function seedKeyTaskCampaign(
  deps: Deps,
  actor: Actor,
  leadUnitIds: readonly string[],
  options: { open?: boolean; mixSize?: number; named?: boolean; key?: string } = {},
): Promise<CampaignFixture> {
  counter += 1;
  const today = deps.clock.now().toISOString().slice(0, 10);
  const campaign = await createCampaign(deps, actor, {
    key: options.key ?? `kt-${Date.now().toString(36)}-${counter}`,
    name: '重点工作专项评价',
    subjectKind: 'key_task',
    questionnaire: KEY_TASK_SHEET,
    named: options.named ?? false,
    mixSize: options.mixSize ?? 5,
    minResponses: 3,
    subjects: leadUnitIds.map((unitId, i) => ({
      kind: 'key_task',
      unitId,
      name: `重点工作${i + 1}`,
      group: i % 2 === 0 ? '民生类' : '发展类',
      description: '年度重点工作',
      highlights: ['完成老旧小区改造', '新增停车位600余个'],
    })),
    rounds: [
      {
        key: 'mid',
        name: '年中',
        opensOn: today,
        closesOn: `${today.slice(0, 4)}-12-31`,
        stages: [
          { name: '定向评价', source: 'directed', opensOn: today, closesOn: `${today.slice(0, 4)}-12-31` },
        ],
      },
    ],
  });
  const round = campaign.rounds[0];
  const stage = round?.stages[0];
  if (!round || !stage) throw new Error('no round');
  if (options.open !== false) await advanceRound(deps, actor, round.id, 'open');
  return { campaign, roundId: round.id, stageId: stage.id };
}

/** Invites n evaluators by a directed list; phones 139000000xx. */
export async function inviteSome(
  deps: Deps,
  actor: Actor,
  fixture: CampaignFixture,
  n: number,
): Promise<IssuedInvitation[]> {
  return issueInvitations(deps, actor, fixture.roundId, {
    stageId: fixture.stageId,
    evaluators: Array.from({ length: n }, (_, i) => ({
      ref: `deputy-${i}`,
      name: `代表${i + 1}`,
      phone: `139${String(i).padStart(8, '0')}`,
      group: i % 3 === 0 ? '人大代表' : '政协委员',
    })),
  });
}
