/*
 * The demo's evaluator pool (示范市): 26 groups as Tai'an keeps them, 10,000 evaluators with a region (a street
 * or township centre), 82% from the grassroots, stakeholder tags and a few conflict-of-interest links; and two
 * published draws modelled on Tai'an's: 1,213 front-line teachers for the school-lunch project and 720
 * entrepreneurs for the investment green-card project, each with quotas by district and on grassroots.
 *
 * Evaluators are written in batches straight through the store (10,000 audit entries would make the demo
 * slow); the groups and the draws go through the service. A seeded generator makes the demo the same on every
 * run, and the draws' secrets are fixed so that their seeds are too (a real draw's secret is random).
 */
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import type { EvaluatorsTable } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { seededRandom } from '../registry/demo.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from '../registry/demo-names.js';
import * as registryStore from '../registry/store.js';
import { announceDraw, performDraw, publishDraw } from './draw-service.js';
import { sha256Text } from './random.js';
import { createGroup } from './service.js';
import * as store from './store.js';
import type { Quota } from './types.js';

/** Tai'an's 26 groups (“两代表一委员”, officials, experts, residents, …) with their weight in the demo pool. */
export const DEMO_GROUPS: readonly { code: string; name: string; weight: number; tag?: string }[] = [
  { code: 'npc', name: '人大代表', weight: 3 },
  { code: 'cppcc', name: '政协委员', weight: 3 },
  { code: 'party', name: '党代表', weight: 2 },
  { code: 'officials', name: '机关干部', weight: 5 },
  { code: 'experts', name: '专家学者', weight: 2 },
  { code: 'urban', name: '城镇居民', weight: 10 },
  { code: 'rural', name: '农村居民', weight: 10 },
  { code: 'teachers', name: '教师', weight: 17, tag: '一线教师' },
  { code: 'medical', name: '医务人员', weight: 4 },
  { code: 'entrepreneurs', name: '企业家', weight: 10, tag: '园区企业' },
  { code: 'selfemployed', name: '个体工商户', weight: 4 },
  { code: 'media', name: '新闻媒体', weight: 1 },
  { code: 'lawyers', name: '律师', weight: 1 },
  { code: 'community', name: '社区工作者', weight: 4 },
  { code: 'village', name: '村干部', weight: 3 },
  { code: 'retired', name: '离退休干部', weight: 3 },
  { code: 'youth', name: '青年代表', weight: 2 },
  { code: 'women', name: '妇女代表', weight: 2 },
  { code: 'unions', name: '工会代表', weight: 1 },
  { code: 'coops', name: '农民专业合作社', weight: 2 },
  { code: 'migrants', name: '外来务工人员', weight: 2 },
  { code: 'parents', name: '学生家长', weight: 3 },
  { code: 'monitors', name: '特约监督员', weight: 1 },
  { code: 'conduct', name: '行风监督员', weight: 1 },
  { code: 'volunteers', name: '志愿者', weight: 2 },
  { code: 'finance', name: '金融从业人员', weight: 2 },
];

export interface PanelDemo {
  groups: number;
  evaluators: number;
  grassrootsShare: number;
  draws: { purpose: string; size: number; id: string }[];
}

const PREFIXES = [
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '186',
  '187',
  '188',
];

/** Loads the demo pool and its two published draws (the registry demo must be loaded first). */
export async function loadPanelDemo(deps: Deps, actor: Actor, size = 10_000): Promise<PanelDemo> {
  const db = deps.database.db;
  const random = seededRandom(20211201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (const [i, g] of DEMO_GROUPS.entries())
    await createGroup(deps, actor, { code: g.code, name: g.name, sortOrder: i + 1 });

  const versions = await registryStore.latestVersions(db);
  const districts = versions.filter((v) => /^SFS-Q\d\d$/.test(v.code));
  const districtIds = new Set(districts.map((d) => d.unitId));
  const centres = versions.filter(
    (v) => v.parentId !== null && districtIds.has(v.parentId) && v.name.endsWith('便民服务中心'),
  );
  const departments = versions.filter((v) => v.kind === 'department');
  if (!centres.length || !departments.length)
    throw new Error('Load the registry demo before the panel demo.');

  const totalWeight = DEMO_GROUPS.reduce((s, g) => s + g.weight, 0);
  const groupFor = () => {
    let r = random() * totalWeight;
    for (const g of DEMO_GROUPS) {
      r -= g.weight;
      if (r < 0) return g;
    }
    return DEMO_GROUPS[0] as (typeof DEMO_GROUPS)[number];
  };
  const now = deps.clock.now().toISOString();
  const mobiles = new Set<string>();
  const rows: EvaluatorsTable[] = [];
  let grassroots = 0;
  for (let i = 0; i < size; i++) {
    const g = groupFor();
    const groups = [g.code];
    // One in twelve is in a second group too (a teacher who is also a deputy, …).
    if (random() < 1 / 12) {
      const other = groupFor();
      if (other.code !== g.code) groups.push(other.code);
    }
    const official = ['npc', 'cppcc', 'party', 'officials', 'experts', 'media', 'lawyers'].includes(g.code);
    const isGrassroots = official ? random() < 0.35 : random() < 0.93;
    if (isGrassroots) grassroots += 1;
    let mobile = '';
    do mobile = `${pick(PREFIXES)}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    while (mobiles.has(mobile));
    mobiles.add(mobile);
    const female = random() < 0.5;
    const tags = g.tag && random() < 0.9 ? [g.tag] : [];
    if (groups.includes('parents') && random() < 0.5) tags.push('学生家长');
    rows.push({
      id: newId(),
      name: `${pick(SURNAMES)}${pick(female ? GIVEN_FEMALE : GIVEN_MALE)}`,
      mobile,
      groups: JSON.stringify(groups),
      regionId: pick(centres).unitId,
      grassroots: isGrassroots ? 1 : 0,
      tags: JSON.stringify(tags),
      conflicts: JSON.stringify(random() < 0.05 ? [pick(departments).unitId] : []),
      active: random() < 0.985 ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    });
  }
  await store.insertEvaluators(db, rows);

  const education = departments.find((d) => d.name.includes('教育')) ?? departments[0];
  const commerce =
    departments.find((d) => d.name.includes('商务') || d.name.includes('发展')) ?? departments[1];
  const plans = [
    {
      purpose: '中小学午餐保障及食堂改造提升工程 专项评价（一线教师代表）',
      group: 'teachers',
      tag: '一线教师',
      size: 1213,
      subject: education?.unitId,
      publicValue: '2026-11-02 福彩3D 第2026296期 开奖号码 4 1 7',
    },
    {
      purpose: '实施重大投资项目绿卡制度 专项评价（企业代表）',
      group: 'entrepreneurs',
      tag: '园区企业',
      size: 720,
      subject: commerce?.unitId,
      publicValue: '2026-11-09 福彩3D 第2026303期 开奖号码 0 8 5',
    },
  ];
  const draws: PanelDemo['draws'] = [];
  for (const plan of plans) {
    // Quotas: each district within ±15% of its share of the eligible people, and at least 80% grassroots.
    const eligible = rows.filter(
      (r) =>
        r.active === 1 &&
        (JSON.parse(r.groups) as string[]).includes(plan.group) &&
        (JSON.parse(r.tags) as string[]).includes(plan.tag),
    );
    const districtOf = new Map(centres.map((c) => [c.unitId, c.parentId]));
    const quotas: Quota[] = districts.map((d) => {
      const share =
        (plan.size * eligible.filter((r) => r.regionId && districtOf.get(r.regionId) === d.unitId).length) /
        eligible.length;
      return {
        feature: 'region',
        value: d.unitId,
        min: Math.floor(share * 0.85),
        max: Math.ceil(share * 1.15),
      };
    });
    quotas.push({ feature: 'grassroots', value: 'yes', min: Math.ceil(plan.size * 0.8), max: plan.size });
    const announced = await announceDraw(
      deps,
      actor,
      {
        kind: 'sample',
        purpose: plan.purpose,
        rules: {
          size: plan.size,
          filters: { groups: [plan.group], regions: [], tags: [plan.tag], grassroots: null },
          quotas,
          subjectUnits: plan.subject ? [plan.subject] : [],
          rotationDays: 180,
          exclusions: [],
          reservePerStratum: 3,
        },
      },
      { secret: sha256Text(`minping demo draw ${plan.group}`) },
    );
    await performDraw(deps, actor, announced.id, plan.publicValue);
    await publishDraw(deps, actor, announced.id);
    draws.push({ purpose: plan.purpose, size: plan.size, id: announced.id });
  }
  return {
    groups: DEMO_GROUPS.length,
    evaluators: rows.length,
    grassrootsShare: Math.round((grassroots / rows.length) * 1000) / 10,
    draws,
  };
}
