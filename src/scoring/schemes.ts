import { type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB } from '../core/db/schema.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/time.js';
import { isValidCode } from '../registry/model.js';
import {
  canonicalJson,
  schemeProblems,
  validateScheme,
  type SchemeDefinition,
  type SchemeProblem,
} from './model.js';
import * as store from './store.js';
import { SCHEME_TEMPLATES } from './templates.js';
import type {
  SchemeDetail,
  SchemeSummary,
  SchemeTemplateView,
  SchemeVersionDetail,
  SchemeVersionView,
} from './types.js';
import { actorIdOf, actorName, require, text } from './common.js';

/* Scoring schemes (考核方案) and their versions: create, check, version, templates. */

const presentSummary = (row: DB['schemes']): SchemeSummary => ({
  id: row.id,
  code: row.code,
  name: row.name,
  description: row.description,
  latestVersion: row.latestVersion,
  updatedAt: row.updatedAt,
});

const presentVersion = (row: DB['schemeVersions']): SchemeVersionView => ({
  version: row.version,
  note: row.note,
  createdAt: row.createdAt,
  createdBy: row.createdByName,
});

/** A stored definition, typed (it was validated when it was stored). */
export function parseDefinition(text: string): SchemeDefinition {
  return JSON.parse(text) as SchemeDefinition;
}

async function schemeDetail(db: Executor, id: string): Promise<SchemeDetail> {
  const scheme = await store.schemeById(db, id);
  if (!scheme) throw new NotFound('scheme', id);
  const versions = await store.schemeVersions(db, id);
  const latest = versions.find((v) => v.version === scheme.latestVersion);
  if (!latest) throw new NotFound('scheme version', `${id}/${scheme.latestVersion}`);
  return {
    ...presentSummary(scheme),
    versions: versions.map(presentVersion),
    definition: parseDefinition(latest.definition),
  };
}

export async function listSchemes(deps: Deps, actor: Actor): Promise<SchemeSummary[]> {
  require(actor, 'scoring:read');
  return (await store.listSchemes(deps.database.db)).map(presentSummary);
}

export async function getScheme(deps: Deps, actor: Actor, id: string): Promise<SchemeDetail> {
  require(actor, 'scoring:read');
  return schemeDetail(deps.database.db, id);
}

export async function getSchemeVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  version: number,
): Promise<SchemeVersionDetail> {
  require(actor, 'scoring:read');
  const row = await store.schemeVersion(deps.database.db, id, version);
  if (!row) throw new NotFound('scheme version', `${id}/${version}`);
  return { ...presentVersion(row), definition: parseDefinition(row.definition) };
}

/** The editor's live check: every problem, none of them an error. */
export function checkScheme(actor: Actor, definition: unknown): { problems: SchemeProblem[] } {
  require(actor, 'scoring:manage');
  return { problems: schemeProblems(definition) };
}

export function listTemplates(actor: Actor): SchemeTemplateView[] {
  require(actor, 'scoring:read');
  return SCHEME_TEMPLATES.map((t) => ({
    key: t.key,
    name: t.name,
    description: t.description,
    definition: t.definition,
  }));
}

export interface SchemeInput {
  code: string;
  name: string;
  description?: string | undefined;
  definition: unknown;
  note?: string | undefined;
}

export async function createScheme(deps: Deps, actor: Actor, input: SchemeInput): Promise<SchemeDetail> {
  require(actor, 'scoring:manage');
  if (!isValidCode(input.code)) {
    throw new Invalid(
      'invalid_code',
      'A code has 1–40 letters, digits, ".", "_" or "-", and starts with a letter or digit.',
      { field: 'code' },
    );
  }
  const name = text(input.name, 'name', 100);
  const description = text(input.description, 'description', 2000, false);
  const note = text(input.note, 'note', 500, false);
  const definition = validateScheme(input.definition);
  return inTransaction(deps, actor, async (trx, audit) => {
    const existing = await store.schemeByCode(trx, input.code);
    if (existing) {
      throw new Conflict('duplicate', `A scheme with the code ${input.code} already exists.`, {
        field: 'code',
      });
    }
    const now = isoNow(deps.clock);
    const scheme = {
      id: newId(),
      code: input.code,
      name,
      description,
      latestVersion: 1,
      createdAt: now,
      updatedAt: now,
    };
    await store.insertScheme(trx, scheme);
    const version = {
      id: newId(),
      schemeId: scheme.id,
      version: 1,
      definition: canonicalJson(definition),
      note,
      createdBy: actorIdOf(actor),
      createdByName: actorName(actor),
      createdAt: now,
    };
    await store.insertSchemeVersion(trx, version);
    await audit({
      action: 'scheme.created',
      entityType: 'scheme',
      entityId: scheme.id,
      before: null,
      after: { ...scheme, definition },
      detail: { code: scheme.code, name, version: 1, note },
    });
    return schemeDetail(trx, scheme.id);
  });
}

export async function addSchemeVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { definition: unknown; note?: string | undefined },
): Promise<SchemeDetail> {
  require(actor, 'scoring:manage');
  const note = text(input.note, 'note', 500, false);
  const definition = validateScheme(input.definition);
  return inTransaction(deps, actor, async (trx, audit) => {
    const scheme = await store.schemeById(trx, id);
    if (!scheme) throw new NotFound('scheme', id);
    const now = isoNow(deps.clock);
    const next = scheme.latestVersion + 1;
    if (!(await store.bumpSchemeVersion(trx, id, scheme.latestVersion, next, now))) {
      throw new Conflict('scheme_changed', 'Someone saved another version at the same moment; reload it.');
    }
    await store.insertSchemeVersion(trx, {
      id: newId(),
      schemeId: id,
      version: next,
      definition: canonicalJson(definition),
      note,
      createdBy: actorIdOf(actor),
      createdByName: actorName(actor),
      createdAt: now,
    });
    await audit({
      action: 'scheme.version_added',
      entityType: 'scheme',
      entityId: id,
      before: { latestVersion: scheme.latestVersion },
      after: { latestVersion: next, definition },
      detail: { version: next, note },
    });
    return schemeDetail(trx, id);
  });
}
