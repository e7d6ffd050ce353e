import type { Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import { sha256Hex } from '../core/digest.js';
import { staffCannotRate } from './service.js';
import * as store from './store.js';

/**
 * What a request to a public rater route (rating a transaction or a unit, the window pad and hall
 * terminal, the rater's judgement of a fix) carries that could make it a member of staff's.
 */
export interface RaterCredentials {
  /** The signed-in account (session with its CSRF token) or the API token, when there is one. */
  actor: Actor | null;
  /** X-Device-Token, when sent. */
  deviceToken: string | null;
  /** The route, as registered (`POST /api/public/judgements/:token`), for the audit entry. */
  route: string;
}

/**
 * Refuses every staff credential on a public rater route with 403 `staff_cannot_rate`, and records
 * the attempt in the audit log under the real actor (the account, the token, or the staff device),
 * so that a judgement or rating made "as the citizen" is neither stored nor silent. Public devices
 * (rating pads, hall terminals, hotline systems) and unknown device tokens are left to the route.
 */
export async function refuseStaffAtRaterRoute(deps: Deps, credentials: RaterCredentials): Promise<void> {
  let actor = credentials.actor;
  let detail: Record<string, unknown> = { route: credentials.route };
  if (actor) {
    detail = { ...detail, credential: actor.kind === 'token' ? 'api_token' : 'session' };
  } else if (credentials.deviceToken) {
    const device = await store.deviceByTokenHash(deps.database.db, sha256Hex(credentials.deviceToken));
    if (!device || device.revokedAt !== null || device.kind !== 'staff') return;
    actor = { kind: 'system', label: `device:${device.id}` };
    detail = { ...detail, credential: 'staff_device', deviceId: device.id, deviceName: device.name };
  } else {
    return;
  }
  await inTransaction(deps, actor, (_trx, audit) =>
    audit({
      action: 'rater_route.refused_staff',
      entityType: 'rater_route',
      entityId: credentials.route,
      before: null,
      after: null,
      detail,
    }),
  );
  throw staffCannotRate();
}
