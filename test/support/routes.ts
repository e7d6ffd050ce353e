import type { InjectOptions } from 'fastify';
import { submitBallot } from '../../src/campaigns/ballots.js';
import { issueInvitations } from '../../src/campaigns/invitations.js';
import { advanceRound } from '../../src/campaigns/service.js';
import {
  inviteSome,
  KEY_TASK_SHEET,
  seedKeyTaskCampaign,
  type CampaignFixture,
} from '../../src/campaigns/testing.js';
import { prepareCase } from '../../src/cases/testing.js';
import { createToken } from '../../src/core/auth/service.js';
import { setDay } from '../../src/core/calendar/service.js';
import { enqueue } from '../../src/core/outbox/service.js';
import type { Deps } from '../../src/core/context.js';
import {
  createCategory,
  createPeriods,
  createServiceItem,
  createStaff,
  createUnit,
  type CategoryView,
  type PeriodView,
  type ServiceItemView,
  type StaffView,
} from '../../src/registry/service.js';
import { freshAddress } from './checks.js';
import { LEDGER_ROUTE_CASES } from './routes-ledger.js';
import { WINDOW_ROUTE_CASES } from './routes-window.js';
import { CHECKLIST_ROUTE_CASES } from './routes-checklists.js';
import { makeAccount, makeTree, PASSWORD, SYSTEM, uniqueCode, type SmallTree } from './factories.js';
import { newId } from '../../src/core/ids.js';
import { chinaDate } from '../../src/core/time.js';
import { DEFAULT_RATINGS_CONFIG } from '../../src/ratings/model.js';
import { announceDraw, performDraw, publishDraw } from '../../src/panel/draw-service.js';
import { createEvaluator, createGroup } from '../../src/panel/service.js';
import { createDevice, recordTransaction, type TransactionInput } from '../../src/ratings/service.js';
import {
  computeRun,
  createScheme,
  createTask,
  publishRun,
  recordReview,
  recordVeto,
  type SchemeDetail,
} from '../../src/scoring/service.js';
import { decide, fileAppeal, getRules, putRules } from '../../src/outcomes/service.js';
import type { ConsequenceRule } from '../../src/outcomes/model.js';
import { draftNotice, editDocument } from '../../src/reports/service.js';
import {
  FIXTURE_WARNINGS,
  scoringDefinition,
  seedScoring,
  seedValues,
  type ScoringFixture,
} from '../../src/scoring/testing.js';

/*
 * One well-formed request for every route the app serves, so that a test can call each route as
 * each kind of caller. A request is built fresh for each call (new codes, new targets) so that an
 * allowed call succeeds however often it is made. Targets lie inside department A's subtree.
 */

export interface Fixture {
  deps: Deps;
  tree: SmallTree;
  /** Accounts by role name; unit staff "in" manage department A, "out" manage department B. */
  usernames: {
    admin: string;
    office: string;
    staffIn: string;
    staffOut: string;
    leader: string;
    supervisor: string;
  };
  /** An account only the sign-in route uses. */
  loginUser: string;
  category: CategoryView;
  item: ServiceItemView;
  staffMember: StaffView;
  period: PeriodView;
  /** Current password of each caller (the password route changes them). */
  passwords: Map<string, string>;
  nextYear: number;
  tokens: { read: string; write: string };
}

export async function makeFixture(deps: Deps): Promise<Fixture> {
  const tree = await makeTree(deps);
  const account = async (role: Parameters<typeof makeAccount>[1], unitId?: string) =>
    (await makeAccount(deps, role, unitId ? { unitId } : {})).username;
  const usernames = {
    admin: await account('admin'),
    office: await account('office'),
    staffIn: await account('unit_staff', tree.deptA.id),
    staffOut: await account('unit_staff', tree.deptB.id),
    leader: await account('leader'),
    supervisor: await account('supervisor'),
  };
  const loginUser = await account('leader');
  const category = await createCategory(deps, SYSTEM, { code: uniqueCode('CAT'), name: '审批科室' });
  const item = await createServiceItem(deps, SYSTEM, {
    code: uniqueCode('ITEM'),
    name: '最低生活保障申请',
    unitId: tree.sectionA1.id,
    mode: 'both',
  });
  const staffMember = await createStaff(deps, SYSTEM, {
    staffNo: uniqueCode('NO'),
    name: '张敏',
    unitId: tree.sectionA1.id,
  });
  const [period] = await createPeriods(deps, SYSTEM, { kind: 'year', year: 2026 });
  if (!period) throw new Error('no period');
  const read = await createToken(deps, SYSTEM, { name: 'read-only system', scopes: ['registry:read'] });
  const write = await createToken(deps, SYSTEM, { name: 'writing system', scopes: ['registry:write'] });
  return {
    deps,
    tree,
    usernames,
    loginUser,
    category,
    item,
    staffMember,
    period,
    passwords: new Map(),
    nextYear: 2030,
    tokens: { read: read.token, write: write.token },
  };
}

export interface RouteCase {
  /** "METHOD /path/:param" exactly as registered, optionally followed by "#variant". */
  key: string;
  /** Signing out ends the session that calls; such a route gets a session of its own. */
  ownSession?: boolean;
  build(f: Fixture, who: string): Promise<InjectOptions> | InjectOptions;
}

const get = (key: string, url: string | ((f: Fixture) => string | Promise<string>)): RouteCase => ({
  key,
  build: async (f) => ({ method: 'GET', url: typeof url === 'string' ? url : await url(f) }),
});

const json = (method: 'POST' | 'PATCH', url: string, payload: object): InjectOptions => ({
  method,
  url,
  payload,
});

async function freshLeaf(f: Fixture) {
  return createUnit(f.deps, SYSTEM, {
    code: uniqueCode('LEAF'),
    name: '临时窗口',
    kind: 'window',
    parentId: f.tree.sectionA1.id,
    validFrom: '2020-01-01',
  });
}

/** A one-file multipart/form-data upload (with form fields before it), as a browser sends it. */
function multipartUpload(
  filename: string,
  text: string,
  fields: Record<string, string> = {},
): Pick<InjectOptions, 'headers' | 'payload'> {
  const boundary = '----minping-test-boundary';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload:
      parts.join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: text/csv\r\n\r\n${text}\r\n--${boundary}--\r\n`,
  };
}

export const ROUTE_CASES: readonly RouteCase[] = [
  ...LEDGER_ROUTE_CASES,
  ...WINDOW_ROUTE_CASES,
  ...CHECKLIST_ROUTE_CASES,
  // --- system and docs ---
  get('GET /', '/'),
  get('GET /api/health', '/api/health'),
  get('GET /api/openapi.json', '/api/openapi.json'),
  get('GET /api/docs', '/api/docs'),
  get('GET /api/docs/', '/api/docs/'),
  get('GET /api/docs/static/index.html', '/api/docs/static/index.html'),
  get('GET /api/docs/static/swagger-initializer.js', '/api/docs/static/swagger-initializer.js'),
  get('GET /api/docs/*', '/api/docs/static/swagger-ui.css'),
  get('GET /api/docs/json', '/api/docs/json'),
  get('GET /api/docs/yaml', '/api/docs/yaml'),

  // --- one's own sign-in ---
  {
    key: 'POST /api/auth/login',
    build: (f) => ({
      ...json('POST', '/api/auth/login', { username: f.loginUser, password: PASSWORD }),
      remoteAddress: freshAddress(),
    }),
  },
  {
    key: 'POST /api/auth/logout',
    ownSession: true,
    build: () => ({ method: 'POST', url: '/api/auth/logout' }),
  },
  get('GET /api/auth/session', '/api/auth/session'),
  get('GET /api/auth/state', '/api/auth/state'),
  {
    key: 'POST /api/auth/password',
    build: (f, who) => {
      const currentPassword = f.passwords.get(who) ?? PASSWORD;
      const newPassword = `Rotated-${uniqueCode('P')}-x9`;
      f.passwords.set(who, newPassword);
      return json('POST', '/api/auth/password', { currentPassword, newPassword });
    },
  },
  get('GET /api/auth/demo-accounts', '/api/auth/demo-accounts'),

  // --- accounts ---
  get('GET /api/accounts', '/api/accounts'),
  {
    key: 'POST /api/accounts',
    build: () =>
      json('POST', '/api/accounts', {
        username: uniqueCode('newleader').toLowerCase(),
        displayName: '新领导',
        role: 'leader',
      }),
  },
  {
    key: 'POST /api/accounts#administrator',
    build: () =>
      json('POST', '/api/accounts', {
        username: uniqueCode('newadmin').toLowerCase(),
        displayName: '新管理员',
        role: 'admin',
      }),
  },
  {
    key: 'PATCH /api/accounts/:id',
    build: async (f) => {
      const target = await makeAccount(f.deps, 'leader');
      return json('PATCH', `/api/accounts/${target.id}`, { displayName: '改名的领导' });
    },
  },
  {
    key: 'PATCH /api/accounts/:id#administrator',
    build: async (f) => {
      const target = await makeAccount(f.deps, 'admin');
      return json('PATCH', `/api/accounts/${target.id}`, { displayName: '改名的管理员' });
    },
  },
  {
    key: 'POST /api/accounts/:id/reset-password',
    build: async (f) => {
      const target = await makeAccount(f.deps, 'leader');
      return { method: 'POST', url: `/api/accounts/${target.id}/reset-password` };
    },
  },
  {
    key: 'POST /api/accounts/:id/reset-password#administrator',
    build: async (f) => {
      const target = await makeAccount(f.deps, 'admin');
      return { method: 'POST', url: `/api/accounts/${target.id}/reset-password` };
    },
  },

  // --- API tokens ---
  get('GET /api/api-tokens', '/api/api-tokens'),
  {
    key: 'POST /api/api-tokens',
    build: () => json('POST', '/api/api-tokens', { name: '12345 热线系统', scopes: ['registry:read'] }),
  },
  {
    key: 'POST /api/api-tokens/:id/revoke',
    build: async (f) => {
      const { view } = await createToken(f.deps, SYSTEM, { name: 'to revoke', scopes: ['registry:read'] });
      return { method: 'POST', url: `/api/api-tokens/${view.id}/revoke` };
    },
  },

  // --- audit ---
  get('GET /api/audit', '/api/audit'),

  // --- units ---
  get('GET /api/units', '/api/units'),
  get('GET /api/units/:id', (f) => `/api/units/${f.tree.sectionA1.id}`),
  {
    key: 'POST /api/units',
    build: (f) =>
      json('POST', '/api/units', {
        code: uniqueCode('NEW'),
        name: '新设窗口',
        kind: 'window',
        parentId: f.tree.sectionA1.id,
      }),
  },
  {
    key: 'PATCH /api/units/:id',
    build: async (f) => json('PATCH', `/api/units/${(await freshLeaf(f)).id}`, { name: '更名窗口' }),
  },
  {
    key: 'POST /api/units/:id/deactivate',
    build: async (f) =>
      json('POST', `/api/units/${(await freshLeaf(f)).id}/deactivate`, { effectiveFrom: '2026-03-01' }),
  },

  // --- categories ---
  get('GET /api/categories', '/api/categories'),
  {
    key: 'POST /api/categories',
    build: () => json('POST', '/api/categories', { code: uniqueCode('CAT'), name: '基层站所' }),
  },
  {
    key: 'PATCH /api/categories/:id',
    build: (f) => json('PATCH', `/api/categories/${f.category.id}`, { description: '有审批权的科室' }),
  },

  // --- service items ---
  get('GET /api/service-items', (f) => `/api/service-items?unitId=${f.tree.sectionA1.id}`),
  {
    key: 'POST /api/service-items',
    build: (f) =>
      json('POST', '/api/service-items', {
        code: uniqueCode('ITEM'),
        name: '临时救助申请',
        unitId: f.tree.sectionA1.id,
        mode: 'offline',
      }),
  },
  {
    key: 'PATCH /api/service-items/:id',
    build: (f) => json('PATCH', `/api/service-items/${f.item.id}`, { mode: 'online' }),
  },

  // --- staff ---
  get('GET /api/staff', (f) => `/api/staff?unitId=${f.tree.sectionA1.id}`),
  {
    key: 'POST /api/staff',
    build: (f) =>
      json('POST', '/api/staff', { staffNo: uniqueCode('NO'), name: '李强', unitId: f.tree.sectionA1.id }),
  },
  {
    key: 'PATCH /api/staff/:id',
    build: (f) => json('PATCH', `/api/staff/${f.staffMember.id}`, { position: '科员' }),
  },

  // --- periods ---
  get('GET /api/periods', '/api/periods'),
  {
    key: 'POST /api/periods',
    build: (f) => {
      f.nextYear += 1;
      return json('POST', '/api/periods', { kind: 'year', year: f.nextYear });
    },
  },
  {
    key: 'PATCH /api/periods/:id',
    build: (f) => json('PATCH', `/api/periods/${f.period.id}`, { name: '2026年度考核' }),
  },

  // --- spreadsheet import and export (src/registry/import-*.ts) ---
  {
    key: 'POST /api/imports',
    build: () => ({
      method: 'POST',
      url: '/api/imports',
      ...multipartUpload('units.csv', 'code,name,kind\nIMPX1,导入单位,section\n'),
    }),
  },
  get('GET /api/imports/:id', '/api/imports/00000000-0000-7000-8000-000000000000'),
  {
    key: 'POST /api/imports/:id/apply',
    build: () => ({ method: 'POST', url: '/api/imports/00000000-0000-7000-8000-000000000000/apply' }),
  },
  get('GET /api/exports/registry.xlsx', '/api/exports/registry.xlsx'),

  // --- bad-review cases, warnings and their settings (src/cases/routes.ts); targets in department A ---
  get('GET /api/cases', '/api/cases'),
  {
    key: 'GET /api/cases/:id',
    build: async (f) => ({
      method: 'GET',
      url: `/api/cases/${(await prepareCase(f.deps, f.tree.windowA1.id, 'verifying')).caseId}`,
    }),
  },
  ...(
    [
      ['verify', 'verifying', { genuine: true }],
      ['appeal', 'verifying', { reason: 'mistaken', text: '误评' }],
      ['decide-appeal', 'appealed', { upheld: false, note: '评价属实' }],
      ['callback', 'rectifying', { method: 'phone', summary: '电话回访' }],
      ['rectification', 'rectifying', { text: '已整改' }],
      ['reply', 'ready_to_reply', { text: '已答复' }],
    ] as const
  ).map(([action, state, body]): RouteCase => ({
    key: `POST /api/cases/:id/${action}`,
    build: async (f) => {
      const { caseId } = await prepareCase(f.deps, f.tree.windowA1.id, state);
      const payload = action === 'callback' ? { ...body, at: f.deps.clock.now().toISOString() } : body;
      return json('POST', `/api/cases/${caseId}/${action}`, payload);
    },
  })),
  get('GET /api/warnings', '/api/warnings'),
  get('GET /api/settings/cases', '/api/settings/cases'),
  {
    key: 'PUT /api/settings/cases',
    build: () => ({
      method: 'PUT',
      url: '/api/settings/cases',
      payload: {
        rules: { verifyDays: 1, rectifyDays: 15, urgentAfterDays: 3, talkAfterDays: 5, judgeDays: 5 },
      },
    }),
  },
  {
    key: 'GET /api/public/judgements/:token',
    build: async (f) => ({
      method: 'GET',
      url: `/api/public/judgements/${(await prepareCase(f.deps, f.tree.windowA1.id, 'awaiting_judgement')).token ?? ''}`,
    }),
  },
  {
    key: 'POST /api/public/judgements/:token',
    build: async (f) =>
      json(
        'POST',
        `/api/public/judgements/${(await prepareCase(f.deps, f.tree.windowA1.id, 'awaiting_judgement')).token ?? ''}`,
        { judgement: 'satisfied' },
      ),
  },
  get('GET /api/public/units/:code/cases', (f) => `/api/public/units/${f.tree.deptA.code}/cases`),
  {
    key: 'GET /api/public/cases/:id',
    build: async (f) => ({
      method: 'GET',
      url: `/api/public/cases/${(await prepareCase(f.deps, f.tree.windowA1.id, 'verifying')).caseId}`,
    }),
  },

  // --- the working-day calendar (src/core/calendar/routes.ts) ---
  get('GET /api/calendar', '/api/calendar?year=2026'),
  {
    key: 'PUT /api/calendar/:date',
    build: () => ({
      method: 'PUT',
      url: '/api/calendar/2026-10-08',
      payload: { kind: 'holiday', name: '测试' },
    }),
  },
  {
    key: 'DELETE /api/calendar/:date',
    build: async (f) => {
      await setDay(f.deps, SYSTEM, '2026-11-02', { kind: 'holiday', name: '测试' });
      return { method: 'DELETE', url: '/api/calendar/2026-11-02' };
    },
  },
  {
    key: 'POST /api/calendar/import',
    build: () => json('POST', '/api/calendar/import', { text: '2026-10-01 休 国庆节' }),
  },
  {
    key: 'POST /api/calendar/import-official',
    build: () => json('POST', '/api/calendar/import-official', { year: 2026 }),
  },

  // --- the notification outbox (src/core/outbox/routes.ts) ---
  get('GET /api/outbox', '/api/outbox?unsent=true'),
  { key: 'POST /api/outbox/claim', build: () => json('POST', '/api/outbox/claim', { limit: 1 }) },
  {
    key: 'POST /api/outbox/:id/sent',
    build: async (f) => {
      const id = await enqueue(f.deps.database.db, f.deps.clock, {
        channel: 'sms',
        recipient: '13700000000',
        subject: '测试',
        body: '测试',
        relatedType: 'test',
        relatedId: 'test',
      });
      return json('POST', `/api/outbox/${id}/sent`, { ok: true });
    },
  },

  // --- instant ratings (src/ratings/routes.ts) ---
  {
    key: 'POST /api/transactions',
    build: (f) => json('POST', '/api/transactions?qr=false', transactionInput(f)),
  },
  {
    key: 'POST /api/transactions/batch',
    build: (f) =>
      json('POST', '/api/transactions/batch', { items: [transactionInput(f), transactionInput(f)] }),
  },
  {
    key: 'GET /api/public/rate/:token',
    build: async (f) => ({ method: 'GET', url: `/api/public/rate/${await ratingToken(f)}` }),
  },
  {
    key: 'POST /api/public/rate/:token',
    build: async (f) =>
      json('POST', `/api/public/rate/${await ratingToken(f)}`, {
        level: 5,
        channel: 'sms_link',
        idempotencyKey: uniqueCode('idem-key-'),
      }),
  },
  get('GET /api/public/units/:code/rate-form', (f) => `/api/public/units/${f.tree.sectionA1.code}/rate-form`),
  {
    key: 'POST /api/public/units/:code/ratings',
    build: (f) =>
      json('POST', `/api/public/units/${f.tree.sectionA1.code}/ratings`, {
        level: 4,
        channel: 'web',
        idempotencyKey: uniqueCode('idem-key-'),
      }),
  },
  get('GET /api/public/units/:code/statistics', (f) => `/api/public/units/${f.tree.deptA.code}/statistics`),
  {
    key: 'GET /api/public/kiosk/waiting',
    build: async (f) => {
      await kioskTransaction(f);
      return { method: 'GET', url: '/api/public/kiosk/waiting', headers: await kioskHeaders(f) };
    },
  },
  {
    key: 'POST /api/public/kiosk/transactions/:id/rating',
    build: async (f) => ({
      ...json('POST', `/api/public/kiosk/transactions/${await kioskTransaction(f)}/rating`, {
        level: 5,
        channel: 'window_device',
        idempotencyKey: uniqueCode('idem-key-'),
      }),
      headers: await kioskHeaders(f),
    }),
  },
  {
    key: 'POST /api/public/kiosk/by-number',
    build: async (f) => ({
      ...json('POST', '/api/public/kiosk/by-number', { externalNo: await hallTransaction(f) }),
      headers: await hallKioskHeaders(f),
    }),
  },
  {
    key: 'POST /api/public/kiosk/by-number/rating',
    build: async (f) => ({
      ...json('POST', '/api/public/kiosk/by-number/rating', {
        externalNo: await hallTransaction(f),
        level: 5,
        channel: 'self_service',
        idempotencyKey: uniqueCode('idem-key-'),
      }),
      headers: await hallKioskHeaders(f),
    }),
  },
  get('GET /api/units/:id/poster.png', (f) => `/api/units/${f.tree.windowA1.id}/poster.png`),
  {
    key: 'POST /api/devices',
    build: (f) =>
      json('POST', '/api/devices', { unitId: f.tree.windowA1.id, kind: 'rating_device', name: '评价器' }),
  },
  get('GET /api/devices', '/api/devices'),
  {
    key: 'POST /api/devices/:id/revoke',
    build: async (f) => {
      const { device } = await createDevice(f.deps, SYSTEM, {
        unitId: f.tree.windowA1.id,
        kind: 'self_service',
        name: '自助终端',
      });
      return { method: 'POST', url: `/api/devices/${device.id}/revoke` };
    },
  },
  get('GET /api/ratings/held', '/api/ratings/held'),
  {
    key: 'POST /api/ratings/:id/review',
    build: async (f) =>
      json('POST', `/api/ratings/${await heldRating(f)}/review`, { decision: 'exclude', note: '测试' }),
  },
  get('GET /api/statistics', (f) => `/api/statistics?scopeType=subtree&scopeId=${f.tree.sectionA1.id}`),
  get(
    'GET /api/statistics/breakdown',
    (f) => `/api/statistics/breakdown?scopeType=subtree&scopeId=${f.tree.sectionA1.id}`,
  ),
  get(
    'GET /api/statistics/export.xlsx',
    (f) => `/api/statistics/export.xlsx?scopeType=subtree&scopeId=${f.tree.sectionA1.id}`,
  ),
  get('GET /api/settings/ratings', '/api/settings/ratings'),
  {
    key: 'PUT /api/settings/ratings',
    build: () => ({ method: 'PUT', url: '/api/settings/ratings', payload: { ...DEFAULT_RATINGS_CONFIG } }),
  },

  // --- scoring (src/scoring/routes.ts) ---
  get('GET /api/schemes', '/api/schemes'),
  {
    key: 'POST /api/schemes',
    build: async (f) =>
      json('POST', '/api/schemes', {
        code: uniqueCode('SCHEME'),
        name: '新方案',
        definition: scoringDefinition((await scoring(f)).fixture),
      }),
  },
  {
    key: 'POST /api/schemes/check',
    build: async (f) =>
      json('POST', '/api/schemes/check', { definition: scoringDefinition((await scoring(f)).fixture) }),
  },
  get('GET /api/schemes/:id', async (f) => `/api/schemes/${(await scoring(f)).scheme.id}`),
  get(
    'GET /api/schemes/:id/versions/:version',
    async (f) => `/api/schemes/${(await scoring(f)).scheme.id}/versions/1`,
  ),
  {
    key: 'POST /api/schemes/:id/versions',
    build: async (f) => {
      const s = await scoring(f);
      return json('POST', `/api/schemes/${s.scheme.id}/versions`, {
        definition: scoringDefinition(s.fixture),
        note: '再存一版',
      });
    },
  },
  get('GET /api/scheme-templates', '/api/scheme-templates'),
  get('GET /api/scores/series', '/api/scores/series'),
  get(
    'GET /api/scores',
    async (f) => `/api/scores?series=survey&periodId=${(await scoring(f)).fixture.period2026}`,
  ),
  {
    key: 'POST /api/scores/import',
    build: async (f) => {
      const s = await scoring(f);
      return {
        method: 'POST',
        url: '/api/scores/import',
        ...multipartUpload('survey.csv', `单位编码,分值\n${s.fixture.s1.code},88\n`, {
          series: 'survey',
          periodId: s.fixture.period2026,
          document: '抽访报告',
          apply: 'false',
        }),
      };
    },
  },
  {
    key: 'POST /api/scores',
    build: async (f) => {
      const s = await scoring(f);
      return json('POST', '/api/scores', {
        series: 'inspection',
        periodId: s.fixture.period2026,
        document: '人大视察',
        values: [{ unitCode: s.fixture.s2.code, value: 9 }],
      });
    },
  },
  get('GET /api/scoring-tasks', '/api/scoring-tasks'),
  {
    key: 'POST /api/scoring-tasks',
    build: (f) =>
      json('POST', '/api/scoring-tasks', {
        key: uniqueCode('task'),
        name: '联考',
        leadUnitId: f.tree.deptA.id,
      }),
  },
  get('GET /api/score-sheets', async (f) => `/api/score-sheets?task=${(await scoring(f)).taskA}`),
  {
    key: 'POST /api/score-sheets',
    build: async (f) => {
      const s = await scoring(f);
      return json('POST', '/api/score-sheets', {
        task: s.taskA,
        periodId: s.fixture.period2026,
        document: '联考评分表',
        entries: [{ unitId: f.tree.deptB.id, value: 25 }],
      });
    },
  },
  get('GET /api/vetoes', '/api/vetoes'),
  {
    key: 'POST /api/vetoes',
    build: async (f) => {
      const s = await scoring(f);
      return json('POST', '/api/vetoes', {
        unitId: s.fixture.s3.id,
        periodId: s.fixture.period2025,
        reason: '测试否决',
        evidence: '通报',
      });
    },
  },
  {
    key: 'POST /api/vetoes/:id/revoke',
    build: async (f) => {
      const s = await scoring(f);
      const veto = await recordVeto(f.deps, SYSTEM, {
        unitId: s.fixture.s3.id,
        periodId: s.fixture.period2025,
        reason: '测试否决',
        evidence: '通报',
      });
      return json('POST', `/api/vetoes/${veto.id}/revoke`, { reason: '撤销' });
    },
  },
  {
    key: 'POST /api/runs',
    build: async (f) => {
      const s = await scoring(f);
      return json('POST', '/api/runs', {
        schemeId: s.scheme.id,
        periodId: s.fixture.period2026,
        groupKey: 'sections',
        acceptWarnings: [...FIXTURE_WARNINGS],
      });
    },
  },
  {
    key: 'POST /api/runs/check',
    build: async (f) => {
      const s = await scoring(f);
      return json('POST', '/api/runs/check', {
        schemeId: s.scheme.id,
        periodId: s.fixture.period2026,
        groupKey: 'sections',
      });
    },
  },
  get('GET /api/runs/:id/warnings', async (f) => `/api/runs/${(await scoring(f)).publishedRun}/warnings`),
  get('GET /api/runs', '/api/runs'),
  get('GET /api/runs/:id', async (f) => `/api/runs/${(await scoring(f)).publishedRun}`),
  get(
    'GET /api/runs/:id/units/:unitId',
    async (f) => `/api/runs/${(await scoring(f)).publishedRun}/units/${(await scoring(f)).fixture.s1.id}`,
  ),
  {
    key: 'POST /api/runs/:id/reviews',
    build: async (f) =>
      json('POST', `/api/runs/${await freshRun(f)}/reviews`, {
        stageIndex: 0,
        body: '区纪委',
        decidedOn: chinaDate(f.deps.clock.now()),
        decision: 'approve',
      }),
  },
  {
    key: 'PUT /api/runs/:id/problems/:unitId',
    build: async (f) => ({
      method: 'PUT',
      url: `/api/runs/${await freshRun(f)}/problems/${(await scoring(f)).fixture.s4.id}`,
      payload: { text: '群众多次跑动' },
    }),
  },
  {
    key: 'POST /api/runs/:id/publish',
    build: async (f) =>
      json('POST', `/api/runs/${await approvedRun(f)}/publish`, { acceptWarnings: [...FIXTURE_WARNINGS] }),
  },
  get(
    'GET /api/runs/:id/export.xlsx',
    async (f) => `/api/runs/${(await scoring(f)).publishedRun}/export.xlsx`,
  ),
  get('GET /api/public/results', '/api/public/results'),
  get('GET /api/public/results/:id', async (f) => `/api/public/results/${(await scoring(f)).publishedRun}`),
  get(
    'GET /api/public/results/:id/units/:unitId',
    async (f) =>
      `/api/public/results/${(await scoring(f)).publishedRun}/units/${(await scoring(f)).fixture.s2.id}`,
  ),

  // --- result application (结果运用) ---
  get('GET /api/outcomes/presets', '/api/outcomes/presets'),
  get(
    'GET /api/outcomes/rules/:schemeId',
    async (f) => `/api/outcomes/rules/${(await scoring(f)).scheme.id}`,
  ),
  {
    key: 'PUT /api/outcomes/rules/:schemeId',
    build: async (f) => ({
      method: 'PUT',
      url: `/api/outcomes/rules/${(await scoring(f)).scheme.id}`,
      payload: { rules: [...(await currentRules(f)), worstRule('talk')] },
    }),
  },
  get('GET /api/outcomes/runs/:runId', async (f) => `/api/outcomes/runs/${(await scoring(f)).publishedRun}`),
  {
    key: 'POST /api/outcomes/runs/:runId/decisions',
    build: async (f) => {
      const s = await scoring(f);
      const rule = await addRule(f, 'talk');
      return json('POST', `/api/outcomes/runs/${s.publishedRun}/decisions`, {
        ruleKey: rule.key,
        unitId: s.fixture.s1.id,
        decision: 'confirm',
      });
    },
  },
  get('GET /api/outcomes/consequences', '/api/outcomes/consequences?open=true'),
  {
    key: 'POST /api/outcomes/consequences/:id/done',
    build: async (f) =>
      json('POST', `/api/outcomes/consequences/${await freshConsequence(f, 'talk')}/done`, {
        doneOn: chinaDate(f.deps.clock.now()),
        note: '已约谈',
      }),
  },
  {
    key: 'POST /api/outcomes/consequences/:id/appeals',
    build: async (f) =>
      json('POST', `/api/outcomes/consequences/${await freshConsequence(f, 'not_excellent')}/appeals`, {
        filedOn: chinaDate(f.deps.clock.now()),
        grounds: '申诉理由',
      }),
  },
  {
    key: 'POST /api/outcomes/appeals/:id/decide',
    build: async (f) => {
      const consequence = await freshConsequence(f, 'not_excellent');
      const view = await fileAppeal(f.deps, SYSTEM, consequence, {
        filedOn: chinaDate(f.deps.clock.now()),
        grounds: '申诉理由',
      });
      return json('POST', `/api/outcomes/appeals/${view.appeals[0]?.id ?? ''}/decide`, {
        decision: 'upheld',
        reason: '维持',
      });
    },
  },
  get(
    'GET /api/outcomes/units/:unitId/record',
    async (f) => `/api/outcomes/units/${(await scoring(f)).fixture.s1.id}/record`,
  ),
  get(
    'GET /api/outcomes/units/:unitId/record.xlsx',
    async (f) => `/api/outcomes/units/${(await scoring(f)).fixture.s1.id}/record.xlsx`,
  ),

  // --- documents (通报, 分析报告) ---
  {
    key: 'POST /api/notices',
    build: async (f) => json('POST', '/api/notices', { runId: (await scoring(f)).publishedRun }),
  },
  get('GET /api/documents', '/api/documents'),
  get('GET /api/documents/:id', async (f) => `/api/documents/${await freshDraft(f)}`),
  {
    key: 'PATCH /api/documents/:id',
    build: async (f) =>
      json('PATCH', `/api/documents/${await freshDraft(f)}`, { docNumber: '示考办〔2026〕1号' }),
  },
  {
    key: 'POST /api/documents/:id/issue',
    build: async (f) => {
      const id = await freshDraft(f);
      await editDocument(f.deps, SYSTEM, id, { docNumber: '示考办〔2026〕2号' });
      return { method: 'POST', url: `/api/documents/${id}/issue` };
    },
  },
  get(
    'GET /api/documents/:id/download',
    async (f) => `/api/documents/${await freshDraft(f)}/download?format=docx`,
  ),
  // --- the evaluator pool and its draws (src/panel/routes.ts) ---
  get('GET /api/panel/groups', '/api/panel/groups'),
  {
    key: 'POST /api/panel/groups',
    build: () => {
      const code = uniqueCode('grp');
      return json('POST', '/api/panel/groups', { code, name: `群体${code}` });
    },
  },
  {
    key: 'PATCH /api/panel/groups/:id',
    build: async (f) => json('PATCH', `/api/panel/groups/${(await panelGroup(f)).id}`, { sortOrder: 3 }),
  },
  get('GET /api/panel/evaluators', '/api/panel/evaluators'),
  get('GET /api/panel/evaluators#unmasked', '/api/panel/evaluators?unmasked=true&limit=5'),
  get('GET /api/panel/evaluators/:id', async (f) => `/api/panel/evaluators/${await freshEvaluator(f)}`),
  get(
    'GET /api/panel/evaluators/:id#unmasked',
    async (f) => `/api/panel/evaluators/${await freshEvaluator(f)}?unmasked=true`,
  ),
  {
    key: 'POST /api/panel/evaluators',
    build: async (f) => json('POST', '/api/panel/evaluators', await evaluatorBody(f)),
  },
  {
    key: 'PUT /api/panel/evaluators/:id',
    build: async (f) => ({
      method: 'PUT',
      url: `/api/panel/evaluators/${await freshEvaluator(f)}`,
      payload: await evaluatorBody(f),
    }),
  },
  {
    key: 'POST /api/panel/evaluators/:id/deactivate',
    build: async (f) => ({
      method: 'POST',
      url: `/api/panel/evaluators/${await freshEvaluator(f)}/deactivate`,
    }),
  },
  {
    key: 'POST /api/panel/evaluators/:id/activate',
    build: async (f) => ({
      method: 'POST',
      url: `/api/panel/evaluators/${await freshEvaluator(f)}/activate`,
    }),
  },
  get('GET /api/panel/composition', '/api/panel/composition'),
  {
    key: 'PUT /api/panel/target',
    build: () => ({ method: 'PUT', url: '/api/panel/target', payload: { percent: 80 } }),
  },
  {
    key: 'POST /api/panel/imports',
    build: async (f) => ({
      method: 'POST',
      url: '/api/panel/imports',
      ...multipartUpload(
        'pool.csv',
        `姓名,手机号,群体,基层\n导入人,${nextMobile()},${(await panelGroup(f)).code},是\n`,
      ),
    }),
  },
  get('GET /api/panel/imports/:id', async (f) => `/api/panel/imports/${await poolImport(f)}`),
  {
    key: 'POST /api/panel/imports/:id/apply',
    build: async (f) => ({ method: 'POST', url: `/api/panel/imports/${await poolImport(f)}/apply` }),
  },
  {
    key: 'POST /api/panel/draws/preview',
    build: async (f) => json('POST', '/api/panel/draws/preview', (await sampleRequest(f)).rules),
  },
  {
    key: 'POST /api/panel/draws',
    build: async (f) => json('POST', '/api/panel/draws', await sampleRequest(f)),
  },
  get('GET /api/panel/draws', '/api/panel/draws'),
  get('GET /api/panel/draws/:id', async (f) => `/api/panel/draws/${await announcedList(f)}`),
  {
    key: 'POST /api/panel/draws/:id/draw',
    build: async (f) =>
      json('POST', `/api/panel/draws/${await announcedList(f)}/draw`, { publicValue: '2026-03-16 3D 417' }),
  },
  {
    key: 'POST /api/panel/draws/:id/publish',
    build: async (f) => ({ method: 'POST', url: `/api/panel/draws/${await drawnList(f)}/publish` }),
  },
  get('GET /api/panel/draws/:id/members', async (f) => `/api/panel/draws/${await drawnSample(f)}/members`),
  get(
    'GET /api/panel/draws/:id/members#unmasked',
    async (f) => `/api/panel/draws/${await drawnSample(f)}/members?unmasked=true`,
  ),
  get('GET /api/panel/draws/:id/verify', async (f) => `/api/panel/draws/${await drawnSample(f)}/verify`),
  get(
    'GET /api/panel/draws/:id/assignment',
    async (f) => `/api/panel/draws/${await leaderPanel(f)}/assignment`,
  ),
  {
    key: 'PUT /api/panel/draws/:id/supplements/:leaderId',
    build: async (f) => ({
      method: 'PUT',
      url: `/api/panel/draws/${await leaderPanel(f)}/supplements/L1`,
      payload: { units: [] },
    }),
  },
  get('GET /api/public/draws', '/api/public/draws'),
  get('GET /api/public/draws/:id', async (f) => `/api/public/draws/${await drawnSample(f)}`),

  // --- campaigns (src/campaigns/routes.ts) ---
  get('GET /api/campaigns', '/api/campaigns'),
  {
    key: 'POST /api/campaigns',
    build: (f) => {
      const today = chinaDate(f.deps.clock.now());
      return json('POST', '/api/campaigns', {
        key: uniqueCode('camp'),
        name: '重点工作专项评价',
        subjectKind: 'key_task',
        questionnaire: KEY_TASK_SHEET,
        subjects: [{ kind: 'key_task', unitId: f.tree.deptA.id, name: '老旧小区改造' }],
        rounds: [
          {
            key: 'mid',
            name: '年中',
            opensOn: today,
            closesOn: today,
            stages: [{ name: '定向', source: 'directed', opensOn: today, closesOn: today }],
          },
        ],
      });
    },
  },
  get('GET /api/campaigns/:id', async (f) => `/api/campaigns/${(await campaigns(f)).open.campaign.id}`),
  {
    key: 'PATCH /api/campaigns/:id',
    build: async (f) =>
      json('PATCH', `/api/campaigns/${(await campaigns(f)).open.campaign.id}`, { name: uniqueCode('评价') }),
  },
  {
    key: 'POST /api/campaign-rounds/:id/state',
    build: async (f) => {
      const fresh = await seedKeyTaskCampaign(f.deps, SYSTEM, [f.tree.deptA.id], { open: false });
      return json('POST', `/api/campaign-rounds/${fresh.roundId}/state`, { step: 'open' });
    },
  },
  get(
    'GET /api/campaign-rounds/:id/results',
    async (f) => `/api/campaign-rounds/${(await campaigns(f)).closed.roundId}/results`,
  ),
  {
    key: 'POST /api/campaign-rounds/:id/invitations',
    build: async (f) => {
      const { open } = await campaigns(f);
      return json('POST', `/api/campaign-rounds/${open.roundId}/invitations`, {
        stageId: open.stageId,
        evaluators: [{ name: '人大代表', phone: '13900000009' }],
      });
    },
  },
  get(
    'GET /api/campaign-rounds/:id/monitor',
    async (f) => `/api/campaign-rounds/${(await campaigns(f)).open.roundId}/monitor`,
  ),
  {
    key: 'POST /api/campaign-rounds/:id/reminders',
    build: async (f) =>
      json('POST', `/api/campaign-rounds/${(await campaigns(f)).open.roundId}/reminders`, {}),
  },
  {
    key: 'POST /api/public/ballots/form',
    build: async (f) => json('POST', '/api/public/ballots/form', { token: await campaignToken(f) }),
  },
  {
    key: 'POST /api/public/ballots/draft',
    build: async (f) => {
      const { open } = await campaigns(f);
      const subject = open.campaign.subjects[0]?.id ?? '';
      return json('POST', '/api/public/ballots/draft', {
        token: await campaignToken(f),
        answers: { [subject]: { sat: 'satisfied' } },
      });
    },
  },
  {
    key: 'POST /api/public/ballots/submit',
    build: async (f) => {
      const { open } = await campaigns(f);
      const subject = open.campaign.subjects[0]?.id ?? '';
      return json('POST', '/api/public/ballots/submit', {
        token: await campaignToken(f),
        answers: { [subject]: { sat: 'satisfied', dif: 'hard' } },
      });
    },
  },
  get(
    'GET /api/public/campaign-rounds/:id',
    async (f) => `/api/public/campaign-rounds/${(await campaigns(f)).closed.roundId}`,
  ),
  {
    key: 'POST /api/public/campaign-rounds/:id/receipt',
    build: async (f) => {
      const { closed, receipt } = await campaigns(f);
      return json('POST', `/api/public/campaign-rounds/${closed.roundId}/receipt`, { code: receipt });
    },
  },
  get(
    'GET /api/public/campaign-rounds/:id/ballots',
    async (f) => `/api/public/campaign-rounds/${(await campaigns(f)).closed.roundId}/ballots`,
  ),
];

/** A notice drafted just now from the published run; its id. */
async function freshDraft(f: Fixture): Promise<string> {
  const s = await scoring(f);
  return (await draftNotice(f.deps, SYSTEM, { runId: s.publishedRun }, 'http://127.0.0.1:3000')).id;
}

// --- campaigns -------------------------------------------------------------------------------

interface CampaignSetup {
  /** An open key-task round led by department A. */
  open: CampaignFixture;
  /** A round closed and computed with one ballot, whose receipt is known. */
  closed: CampaignFixture;
  receipt: string;
}

const campaignSetups = new WeakMap<Fixture, Promise<CampaignSetup>>();

function campaigns(f: Fixture): Promise<CampaignSetup> {
  let setup = campaignSetups.get(f);
  if (!setup) {
    setup = (async () => {
      const open = await seedKeyTaskCampaign(f.deps, SYSTEM, [f.tree.deptA.id]);
      const closed = await seedKeyTaskCampaign(f.deps, SYSTEM, [f.tree.deptA.id]);
      const [invitation] = await inviteSome(f.deps, SYSTEM, closed, 1);
      const subject = closed.campaign.subjects[0]?.id ?? '';
      const { receipt } = await submitBallot(f.deps, invitation?.token ?? '', {
        [subject]: { sat: 'satisfied', dif: 'hard' },
      });
      await advanceRound(f.deps, SYSTEM, closed.roundId, 'close');
      await advanceRound(f.deps, SYSTEM, closed.roundId, 'compute');
      return { open, closed, receipt };
    })();
    campaignSetups.set(f, setup);
  }
  return setup;
}

/** A fresh invitation token of the open round (each casts one ballot). */
async function campaignToken(f: Fixture): Promise<string> {
  const { open } = await campaigns(f);
  const [invitation] = await issueInvitations(f.deps, SYSTEM, open.roundId, {
    stageId: open.stageId,
    evaluators: [{ name: '评价人' }],
    sendSms: false,
  });
  return invitation?.token ?? '';
}

function transactionInput(f: Fixture): TransactionInput {
  return {
    externalNo: uniqueCode('BJ'),
    unitId: f.tree.windowA1.id,
    mode: 'offline',
    receivedAt: '2026-03-16T09:00:00+08:00',
  };
}

/** A fresh transaction's rating token (each rating link can be rated once). */
async function ratingToken(f: Fixture): Promise<string> {
  const view = await recordTransaction(f.deps, SYSTEM, transactionInput(f), {
    publicUrl: 'http://127.0.0.1:3000',
    qr: false,
  });
  return view.ratingUrl.replace('/r/', '');
}

const kioskTokens = new WeakMap<Fixture, string>();

/** The X-Device-Token of a rating pad registered at window A1 (one per fixture). */
async function kioskHeaders(f: Fixture): Promise<Record<string, string>> {
  let token = kioskTokens.get(f);
  if (!token) {
    token = (
      await createDevice(f.deps, SYSTEM, {
        unitId: f.tree.windowA1.id,
        kind: 'rating_device',
        name: '评价器',
      })
    ).token;
    kioskTokens.set(f, token);
  }
  return { 'x-device-token': token };
}

/** A transaction just recorded at window A1, waiting for a rating at its pad; its id. */
async function kioskTransaction(f: Fixture): Promise<string> {
  const now = f.deps.clock.now().toISOString();
  const view = await recordTransaction(
    f.deps,
    SYSTEM,
    { ...transactionInput(f), receivedAt: now },
    { publicUrl: 'http://127.0.0.1:3000', qr: false },
  );
  return view.id;
}

const hallTokens = new WeakMap<Fixture, string>();

/** The X-Device-Token of a self-service terminal at section A1, whose window makes it a hall (one per fixture). */
async function hallKioskHeaders(f: Fixture): Promise<Record<string, string>> {
  let token = hallTokens.get(f);
  if (!token) {
    token = (
      await createDevice(f.deps, SYSTEM, {
        unitId: f.tree.sectionA1.id,
        kind: 'self_service',
        name: '大厅自助终端',
      })
    ).token;
    hallTokens.set(f, token);
  }
  return { 'x-device-token': token };
}

/** A transaction just recorded at window A1 (no phone), to be found at the hall by its number; that number. */
async function hallTransaction(f: Fixture): Promise<string> {
  const input = { ...transactionInput(f), receivedAt: f.deps.clock.now().toISOString() };
  await recordTransaction(f.deps, SYSTEM, input, { publicUrl: 'http://127.0.0.1:3000', qr: false });
  return input.externalNo;
}

/** A rating held by a fraud check, for the review route. */
async function heldRating(f: Fixture): Promise<string> {
  const id = newId();
  await f.deps.database.db
    .insertInto('ratings')
    .values({
      id,
      transactionId: null,
      unitId: f.tree.windowA1.id,
      serviceItemId: null,
      staffId: null,
      mode: 'offline',
      level: 5,
      tags: '[]',
      dimensions: '{}',
      comment: '',
      commentFingerprint: '',
      channel: 'qr_code',
      deviceId: 'matrix-device',
      addressDigest: 'matrix-address',
      isDefault: 0,
      named: 0,
      status: 'held',
      flags: '["burst_device"]',
      idempotencyKey: null,
      requestDigest: '',
      rollupScopes: '[]',
      day: '2026-03-16',
      createdAt: '2026-03-16T02:00:00.000Z',
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      removedAt: null,
      removedReason: null,
    })
    .execute();
  return id;
}

// --- scoring ---------------------------------------------------------------------------------

interface ScoringSetup {
  fixture: ScoringFixture;
  scheme: SchemeDetail;
  /** A task led by department A (unit staff "in" may score for it, "out" may not). */
  taskA: string;
  /** A run of 2025, approved and published. */
  publishedRun: string;
}

const scoringSetups = new WeakMap<Fixture, Promise<ScoringSetup>>();

/** The scoring fixture of src/scoring/testing.ts with a scheme and a published run, made once per app. */
function scoring(f: Fixture): Promise<ScoringSetup> {
  let setup = scoringSetups.get(f);
  if (!setup) {
    setup = (async () => {
      const fixture = await seedScoring(f.deps, uniqueCode('mx').toLowerCase());
      await seedValues(f.deps, fixture);
      const scheme = await createScheme(f.deps, SYSTEM, {
        code: `${fixture.prefix}-scheme`,
        name: '矩阵测试方案',
        definition: scoringDefinition(fixture),
      });
      const taskA = `${fixture.prefix}-task-a`;
      await createTask(f.deps, SYSTEM, { key: taskA, name: '部门A联考', leadUnitId: f.tree.deptA.id });
      const run = await computeRun(f.deps, SYSTEM, {
        schemeId: scheme.id,
        periodId: fixture.period2025,
        groupKey: 'sections',
        acceptWarnings: FIXTURE_WARNINGS,
      });
      await approve(f, run.id);
      await publishRun(f.deps, SYSTEM, run.id, { acceptWarnings: FIXTURE_WARNINGS });
      return { fixture, scheme, taskA, publishedRun: run.id };
    })();
    scoringSetups.set(f, setup);
  }
  return setup;
}

async function approve(f: Fixture, runId: string): Promise<void> {
  for (const [stageIndex, body] of [
    [0, '区纪委'],
    [1, '区委'],
  ] as const) {
    await recordReview(f.deps, SYSTEM, runId, {
      stageIndex,
      body,
      // The bodies meet the day the run is computed (the test clock's today).
      decidedOn: chinaDate(f.deps.clock.now()),
      decision: 'approve',
    });
  }
}

/** A newly computed run of 2026 (each call replaces the unpublished one before it). */
async function freshRun(f: Fixture): Promise<string> {
  const s = await scoring(f);
  const run = await computeRun(f.deps, SYSTEM, {
    schemeId: s.scheme.id,
    periodId: s.fixture.period2026,
    groupKey: 'sections',
    acceptWarnings: FIXTURE_WARNINGS,
  });
  return run.id;
}

async function approvedRun(f: Fixture): Promise<string> {
  const id = await freshRun(f);
  await approve(f, id);
  return id;
}

/** A consequence rule on the worst list (the published 2025 run's worst list holds S1), under a fresh key. */
function worstRule(kind: 'talk' | 'not_excellent'): ConsequenceRule {
  return {
    key: uniqueCode('r'),
    name: '末位措施',
    trigger: { kind: 'list', list: 'worst' },
    kind,
    target: 'unit',
  };
}

async function currentRules(f: Fixture): Promise<ConsequenceRule[]> {
  return (await getRules(f.deps, SYSTEM, (await scoring(f)).scheme.id)).rules;
}

/** Adds a fresh worst-list rule to the scheme's rules: a proposal nobody has decided yet. */
async function addRule(f: Fixture, kind: 'talk' | 'not_excellent'): Promise<ConsequenceRule> {
  const rule = worstRule(kind);
  await putRules(f.deps, SYSTEM, (await scoring(f)).scheme.id, [...(await currentRules(f)), rule]);
  return rule;
}

/** A consequence confirmed just now for S1 of the published run; its id. */
async function freshConsequence(f: Fixture, kind: 'talk' | 'not_excellent'): Promise<string> {
  const s = await scoring(f);
  const rule = await addRule(f, kind);
  const view = await decide(f.deps, SYSTEM, s.publishedRun, {
    ruleKey: rule.key,
    unitId: s.fixture.s1.id,
    decision: 'confirm',
  });
  return view.id;
}

// --- the evaluator pool ----------------------------------------------------------------------

let mobileCounter = 0;
/** A mobile number no other call has used in this process. */
function nextMobile(): string {
  mobileCounter += 1;
  return `1390${String(process.pid % 1000).padStart(3, '0')}${String(mobileCounter).padStart(4, '0')}`;
}

const panelGroups = new WeakMap<Fixture, Promise<{ id: string; code: string }>>();
function panelGroup(f: Fixture): Promise<{ id: string; code: string }> {
  let g = panelGroups.get(f);
  if (!g) {
    const code = uniqueCode('grp');
    g = createGroup(f.deps, SYSTEM, { code, name: `矩阵群体${code}` });
    panelGroups.set(f, g);
  }
  return g;
}

async function evaluatorBody(f: Fixture) {
  return {
    name: '矩阵评价人',
    mobile: nextMobile(),
    groups: [(await panelGroup(f)).code],
    regionId: f.tree.deptA.id,
    grassroots: true,
    tags: [],
    conflicts: [],
  };
}

async function freshEvaluator(f: Fixture): Promise<string> {
  return (await createEvaluator(f.deps, SYSTEM, await evaluatorBody(f))).id;
}

/** A stored pool import preview with one new line. */
async function poolImport(f: Fixture): Promise<string> {
  const { previewPoolImport } = await import('../../src/panel/import-service.js');
  const csv = `姓名,手机号,群体,基层\n导入人,${nextMobile()},${(await panelGroup(f)).code},是\n`;
  return (await previewPoolImport(f.deps, SYSTEM, { filename: 'pool.csv', bytes: Buffer.from(csv) })).id;
}

async function sampleRequest(f: Fixture) {
  await freshEvaluator(f);
  return {
    kind: 'sample' as const,
    purpose: '矩阵抽样',
    rules: {
      size: 1,
      filters: { groups: [(await panelGroup(f)).code], regions: [], tags: [], grassroots: null },
      quotas: [],
      subjectUnits: [],
      rotationDays: 0,
      exclusions: [],
      reservePerStratum: 0,
    },
  };
}

async function announcedList(f: Fixture): Promise<string> {
  return (
    await announceDraw(f.deps, SYSTEM, {
      kind: 'list',
      purpose: '监督员',
      rules: { items: ['甲', '乙', '丙'], count: 1 },
    })
  ).id;
}

async function drawnList(f: Fixture): Promise<string> {
  const id = await announcedList(f);
  await performDraw(f.deps, SYSTEM, id, '417');
  return id;
}

const drawnSamples = new WeakMap<Fixture, Promise<string>>();
/** A published sample draw (one per fixture). */
function drawnSample(f: Fixture): Promise<string> {
  let d = drawnSamples.get(f);
  if (!d) {
    d = (async () => {
      const id = (await announceDraw(f.deps, SYSTEM, await sampleRequest(f))).id;
      await performDraw(f.deps, SYSTEM, id, '417');
      await publishDraw(f.deps, SYSTEM, id);
      return id;
    })();
    drawnSamples.set(f, d);
  }
  return d;
}

const leaderPanels = new WeakMap<Fixture, Promise<string>>();
/** A drawn leader panel: L1 in charge of department A, L2 of department B (one per fixture). */
function leaderPanel(f: Fixture): Promise<string> {
  let d = leaderPanels.get(f);
  if (!d) {
    d = (async () => {
      const id = (
        await announceDraw(f.deps, SYSTEM, {
          kind: 'leaders',
          purpose: '领导评议',
          rules: {
            leaders: [
              { id: 'L1', name: '甲', inCharge: [f.tree.deptA.id] },
              { id: 'L2', name: '乙', inCharge: [f.tree.deptB.id] },
            ],
            units: [f.tree.deptA.id, f.tree.deptB.id],
            leaderMin: 1,
            leaderMax: 1,
            unitMin: 1,
            unitMax: 1,
            supplementaryCap: 1,
          },
        })
      ).id;
      await performDraw(f.deps, SYSTEM, id, '417');
      return id;
    })();
    leaderPanels.set(f, d);
  }
  return d;
}

/** The route a case key names, without its "#variant". */
export function routeOf(key: string): string {
  return key.split('#')[0] ?? key;
}
