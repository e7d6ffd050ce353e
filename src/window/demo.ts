import type { Actor } from '../core/auth/model.js';
import { accountByUsername } from '../core/auth/store.js';
import type { Deps } from '../core/context.js';
import { addDays } from '../core/time.js';
import { treeOn, type TreeUnit } from '../registry/tree.js';
import {
  acceptMatter,
  assignMatter,
  declineMatter,
  reopenMatter,
  resolveMatter,
  respondMatter,
  toLedgerItem,
} from './handling.js';
import { rateMatter } from './public.js';
import { setRota } from './rota.js';
import { fileMatter, PUBLIC_FILER } from './service.js';
import { sweepWindowDeadlines } from './sweeps.js';
import type { MatterChannel, MatterRating } from './types.js';

/*
 * The demo's 办不成事 window: a duty rota for the office, and a few dozen matters filed over the last three
 * months before the demo's "today" — the older ones resolved and judged (mostly satisfied, as Chuzhou's),
 * the recent ones waiting at every step, a few overdue with warnings, one declined, one reopened after the
 * person was not satisfied, and two put on the rectification ledger. Matters involve the unit staff's
 * department, so the demo's unit account has some to answer.
 */

interface Story {
  what: string;
  place: string;
  named: string;
  /** Which kind of unit leads: the staff's department or a department by a word of its name. */
  lead: string;
  assist?: string;
  resolution: string;
}

const STORIES: Story[] = [
  {
    what: '公司统一社会信用代码登记时填错一位，社保、公积金开户都办不了，市场监管说要税务先改，税务说要市场监管先改。',
    place: '市政务服务中心',
    named: '市场监管局、税务局',
    lead: 'staff',
    assist: '人力资源',
    resolution: '市场监管局协调省局远程更正登记信息，社保、公积金开户当日办结。',
  },
  {
    what: '房子买了十几年只有房产证没有土地证，现在要过户，不动产登记中心说土地面积确认不了，让找自然资源局，自然资源局又让回登记中心。',
    place: '不动产登记中心',
    named: '自然资源和规划局',
    lead: '自然资源',
    resolution: '组织“四邻公示”并补充测绘，确认土地面积后办理了过户。',
  },
  {
    what: '企业改造生产线后建筑方案不符合消防规范，项目停工两个月，住建和消防各说各的，不知道该先改哪一个。',
    place: '县政务服务中心',
    named: '住建局、消防救援大队',
    lead: '住房',
    assist: 'staff',
    resolution: '牵头召集住建、消防联合会商，给出整改方案并容缺受理，项目已复工。',
  },
  {
    what: '丈夫去世后女儿精神残疾无人照顾，想送福利院，被告知不符合入住条件，低保也一直没批下来。',
    place: '镇便民服务中心',
    named: '民政局',
    lead: '民政',
    resolution: '协调民营医院托管治疗，为其家庭三人申请了最低生活保障。',
  },
  {
    what: '个体户营业执照经营范围想加一项食品销售，网上提交三次都被退回，电话问不清楚退回原因。',
    place: '网上办事大厅',
    named: '市场监管局',
    lead: 'staff',
    resolution: '窗口一次性告知需补充的材料，当场帮助提交，次日取得许可。',
  },
  {
    what: '孩子户口在老家，想在这里上小学，教育局要居住证，派出所说居住证要先有租房备案，房东不配合备案。',
    place: '区政务服务中心',
    named: '教育局、公安分局',
    lead: '教育',
    assist: '公安',
    resolution: '以水电缴费记录替代租房备案办理了居住证，孩子已入学。',
  },
  {
    what: '退休人员异地就医备案，医保窗口说要原单位盖章，原单位已经注销了，找不到人盖章。',
    place: '医保服务大厅',
    named: '医疗保障局',
    lead: '医疗保障',
    resolution: '按单位注销情形改由本人承诺办理备案，已可直接结算。',
  },
  {
    what: '小区业委会备案材料交到街道，街道说归住建局，住建局说归街道，拖了半年没人受理。',
    place: '街道办事处',
    named: '住建局、街道办',
    lead: '住房',
    resolution: '明确由街道受理、住建局指导，备案已完成。',
  },
  {
    what: '农民工工资被拖欠四个月，去劳动监察反映说要先仲裁，仲裁说材料不全，包工头已经联系不上。',
    place: '人社局服务窗口',
    named: '人社局',
    lead: '人力资源',
    resolution: '劳动监察立案并责令总包单位垫付，工资已全部发放。',
  },
  {
    what: '残疾证到期换证，要求本人到医院重新鉴定，但老人卧床不能出门，医院又不上门。',
    place: '残联服务窗口',
    named: '残联、卫健委',
    lead: '卫生',
    resolution: '协调定点医院上门鉴定，残疾证已换发。',
  },
  {
    what: '新开的餐馆办排污许可，生态环境局说要先有营业执照上的准确地址，执照地址写的是门牌号不全，改地址又要排污许可。',
    place: '市政务服务中心',
    named: '生态环境局、市场监管局',
    lead: 'staff',
    assist: '生态环境',
    resolution: '两部门并联办理，先变更执照地址再核发排污登记，一周内办结。',
  },
  {
    what: '公积金提取用于还房贷，银行流水和贷款合同名字有一个字不同（曾用名），公积金中心不认。',
    place: '公积金中心',
    named: '住房公积金中心、公安分局',
    lead: '公积金',
    assist: '公安',
    resolution: '公安开具曾用名证明，公积金中心已办理提取。',
  },
];

const FILERS = [
  '李女士',
  '王先生',
  '张先生',
  '刘女士',
  '陈先生',
  '杨女士',
  '赵先生',
  '黄女士',
  '周先生',
  '吴女士',
];
const CHANNELS: MatterChannel[] = ['web', 'web', 'hall', 'web', 'hotline', 'hall'];

/** Where each of the 36 matters ends up, by its age: the oldest are judged, the newest just filed. */
type Fate =
  | 'judged'
  | 'dissatisfied_reopened'
  | 'ledger'
  | 'resolved'
  | 'replied'
  | 'handling'
  | 'accepted'
  | 'filed'
  | 'declined';

function fateOf(i: number, total: number): Fate {
  const fromNewest = total - 1 - i;
  if (fromNewest === 0 || fromNewest === 3) return 'filed';
  if (fromNewest === 1) return 'accepted';
  if (fromNewest <= 8) return 'handling';
  if (fromNewest <= 10) return 'replied';
  if (fromNewest <= 13) return 'resolved';
  if (i === 4) return 'declined';
  if (i === 7) return 'dissatisfied_reopened';
  if (i === 2 || i === 11) return 'ledger';
  return 'judged';
}

const RATINGS: MatterRating[] = [
  'satisfied',
  'satisfied',
  'satisfied',
  'basically',
  'satisfied',
  'satisfied',
  'satisfied',
];

export interface WindowDemoSummary {
  matters: number;
  byFate: Record<string, number>;
  warnings: number;
}

/** Loads the window's demo (see the file comment); `today` is the demo's last day. */
export async function loadWindowDemo(
  deps: Deps,
  system: Actor,
  options: { today: string; staffUnitId: string },
): Promise<WindowDemoSummary> {
  const { db } = deps.database;
  const tree = await treeOn(db, options.today);
  const departments = tree.inForce().filter((u) => u.kind === 'department');
  const unitFor = (key: string): TreeUnit => {
    if (key === 'staff') {
      const staff = tree.unit(options.staffUnitId);
      if (staff) return staff;
    }
    return (
      departments.find((d) => d.name.includes(key)) ??
      departments[key.length % departments.length] ??
      departments[0]!
    );
  };
  const at = (day: string, hour = 10) => ({
    ...deps,
    clock: { now: () => new Date(`${day}T${String(hour - 8).padStart(2, '0')}:00:00.000Z`) },
  });

  const total = 36;
  const first = addDays(options.today, -90);
  const office = await accountByUsername(db, 'office');
  const admin = await accountByUsername(db, 'demo-admin');
  const coordinators = [office?.id, admin?.id].filter((x): x is string => typeof x === 'string');
  if (coordinators.length > 0) {
    await setRota(at(first), system, {
      from: first,
      to: addDays(options.today, 30),
      accountIds: coordinators,
    });
  }

  const byFate: Record<string, number> = {};
  for (let i = 0; i < total; i++) {
    const story = STORIES[i % STORIES.length]!;
    const fate = fateOf(i, total);
    byFate[fate] = (byFate[fate] ?? 0) + 1;
    // Spread over the 90 days, the last ones in the last few days.
    const filedOn = addDays(first, Math.round((i * 89) / (total - 1)));
    const channel = CHANNELS[i % CHANNELS.length]!;
    const input = {
      what: story.what,
      place: story.place,
      unitsNamed: story.named,
      filerName: FILERS[i % FILERS.length]!,
      filerPhone: `139${String(10_000_000 + i * 7919).slice(-8)}`,
    };
    const m = await fileMatter(at(filedOn, 9), channel === 'web' ? PUBLIC_FILER : system, channel, input);
    if (fate === 'filed') continue;
    if (fate === 'declined') {
      await declineMatter(at(filedOn, 15), system, m.id, {
        reason: '属于已进入司法程序的民事纠纷，请通过诉讼途径解决；已告知可申请法律援助。',
      });
      continue;
    }
    await acceptMatter(at(filedOn, 11), system, m.id);
    if (fate === 'accepted') continue;
    const lead = unitFor(story.lead);
    const assist = story.assist ? unitFor(story.assist) : null;
    const unitIds = assist && assist.unitId !== lead.unitId ? [lead.unitId, assist.unitId] : [lead.unitId];
    const assignedOn = addDays(filedOn, 1);
    await assignMatter(at(assignedOn, 10), system, m.id, { unitIds, leadUnitId: lead.unitId });
    // Two of the matters still handled are past their deadline: nobody answered.
    if (fate === 'handling') continue;
    const answeredOn = addDays(assignedOn, 3);
    for (const u of unitIds) {
      await respondMatter(at(answeredOn, 16), system, m.id, {
        unitId: u,
        text: `${tree.name(u)}：${story.resolution}`,
      });
    }
    if (fate === 'replied') continue;
    const resolvedOn = addDays(answeredOn, 1);
    await resolveMatter(at(resolvedOn, 10), system, m.id, { outcome: 'solved', text: story.resolution });
    if (fate === 'resolved') continue;
    const ratedOn = addDays(resolvedOn, 2);
    if (fate === 'dissatisfied_reopened') {
      await rateMatter(at(ratedOn, 20), m.receiptCode, {
        rating: 'dissatisfied',
        comment: '只解释了政策，问题还是没解决。',
      });
      await reopenMatter(at(addDays(ratedOn, 1), 9), system, m.id, {
        reason: '群众不满意，请牵头单位拿出具体解决办法。',
      });
      continue;
    }
    await rateMatter(at(ratedOn, 20), m.receiptCode, {
      rating: RATINGS[i % RATINGS.length]!,
      comment: i % 3 === 0 ? '办得很快，谢谢！' : '',
    });
    if (fate === 'ledger') {
      await toLedgerItem(at(addDays(ratedOn, 1), 10), system, m.id, {
        title: `${lead.name}跨部门事项互相推诿`,
        responsibleName: lead.responsibleName || '分管负责人',
      });
    }
  }

  const counts = await db.transaction().execute((trx) => sweepWindowDeadlines(trx, at(options.today, 18)));
  return {
    matters: total,
    byFate,
    warnings: (counts.warnings ?? 0) + (counts.urgentWarnings ?? 0) + (counts.talks ?? 0),
  };
}
