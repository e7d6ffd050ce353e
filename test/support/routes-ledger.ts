import type { InjectOptions } from 'fastify';
import { newId } from '../../src/core/ids.js';
import { createTopicList } from '../../src/ledger/inbox.js';
import { attachToItem, recordFollowUp } from '../../src/ledger/evidence.js';
import { createItem, reviewItem, submitPlan, submitProgress, submitResult } from '../../src/ledger/items.js';
import { createProblem } from '../../src/ledger/problems.js';
import { SYSTEM } from './factories.js';
import type { Fixture, RouteCase } from './routes.js';

/*
 * Requests for the ledger's routes (src/ledger/routes.ts) for the authorization matrix; every target lies
 * in department A's subtree. Items, problems and comments are made fresh for each call.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

const get = (key: string, url: (f: Fixture) => string | Promise<string>): RouteCase => ({
  key,
  build: async (f) => ({ method: 'GET', url: await url(f) }),
});

const json = (method: 'POST' | 'PATCH', url: string, payload: object): InjectOptions => ({
  method,
  url,
  payload,
});

/** A multipart upload of one binary file in the field `file`. */
export function binaryUpload(filename: string, bytes: Buffer): Pick<InjectOptions, 'headers' | 'payload'> {
  const boundary = '----minping-ledger-boundary';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          `Content-Type: application/octet-stream\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

/** A comment of section A1 in the inbox, written straight into the table as a source would deliver it. */
export async function insertComment(f: Fixture, text = '窗口办事排队时间太长'): Promise<string> {
  const id = newId(f.deps.clock.now().getTime());
  await f.deps.database.db
    .insertInto('ledgerComments')
    .values({
      id,
      source: 'test',
      sourceRef: id,
      unitId: f.tree.sectionA1.id,
      date: '2026-03-16',
      level: 2,
      text,
      collectedAt: f.deps.clock.now().toISOString(),
    })
    .execute();
  return id;
}

type Stage = 'planning' | 'plan_review' | 'executing' | 'progress_review' | 'finishing' | 'result_review';

/** A ledger item of section A1 brought to the given state by the office and a system actor. */
export async function prepareItem(f: Fixture, state: Stage): Promise<string> {
  const { deps } = f;
  const item = await createItem(deps, SYSTEM, {
    origin: 'manual',
    unitId: f.tree.sectionA1.id,
    title: '办事材料反复补交',
    deadlineOn: '2030-12-31',
  });
  const order: Stage[] = [
    'planning',
    'plan_review',
    'executing',
    'progress_review',
    'finishing',
    'result_review',
  ];
  const steps = order.indexOf(state);
  if (steps >= 1) await submitPlan(deps, SYSTEM, item.id, { target: '一次告知', measures: '材料清单上墙' });
  if (steps >= 2) await reviewItem(deps, SYSTEM, item.id, { stage: 'plan', approve: true });
  if (steps >= 3) await submitProgress(deps, SYSTEM, item.id, { text: '已完成一半' });
  if (steps >= 4) await reviewItem(deps, SYSTEM, item.id, { stage: 'progress', approve: true });
  if (steps >= 5) {
    await attachToItem(deps, SYSTEM, item.id, { filename: 'photo.jpg', bytes: JPEG });
    await submitResult(deps, SYSTEM, item.id, { text: '已整改' });
  }
  return item.id;
}

async function freshList(f: Fixture): Promise<{ id: string; topicId: string }> {
  const list = await createTopicList(f.deps, SYSTEM, { name: '测试清单', presetKey: 'nanchuan5' });
  return { id: list.id, topicId: list.topics[0]?.id ?? '' };
}

export const LEDGER_ROUTE_CASES: readonly RouteCase[] = [
  get('GET /api/ledger/topic-presets', () => '/api/ledger/topic-presets'),
  get('GET /api/ledger/topic-lists', () => '/api/ledger/topic-lists'),
  {
    key: 'POST /api/ledger/topic-lists',
    build: () => json('POST', '/api/ledger/topic-lists', { name: '新清单', presetKey: 'xian7' }),
  },
  {
    key: 'POST /api/ledger/topic-lists/:id/topics',
    build: async (f) =>
      json('POST', `/api/ledger/topic-lists/${(await freshList(f)).id}/topics`, {
        name: '窗口秩序',
        keywords: [{ word: '插队', weight: 1 }],
      }),
  },
  {
    key: 'PATCH /api/ledger/topics/:id',
    build: async (f) =>
      json('PATCH', `/api/ledger/topics/${(await freshList(f)).topicId}`, {
        keywords: [{ word: '冷漠', weight: 2 }],
      }),
  },
  {
    key: 'POST /api/ledger/topic-lists/:id/assign',
    build: async (f) => {
      const list = await freshList(f);
      return json('POST', `/api/ledger/topic-lists/${list.id}/assign`, {
        assignments: [{ commentId: await insertComment(f), topicId: list.topicId }],
      });
    },
  },
  {
    key: 'POST /api/ledger/comments/collect',
    build: () => json('POST', '/api/ledger/comments/collect', { from: '2026-03-01', to: '2026-03-31' }),
  },
  get('GET /api/ledger/comments', (f) => `/api/ledger/comments?unitId=${f.tree.deptA.id}`),
  get(
    'GET /api/ledger/clusters',
    async (f) => `/api/ledger/clusters?listId=${(await freshList(f)).id}&unitId=${f.tree.deptA.id}`,
  ),
  get('GET /api/ledger/problems', (f) => `/api/ledger/problems?unitId=${f.tree.deptA.id}`),
  {
    key: 'POST /api/ledger/problems',
    build: async (f) =>
      json('POST', '/api/ledger/problems', {
        unitId: f.tree.sectionA1.id,
        title: '排队时间长',
        commentIds: [await insertComment(f)],
      }),
  },
  {
    key: 'PATCH /api/ledger/problems/:id',
    build: async (f) => {
      const problem = await createProblem(f.deps, SYSTEM, {
        unitId: f.tree.sectionA1.id,
        title: '排队时间长',
        commentIds: [await insertComment(f)],
      });
      return json('PATCH', `/api/ledger/problems/${problem.id}`, { title: '高峰期排队超过一小时' });
    },
  },
  get('GET /api/ledger/comment-sources', () => '/api/ledger/comment-sources'),
  get('GET /api/ledger/problems/:id/comments', async (f) => {
    const problem = await createProblem(f.deps, SYSTEM, {
      unitId: f.tree.sectionA1.id,
      title: '排队时间长',
      commentIds: [await insertComment(f)],
    });
    return `/api/ledger/problems/${problem.id}/comments`;
  }),
  {
    key: 'POST /api/ledger/problems/:id/merge',
    build: async (f) => {
      const make = async (title: string) =>
        createProblem(f.deps, SYSTEM, {
          unitId: f.tree.sectionA1.id,
          title,
          commentIds: [await insertComment(f, title)],
        });
      const a = await make('排队时间长');
      const b = await make('高峰期排队');
      return json('POST', `/api/ledger/problems/${a.id}/merge`, { problemIds: [b.id] });
    },
  },
  {
    key: 'POST /api/ledger/problems/:id/split',
    build: async (f) => {
      const keep = await insertComment(f, '排队时间长');
      const move = await insertComment(f, '叫号机坏了');
      const problem = await createProblem(f.deps, SYSTEM, {
        unitId: f.tree.sectionA1.id,
        title: '排队时间长',
        commentIds: [keep, move],
      });
      return json('POST', `/api/ledger/problems/${problem.id}/split`, {
        title: '叫号机故障',
        commentIds: [move],
      });
    },
  },
  get(
    'GET /api/ledger/units/:unitId/main-problems',
    (f) => `/api/ledger/units/${f.tree.sectionA1.id}/main-problems`,
  ),
  get('GET /api/ledger/items', () => '/api/ledger/items'),
  {
    key: 'POST /api/ledger/items',
    build: (f) =>
      json('POST', '/api/ledger/items', {
        origin: 'manual',
        unitId: f.tree.sectionA1.id,
        title: '咨询电话无人接听',
        deadlineOn: '2030-12-31',
      }),
  },
  get('GET /api/ledger/items/:id', async (f) => `/api/ledger/items/${await prepareItem(f, 'planning')}`),
  {
    key: 'POST /api/ledger/items/:id/plan',
    build: async (f) =>
      json('POST', `/api/ledger/items/${await prepareItem(f, 'planning')}/plan`, {
        target: '一次告知',
        measures: '清单上墙',
      }),
  },
  {
    key: 'POST /api/ledger/items/:id/progress',
    build: async (f) =>
      json('POST', `/api/ledger/items/${await prepareItem(f, 'executing')}/progress`, { text: '已培训' }),
  },
  {
    key: 'POST /api/ledger/items/:id/result',
    build: async (f) => {
      const id = await prepareItem(f, 'finishing');
      await attachToItem(f.deps, SYSTEM, id, { filename: 'photo.jpg', bytes: JPEG });
      return json('POST', `/api/ledger/items/${id}/result`, { text: '已整改' });
    },
  },
  {
    key: 'POST /api/ledger/items/:id/review',
    build: async (f) =>
      json('POST', `/api/ledger/items/${await prepareItem(f, 'result_review')}/review`, {
        stage: 'result',
        approve: true,
      }),
  },
  {
    key: 'POST /api/ledger/items/:id/evidence',
    build: async (f) => ({
      method: 'POST',
      url: `/api/ledger/items/${await prepareItem(f, 'executing')}/evidence`,
      ...binaryUpload('现场照片.jpg', JPEG),
    }),
  },
  {
    key: 'GET /api/ledger/files/:sha256',
    build: async (f) => {
      const id = await prepareItem(f, 'executing');
      const [a] = await attachToItem(f.deps, SYSTEM, id, { filename: 'photo.jpg', bytes: JPEG });
      return { method: 'GET', url: `/api/ledger/files/${a?.sha256 ?? ''}` };
    },
  },
  get('GET /api/ledger/follow-ups', () => '/api/ledger/follow-ups'),
  {
    key: 'POST /api/ledger/follow-ups',
    build: (f) =>
      json('POST', '/api/ledger/follow-ups', {
        kind: 'covert',
        method: 'phone',
        unitId: f.tree.sectionA1.id,
        date: '2026-03-16',
        inspector: '督查组',
        findings: '电话咨询三次无人接听',
        problemBack: false,
      }),
  },
  {
    key: 'POST /api/ledger/follow-ups/:id/evidence',
    build: async (f) => {
      const visit = await recordFollowUp(f.deps, SYSTEM, {
        kind: 'revisit',
        method: 'visit',
        unitId: f.tree.sectionA1.id,
        date: '2026-03-16',
        inspector: '督查组',
        findings: '已改善',
        problemBack: false,
      });
      return {
        method: 'POST',
        url: `/api/ledger/follow-ups/${visit.id}/evidence`,
        ...binaryUpload('回访.jpg', JPEG),
      };
    },
  },
  get('GET /api/ledger/export.xlsx', () => '/api/ledger/export.xlsx'),
  get('GET /api/public/ledger', () => '/api/public/ledger'),
];
