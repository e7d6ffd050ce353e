import type { InjectOptions } from 'fastify';
import { attachEvidence, saveEntry, submitEntry } from '../../src/checklists/entries.js';
import { CHECKLIST_PRESETS } from '../../src/checklists/model.js';
import { createChecklist, openChecklist } from '../../src/checklists/service.js';
import { chinaDate } from '../../src/core/time.js';
import { SYSTEM, uniqueCode } from './factories.js';
import { binaryUpload } from './routes-ledger.js';
import type { Fixture, RouteCase } from './routes.js';

/*
 * Requests for the checklists' routes (src/checklists/routes.ts) for the authorization matrix; every target
 * lies in department A's subtree (section A1). Checklists and entries are made fresh for each call.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const definition = () => {
  const preset = CHECKLIST_PRESETS[0];
  if (!preset) throw new Error('no preset');
  return preset.definition;
};

const body = (f: Fixture) => ({
  name: '季度指标',
  periodId: f.period.id,
  series: uniqueCode('cl').toLowerCase(),
  opensOn: chinaDate(f.deps.clock.now()),
  workingDays: 10,
  definition: definition(),
  unitIds: [f.tree.sectionA1.id],
});

async function freshChecklist(f: Fixture, open = true): Promise<string> {
  const c = await createChecklist(f.deps, SYSTEM, body(f));
  if (open) await openChecklist(f.deps, SYSTEM, c.id);
  return c.id;
}

/** An entry of section A1: a draft with a photo, or submitted. */
async function freshEntry(
  f: Fixture,
  submitted: boolean,
): Promise<{ checklistId: string; entryId: string; sha: string }> {
  const checklistId = await freshChecklist(f);
  const entry = await saveEntry(f.deps, SYSTEM, checklistId, f.tree.sectionA1.id, {
    itemKey: 'industry_meeting',
    note: '',
  });
  const bytes = Buffer.concat([JPEG, Buffer.from(checklistId)]);
  const withFile = await attachEvidence(f.deps, SYSTEM, entry.id, { filename: 'a.jpg', bytes });
  if (submitted) await submitEntry(f.deps, SYSTEM, entry.id, {});
  return { checklistId, entryId: entry.id, sha: withFile.evidence[0]?.sha256 ?? '' };
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

export const CHECKLIST_ROUTE_CASES: readonly RouteCase[] = [
  get('GET /api/checklists/presets', () => '/api/checklists/presets'),
  get('GET /api/checklists', () => '/api/checklists'),
  { key: 'POST /api/checklists', build: (f) => json('POST', '/api/checklists', body(f)) },
  {
    key: 'PUT /api/checklists/:id',
    build: async (f) => json('PUT', `/api/checklists/${await freshChecklist(f, false)}`, body(f)),
  },
  {
    key: 'POST /api/checklists/:id/open',
    build: async (f) => ({ method: 'POST', url: `/api/checklists/${await freshChecklist(f, false)}/open` }),
  },
  {
    key: 'POST /api/checklists/:id/close',
    build: async (f) => ({ method: 'POST', url: `/api/checklists/${await freshChecklist(f)}/close` }),
  },
  get('GET /api/checklists/:id', async (f) => `/api/checklists/${await freshChecklist(f)}`),
  get(
    'GET /api/checklists/:id/units/:unitId',
    async (f) => `/api/checklists/${await freshChecklist(f)}/units/${f.tree.sectionA1.id}`,
  ),
  {
    key: 'POST /api/checklists/:id/units/:unitId/entries',
    build: async (f) =>
      json('POST', `/api/checklists/${await freshChecklist(f)}/units/${f.tree.sectionA1.id}/entries`, {
        itemKey: 'household_survey',
        note: '已入户调研 210 户',
      }),
  },
  {
    key: 'POST /api/checklist-entries/:id/evidence',
    build: async (f) => ({
      method: 'POST',
      url: `/api/checklist-entries/${(await freshEntry(f, false)).entryId}/evidence`,
      ...binaryUpload('b.jpg', Buffer.concat([JPEG, Buffer.from([7])])),
    }),
  },
  {
    key: 'POST /api/checklist-entries/:id/submit',
    build: async (f) =>
      json('POST', `/api/checklist-entries/${(await freshEntry(f, false)).entryId}/submit`, {}),
  },
  {
    key: 'POST /api/checklist-entries/:id/review',
    build: async (f) =>
      json('POST', `/api/checklist-entries/${(await freshEntry(f, true)).entryId}/review`, {
        decision: 'return',
        reason: '照片不清楚',
      }),
  },
  get(
    'GET /api/checklist-files/:sha256',
    async (f) => `/api/checklist-files/${(await freshEntry(f, false)).sha}`,
  ),
];
