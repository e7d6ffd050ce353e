import { type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { VetoesTable } from '../core/db/schema.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/time.js';
import * as store from './store.js';
import type { VetoView } from './types.js';
import { actorIdOf, actorName, periodOf, require, text } from './common.js';

/* Vetoes (一票否决): recorded and revoked with reasons. */

async function presentVetoes(db: Executor, rows: readonly VetoesTable[]): Promise<VetoView[]> {
  const units = await store.unitNames(
    db,
    rows.map((r) => r.unitId),
  );
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unitId,
    unitName: units.get(r.unitId)?.name ?? '',
    periodId: r.periodId,
    schemeId: r.schemeId,
    reason: r.reason,
    evidence: r.evidence,
    recordedBy: r.recordedByName,
    recordedAt: r.recordedAt,
    revokedAt: r.revokedAt,
    revokeReason: r.revokeReason,
  }));
}

export async function listVetoes(deps: Deps, actor: Actor, periodId?: string): Promise<VetoView[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  return presentVetoes(db, await store.listVetoes(db, periodId ?? null));
}

export async function recordVeto(
  deps: Deps,
  actor: Actor,
  input: {
    unitId: string;
    periodId: string;
    schemeId?: string | null | undefined;
    reason: string;
    evidence: string;
  },
): Promise<VetoView> {
  require(actor, 'scoring:manage');
  const reason = text(input.reason, 'reason', 1000);
  const evidence = text(input.evidence, 'evidence', 2000);
  return inTransaction(deps, actor, async (trx, audit) => {
    if ((await store.unitNames(trx, [input.unitId])).size === 0) {
      throw new Invalid('unknown_unit', 'The unit does not exist.', { field: 'unitId' });
    }
    await periodOf(trx, input.periodId);
    const schemeId = input.schemeId ?? null;
    if (schemeId !== null && !(await store.schemeById(trx, schemeId))) {
      throw new Invalid('unknown_scheme', 'The scheme does not exist.', { field: 'schemeId' });
    }
    const row: VetoesTable = {
      id: newId(),
      unitId: input.unitId,
      periodId: input.periodId,
      schemeId,
      reason,
      evidence,
      recordedBy: actorIdOf(actor),
      recordedByName: actorName(actor),
      recordedAt: isoNow(deps.clock),
      revokedAt: null,
      revokeReason: null,
    };
    await store.insertVeto(trx, row);
    await audit({ action: 'veto.recorded', entityType: 'veto', entityId: row.id, before: null, after: row });
    const [view] = await presentVetoes(trx, [row]);
    return view as VetoView;
  });
}

export async function revokeVeto(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string },
): Promise<VetoView> {
  require(actor, 'scoring:manage');
  const reason = text(input.reason, 'reason', 1000);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.vetoById(trx, id);
    if (!before) throw new NotFound('veto', id);
    const now = isoNow(deps.clock);
    if (!(await store.revokeVeto(trx, id, now, reason))) {
      throw new Conflict('already_revoked', 'This veto was revoked already.', {
        revokedAt: before.revokedAt,
      });
    }
    const after = { ...before, revokedAt: now, revokeReason: reason };
    await audit({ action: 'veto.revoked', entityType: 'veto', entityId: id, before, after });
    const [view] = await presentVetoes(trx, [after]);
    return view as VetoView;
  });
}
