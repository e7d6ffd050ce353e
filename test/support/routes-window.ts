import type { InjectOptions } from 'fastify';
import { acceptMatter, assignMatter, resolveMatter, respondMatter } from '../../src/window/handling.js';
import { fileMatter, PUBLIC_FILER } from '../../src/window/service.js';
import { SYSTEM } from './factories.js';
import type { Fixture, RouteCase } from './routes.js';

/*
 * Requests for the 办不成事 window's routes (src/window/routes.ts) for the authorization matrix; every matter
 * is assigned to section A1 (department A's subtree) and made fresh for each call.
 */

type Stage = 'filed' | 'accepted' | 'handling' | 'replied' | 'resolved';

/** A matter filed on the public form and brought to the given state by a system actor. */
export async function prepareMatter(f: Fixture, state: Stage): Promise<{ id: string; receiptCode: string }> {
  const { deps } = f;
  const m = await fileMatter(deps, PUBLIC_FILER, 'web', {
    what: '营业执照地址变更后税务登记无法同步',
    filerName: '赵先生',
    filerPhone: '13900001111',
  });
  const order: Stage[] = ['filed', 'accepted', 'handling', 'replied', 'resolved'];
  const steps = order.indexOf(state);
  const unitId = f.tree.sectionA1.id;
  if (steps >= 1) await acceptMatter(deps, SYSTEM, m.id);
  if (steps >= 2) await assignMatter(deps, SYSTEM, m.id, { unitIds: [unitId], leadUnitId: unitId });
  if (steps >= 3) await respondMatter(deps, SYSTEM, m.id, { unitId, text: '已协调' });
  if (steps >= 4) await resolveMatter(deps, SYSTEM, m.id, { outcome: 'solved', text: '已解决' });
  return m;
}

const get = (key: string, url: (f: Fixture) => string | Promise<string>): RouteCase => ({
  key,
  build: async (f) => ({ method: 'GET', url: await url(f) }),
});

const json = (method: 'POST' | 'PUT', url: string, payload: object): InjectOptions => ({
  method,
  url,
  payload,
});

const step = (action: string, state: Stage, payload: (f: Fixture) => object): RouteCase => ({
  key: `POST /api/window/matters/:id/${action}`,
  build: async (f) =>
    json('POST', `/api/window/matters/${(await prepareMatter(f, state)).id}/${action}`, payload(f)),
});

const FILING = { what: '户籍迁移需要的证明开不出来', filerName: '钱女士', filerPhone: '13700002222' };

export const WINDOW_ROUTE_CASES: readonly RouteCase[] = [
  get('GET /api/window/matters', () => '/api/window/matters'),
  {
    key: 'POST /api/window/matters',
    build: () => json('POST', '/api/window/matters', { channel: 'hall', ...FILING }),
  },
  get(
    'GET /api/window/matters/:id',
    async (f) => `/api/window/matters/${(await prepareMatter(f, 'handling')).id}`,
  ),
  step('accept', 'filed', () => ({})),
  step('decline', 'filed', () => ({ reason: '属于诉讼事项' })),
  step('assign', 'accepted', (f) => ({ unitIds: [f.tree.sectionA1.id], leadUnitId: f.tree.sectionA1.id })),
  step('respond', 'handling', (f) => ({ unitId: f.tree.sectionA1.id, text: '已协调办理' })),
  step('return', 'replied', () => ({ reason: '答复不完整' })),
  step('resolve', 'replied', () => ({ outcome: 'solved', text: '已解决' })),
  step('reopen', 'resolved', () => ({ reason: '群众不满意' })),
  step('ledger-item', 'handling', () => ({})),
  get('GET /api/window/rota', () => '/api/window/rota?from=2026-03-16&to=2026-03-20'),
  {
    key: 'PUT /api/window/rota',
    build: () => json('PUT', '/api/window/rota', { from: '2030-01-07', to: '2030-01-11', accountIds: [] }),
  },
  { key: 'POST /api/public/window/matters', build: () => json('POST', '/api/public/window/matters', FILING) },
  get(
    'GET /api/public/window/matters/:code',
    async (f) => `/api/public/window/matters/${(await prepareMatter(f, 'handling')).receiptCode}`,
  ),
  {
    key: 'POST /api/public/window/matters/:code/rating',
    build: async (f) =>
      json('POST', `/api/public/window/matters/${(await prepareMatter(f, 'resolved')).receiptCode}/rating`, {
        rating: 'satisfied',
      }),
  },
  get('GET /api/public/window/figures', () => '/api/public/window/figures?from=2026-01-01&to=2026-12-31'),
];
