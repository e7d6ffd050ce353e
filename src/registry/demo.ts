/*
 * The demo jurisdiction: 示范市, a fictional prefecture-level city with five districts and counties, 38 city
 * departments with their 106 sections (one merged away in 2025), about 270 grassroots stations and service
 * windows, four utility companies, their service items and staff, the assessment periods of 2025–2026, and
 * one institutional reform so that the registry's history has something to show.
 *
 * Everything goes through the registry's service functions, so every row has its audit entry, inside one
 * transaction so that it stays fast. A seeded generator makes the demo identical on every run.
 */
import type { Transaction } from 'kysely';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import type { DB } from '../core/db/schema.js';
import {
  CITY_NAME,
  CENTRE_ITEMS,
  COMPANIES,
  DEPARTMENTS,
  DISTRICT_HALL_WINDOWS,
  DISTRICTS,
  GIVEN_FEMALE,
  GIVEN_FIRST_FEMALE,
  GIVEN_FIRST_MALE,
  GIVEN_MALE,
  INTAKE_ITEMS,
  MERGED_SECTION,
  RENAMED_DEPARTMENT,
  STAFF_DEPARTMENT,
  SURNAMES,
  VILLAGE_ITEMS,
  type StationSpec,
  type WindowEntry,
} from './demo-names.js';
import type { PeriodKind, ServiceMode, UnitKind } from './model.js';
import {
  createCategory,
  createPeriods,
  createServiceItem,
  createStaff,
  createUnit,
  deactivateUnit,
  listCategories,
  updateServiceItem,
  updateStaff,
  updateUnit,
  type UnitView,
} from './service.js';

export interface RegistryDemo {
  units: number;
  serviceItems: number;
  staff: number;
  staffUnitId: string;
  staffUnitName: string;
}

/** The date from which every demo unit is in force (before the reform of 2025). */
export const DEMO_VALID_FROM = '2020-01-01';

const DEMO_SEED = 20_260_101;

/**
 * A small deterministic pseudo-random generator (mulberry32): the same seed gives the same sequence of
 * numbers in [0, 1) on every run and platform. For demo data only, not for anything that must be unguessable.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The demo's unit categories: how units are grouped for ranking. */
export const DEMO_CATEGORIES = [
  { code: 'CITY', name: '市本级', nameEn: 'City', description: '示范市本级，单位树的根。' },
  { code: 'DISTRICT', name: '区县', nameEn: 'District or county', description: '示范市辖区、县。' },
  { code: 'DEPT', name: '市直部门', nameEn: 'City department', description: '市政府工作部门及市直单位。' },
  {
    code: 'APPROVAL',
    name: '有审批或执法权的科室',
    nameEn: 'Section with approval or enforcement power',
    description: '具有行政审批、行政许可或行政执法职能的科室，“最难办事科室”评议对象。',
  },
  {
    code: 'PUBLIC',
    name: '公共服务科室',
    nameEn: 'Public-service section',
    description: '承担社会救助、社会保险、就业等公共服务职能的科室。',
  },
  {
    code: 'SERVICE',
    name: '服务窗口',
    nameEn: 'Service window',
    description: '政务服务大厅及各服务场所的窗口。',
  },
  {
    code: 'GRASSROOTS',
    name: '基层站所',
    nameEn: 'Grassroots station',
    description: '派出所、市场监管所、税务分局、便民服务中心、社区服务站等基层站所。',
  },
  {
    code: 'UTILITY',
    name: '公用事业单位',
    nameEn: 'Utility company',
    description: '供水、供电、燃气、公交等与民生密切相关的企业。',
  },
] as const;

type CategoryCode = (typeof DEMO_CATEGORIES)[number]['code'];

const PERIODS: { kind: PeriodKind; year: number }[] = [
  { kind: 'year', year: 2025 },
  { kind: 'year', year: 2026 },
  { kind: 'half', year: 2026 },
  { kind: 'quarter', year: 2026 },
  { kind: 'month', year: 2026 },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface UnitPlan {
  code: string;
  name: string;
  shortName?: string;
  kind: UnitKind;
  parentId: string | null;
  category: CategoryCode;
  tags?: readonly string[];
  sortOrder: number;
  /** Positions of the unit's staff; the first one is the responsible person. */
  crew: readonly string[];
  /** The responsible person, when it is not the first of the crew (a name and no staff row). */
  responsible?: string;
  phone: string;
  items?: readonly string[];
}

interface Created {
  view: UnitView;
  staffIds: string[];
  itemIds: string[];
}

/** Builds the demo inside one transaction; counts what it creates. */
class DemoBuilder {
  units = 0;
  items = 0;
  staff = 0;
  private staffSeq = 0;
  private readonly surnameWeights: number[];
  private readonly surnameTotal: number;

  constructor(
    private readonly deps: Deps,
    private readonly actor: Actor,
    private readonly trx: Transaction<DB>,
    private readonly categories: ReadonlyMap<string, string>,
    private readonly rng: () => number,
  ) {
    this.surnameWeights = SURNAMES.map((_, i) => 1 / (i + 4));
    this.surnameTotal = this.surnameWeights.reduce((a, b) => a + b, 0);
  }

  // --- randomness ------------------------------------------------------------------------------

  int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(this.rng() * list.length)] as T;
  }

  /** `n` distinct elements, in random order. */
  sample<T>(list: readonly T[], n: number): T[] {
    const copy = [...list];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) {
      out.push(copy.splice(Math.floor(this.rng() * copy.length), 1)[0] as T);
    }
    return out;
  }

  personName(): string {
    let r = this.rng() * this.surnameTotal;
    let surname = SURNAMES[0] as string;
    for (let i = 0; i < SURNAMES.length; i++) {
      r -= this.surnameWeights[i] as number;
      if (r <= 0) {
        surname = SURNAMES[i] as string;
        break;
      }
    }
    const female = this.rng() < 0.45;
    const last = this.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
    if (this.rng() < 0.3) return surname + last;
    return surname + this.pick(female ? GIVEN_FIRST_FEMALE : GIVEN_FIRST_MALE) + last;
  }

  mobile(): string {
    return `1${this.pick(['38', '39', '58', '59', '86', '87'])}0000${pad(this.int(0, 9999), 4)}`;
  }

  /** An office line of the city's exchange (fictional), e.g. 0571-87221234 for department 22. */
  landline(exchange: number): string {
    return `0571-8${pad(exchange, 3)}${pad(this.int(0, 9999), 4)}`;
  }

  // --- rows ------------------------------------------------------------------------------------

  async unit(plan: UnitPlan): Promise<Created> {
    const people = plan.crew.map((position) => ({ position, name: this.personName(), phone: this.mobile() }));
    const view = await createUnit(
      this.deps,
      this.actor,
      {
        code: plan.code,
        name: plan.name,
        shortName: plan.shortName,
        kind: plan.kind,
        parentId: plan.parentId,
        categoryId: this.categoryId(plan.category),
        tags: plan.tags ? [...plan.tags] : [],
        sortOrder: plan.sortOrder,
        responsibleName: plan.responsible ?? people[0]?.name ?? '',
        responsiblePhone: plan.phone,
        validFrom: DEMO_VALID_FROM,
      },
      this.trx,
    );
    this.units += 1;
    const staffIds: string[] = [];
    for (const person of people) {
      this.staffSeq += 1;
      const row = await createStaff(
        this.deps,
        this.actor,
        {
          staffNo: `SF${pad(this.staffSeq, 5)}`,
          name: person.name,
          unitId: view.id,
          position: person.position,
          phone: person.phone,
        },
        this.trx,
      );
      staffIds.push(row.id);
      this.staff += 1;
    }
    const itemIds: string[] = [];
    for (const [i, name] of (plan.items ?? []).entries()) {
      const row = await createServiceItem(
        this.deps,
        this.actor,
        { code: `${plan.code}-X${pad(i + 1)}`, name, unitId: view.id, mode: this.modeOf(name) },
        this.trx,
      );
      itemIds.push(row.id);
      this.items += 1;
    }
    return { view, staffIds, itemIds };
  }

  private categoryId(code: CategoryCode): string {
    const id = this.categories.get(code);
    if (!id) throw new Error(`demo category ${code} missing`);
    return id;
  }

  /** Online for what needs no visit, offline for what needs the person there, mostly both otherwise. */
  private modeOf(name: string): ServiceMode {
    if (/查询|备案|报告|网上|在线|赋码|缴纳|缴费|激活/.test(name)) return 'online';
    if (
      /现场|身份证|换领|遗体|火化|寄存|借阅|读者证|接待|检定|核查|调解|确认|窗口|自助|代办|反映/.test(name)
    ) {
      return 'offline';
    }
    return this.rng() < 0.85 ? 'both' : 'offline';
  }

  // --- crews -----------------------------------------------------------------------------------

  sectionCrew(): string[] {
    const crew = ['科长'];
    if (this.rng() < 0.6) crew.push('副科长');
    const clerks = this.int(1, 3);
    for (let i = 0; i < clerks; i++)
      crew.push(this.pick(['一级科员', '科员', '四级主任科员', '二级主任科员']));
    return crew;
  }

  windowCrew(name: string): string[] {
    const worker = name.includes('综合受理')
      ? '综合受理员'
      : name.includes('帮办代办')
        ? '帮办代办员'
        : name.includes('自助')
          ? '自助服务引导员'
          : '窗口工作人员';
    return ['窗口负责人', ...Array.from({ length: this.int(1, 2) }, () => worker)];
  }

  stationCrew(name: string): string[] {
    const head = stationHead(name);
    const worker = name.endsWith('派出所')
      ? () => this.pick(['户籍民警', '社区民警', '辅警'])
      : /支队|大队/.test(name)
        ? () => '执法队员'
        : name.endsWith('社区服务站')
          ? () => this.pick(['社区工作者', '网格员'])
          : name.endsWith('村便民服务站')
            ? () => '村便民服务代办员'
            : () => '工作人员';
    const crew = [head];
    if (this.rng() < 0.5 && !name.endsWith('服务站')) crew.push(`副${head}`);
    const workers = this.int(1, 3);
    for (let i = 0; i < workers; i++) crew.push(worker());
    return crew;
  }
}

/** The head of a station by the kind of its name: 所长, 站长, 支队长, 主任 … */
function stationHead(name: string): string {
  const rules: [RegExp, string][] = [
    [/所$/, '所长'],
    [/站$/, '站长'],
    [/支队$/, '支队长'],
    [/大队$/, '大队长'],
    [/分局$/, '局长'],
    [/院$/, '院长'],
    [/馆$/, '馆长'],
    [/(中心|分中心|管理部|处)$/, '主任'],
  ];
  return rules.find(([re]) => re.test(name))?.[1] ?? '负责人';
}

const windowName = (w: WindowEntry) => (typeof w === 'string' ? w : w.name);
const windowItems = (w: WindowEntry) => (typeof w === 'string' ? [] : (w.items ?? []));
const windowTags = (w: WindowEntry) => (typeof w === 'string' ? [] : (w.tags ?? []));

/**
 * Loads 示范市 into an empty registry: categories, periods, the unit tree with service items and staff, and
 * the reform of 2025 (a department renamed on 2025-01-01, a section merged into another on 2025-07-01).
 */
export async function loadRegistryDemo(deps: Deps, actor: Actor): Promise<RegistryDemo> {
  // Categories the office already defined under the same codes are reused.
  const categories = new Map((await listCategories(deps, actor)).map((c) => [c.code, c.id]));

  const rng = seededRandom(DEMO_SEED);
  // One transaction for everything: a failure part-way leaves the database as empty as it was.
  const built = await deps.database.db.transaction().execute(async (trx) => {
    for (const c of DEMO_CATEGORIES) {
      if (!categories.has(c.code)) categories.set(c.code, (await createCategory(deps, actor, c, trx)).id);
    }
    for (const p of PERIODS) await createPeriods(deps, actor, p, trx);
    const b = new DemoBuilder(deps, actor, trx, categories, rng);
    const byName = new Map<string, Created>();

    const city = await b.unit({
      code: 'SFS',
      name: CITY_NAME,
      kind: 'jurisdiction',
      parentId: null,
      category: 'CITY',
      sortOrder: 0,
      crew: [],
      responsible: '王丽',
      phone: '0571-87000001',
    });

    // Window units below a parent, with their items; codes <parent>-W01 …
    const windows = async (parent: Created, entries: readonly WindowEntry[], exchange: number) => {
      for (const [i, w] of entries.entries()) {
        const name = windowName(w);
        await b.unit({
          code: `${parent.view.code}-W${pad(i + 1)}`,
          name,
          kind: 'window',
          parentId: parent.view.id,
          category: 'SERVICE',
          tags: windowTags(w),
          sortOrder: i + 1,
          crew: b.windowCrew(name),
          phone: b.landline(exchange),
          items: windowItems(w),
        });
      }
    };
    // Station units (with their windows and child stations); codes <parent>-Z01 …
    const stations = async (
      parent: Created,
      specs: readonly StationSpec[],
      exchange: number,
      firstSort: number,
      letter = 'Z',
    ) => {
      for (const [i, s] of specs.entries()) {
        const station = await b.unit({
          code: `${parent.view.code}-${letter}${pad(i + 1)}`,
          name: s.name,
          kind: 'station',
          parentId: parent.view.id,
          category: 'GRASSROOTS',
          tags: s.tags ?? [],
          sortOrder: firstSort + i,
          crew: b.stationCrew(s.name),
          phone: b.landline(exchange),
          items: s.items ?? [],
        });
        await windows(station, s.windows ?? [], exchange);
        if (s.children) await stations(station, s.children, exchange, 1, 'C');
      }
    };

    // City departments, their sections, stations and windows.
    for (const [di, dept] of DEPARTMENTS.entries()) {
      const exchange = 700 + di + 1;
      const department = await b.unit({
        code: `SFS-D${pad(di + 1)}`,
        name: dept.name,
        shortName: dept.shortName,
        kind: 'department',
        parentId: city.view.id,
        category: 'DEPT',
        tags: dept.tags ?? [],
        sortOrder: di + 1,
        crew: [dept.head, `副${dept.head}`, '办公室主任', '绩效考核联络员'],
        phone: b.landline(exchange),
      });
      byName.set(dept.name, department);
      for (const [si, sec] of dept.sections.entries()) {
        const section = await b.unit({
          code: `${department.view.code}-S${pad(si + 1)}`,
          name: sec.name,
          kind: 'section',
          parentId: department.view.id,
          category: sec.duty === 'approval' ? 'APPROVAL' : 'PUBLIC',
          tags: sec.tags ?? [],
          sortOrder: si + 1,
          crew: b.sectionCrew(),
          phone: b.landline(exchange),
          items: sec.items,
        });
        byName.set(`${dept.name}/${sec.name}`, section);
        await windows(section, sec.windows ?? [], exchange);
        await stations(section, sec.stations ?? [], exchange, (sec.windows?.length ?? 0) + 1);
      }
      await stations(department, dept.stations ?? [], exchange, dept.sections.length + 1);
    }

    // Districts and counties: the service hall with its windows, street and township centres, villages.
    for (const [qi, d] of DISTRICTS.entries()) {
      const exchange = 600 + qi + 1;
      const district = await b.unit({
        code: `SFS-Q${pad(qi + 1)}`,
        name: d.name,
        kind: 'jurisdiction',
        parentId: city.view.id,
        category: 'DISTRICT',
        sortOrder: 100 + qi + 1,
        crew: [`${d.county ? '县' : '区'}考核办联络员`],
        phone: b.landline(exchange),
      });
      // General intake windows accept two common items each; the special windows keep their own.
      const hallWindows = DISTRICT_HALL_WINDOWS.map((w): WindowEntry => {
        const spec = typeof w === 'string' ? { name: w } : w;
        return spec.items ? spec : { ...spec, items: b.sample(INTAKE_ITEMS, 2) };
      });
      const centres: StationSpec[] = d.centres.map((c) => ({
        name: `${c.name}便民服务中心`,
        items: b.sample(CENTRE_ITEMS, 2),
        children: c.villages.map((v) => ({
          name: v.endsWith('社区') ? `${v}服务站` : `${v}便民服务站`,
          items: b.sample(VILLAGE_ITEMS, 1),
        })),
      }));
      await stations(
        district,
        [{ name: `${d.name}政务服务中心`, tags: ['一网通办'], windows: hallWindows }, ...centres],
        exchange,
        1,
      );
    }

    // Utility companies and their service halls.
    for (const [ci, c] of COMPANIES.entries()) {
      const exchange = 800 + ci + 1;
      const company = await b.unit({
        code: `SFS-C${pad(ci + 1)}`,
        name: c.name,
        shortName: c.shortName,
        kind: 'company',
        parentId: city.view.id,
        category: 'UTILITY',
        tags: ['公用事业', ...(c.tags ?? [])],
        sortOrder: 200 + ci + 1,
        crew: ['客户服务中心主任', c.head],
        phone: b.landline(exchange),
      });
      await windows(company, c.windows, exchange);
    }

    // The reform of 2025: a department renamed, then a section merged into another.
    const renamed = byName.get(RENAMED_DEPARTMENT.from);
    if (!renamed) throw new Error(`demo: ${RENAMED_DEPARTMENT.from} missing`);
    await updateUnit(
      deps,
      actor,
      renamed.view.id,
      {
        name: RENAMED_DEPARTMENT.to,
        shortName: RENAMED_DEPARTMENT.shortName,
        effectiveFrom: RENAMED_DEPARTMENT.effectiveFrom,
      },
      trx,
    );
    const from = byName.get(`${MERGED_SECTION.department}/${MERGED_SECTION.from}`);
    const into = byName.get(`${MERGED_SECTION.department}/${MERGED_SECTION.into}`);
    if (!from || !into) throw new Error('demo: merged sections missing');
    const moved = await trx
      .selectFrom('unitVersions')
      .select('unitId')
      .where('parentId', '=', from.view.id)
      .where('validTo', 'is', null)
      .orderBy('sortOrder')
      .execute();
    const intoWindows = await trx
      .selectFrom('unitVersions')
      .select('unitId')
      .where('parentId', '=', into.view.id)
      .where('validTo', 'is', null)
      .execute();
    for (const [i, child] of moved.entries()) {
      await updateUnit(
        deps,
        actor,
        child.unitId,
        {
          parentId: into.view.id,
          sortOrder: intoWindows.length + i + 1,
          effectiveFrom: MERGED_SECTION.effectiveFrom,
        },
        trx,
      );
    }
    for (const id of from.itemIds) await updateServiceItem(deps, actor, id, { unitId: into.view.id }, trx);
    for (const [i, id] of from.staffIds.entries()) {
      // The merged section's chief becomes a deputy of the section that absorbs it.
      await updateStaff(
        deps,
        actor,
        id,
        { unitId: into.view.id, ...(i === 0 ? { position: '副科长' } : {}) },
        trx,
      );
    }

    const staffUnit = byName.get(STAFF_DEPARTMENT);
    if (!staffUnit) throw new Error(`demo: ${STAFF_DEPARTMENT} missing`);
    await deactivateUnit(deps, actor, from.view.id, { effectiveFrom: MERGED_SECTION.effectiveFrom }, trx);
    return { b, staffUnit: staffUnit.view };
  });

  return {
    units: built.b.units,
    serviceItems: built.b.items,
    staff: built.b.staff,
    staffUnitId: built.staffUnit.id,
    staffUnitName: built.staffUnit.name,
  };
}
