import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Deps } from '../core/context.js';
import { refuseStaffAtRaterRoute } from '../ratings/rater-guard.js';

/** The header a registered device (window pad, hall terminal, hotline system, staff PC) sends. */
export const DEVICE_HEADER = 'x-device-token';

/**
 * An onRequest hook for every public rater route: runs after the caller is known (session, token)
 * and before the body is read, and refuses any staff credential with 403 `staff_cannot_rate`.
 */
export function raterOnly(deps: Deps): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const header = request.headers[DEVICE_HEADER];
    await refuseStaffAtRaterRoute(deps, {
      actor: request.actor,
      deviceToken: typeof header === 'string' && header.length > 0 ? header : null,
      route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''}`,
    });
  };
}
