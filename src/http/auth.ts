import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../core/auth/model.js';
import { authenticateToken, resumeSession, type SessionInfo } from '../core/auth/service.js';
import type { Deps } from '../core/context.js';
import { Forbidden, Unauthorized } from '../core/errors.js';

export const SESSION_COOKIE = 'minping_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionInfo | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling: an API token (`Authorization: Bearer mpt_…`) or a session cookie. Writes
 * through a cookie must carry the session's CSRF token in `X-CSRF-Token`; token calls need none.
 */
export const authPlugin = fp<{ deps: Deps; secureCookies: boolean }>(
  async (app: FastifyInstance, { deps }) => {
    app.decorateRequest('actor', null);
    app.decorateRequest('session', null);
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const actor = await authenticateToken(deps, header.slice(7).trim());
        if (!actor) throw new Unauthorized('bad_token', 'The API token is unknown, revoked or expired.');
        request.actor = actor;
        return;
      }
      const cookie = request.cookies[SESSION_COOKIE];
      if (!cookie) return;
      const session = await resumeSession(deps, cookie);
      if (!session) return;
      // Signing in or out again from a stale tab must work; the SameSite=Strict cookie already keeps other
      // sites from doing either.
      const exempt = request.url === '/api/auth/login' || request.url === '/api/auth/logout';
      if (
        !SAFE_METHODS.has(request.method) &&
        !exempt &&
        request.headers[CSRF_HEADER] !== session.csrfToken
      ) {
        throw new Forbidden(
          'csrf_failed',
          'The page is out of date (security token missing). Reload it and try again.',
        );
      }
      request.session = session;
      request.actor = session.actor;
    });
  },
);

/** The caller, or a 401. An account that must change its password may do nothing else first. */
export function requireActor(request: FastifyRequest): Actor {
  const actor = request.actor;
  if (!actor) throw new Unauthorized();
  if (actor.kind === 'account' && actor.mustChangePassword) {
    throw new Forbidden(
      'password_change_required',
      'Change your one-time password before doing anything else.',
    );
  }
  return actor;
}

/** The caller's session (cookie sign-in), or a 401; for the routes that manage one's own sign-in. */
export function requireSession(request: FastifyRequest): SessionInfo {
  if (!request.session) throw new Unauthorized();
  return request.session;
}

/**
 * Sets the session cookie as a browser-session cookie: it goes when the browser closes, and the
 * database session (which slides with use) decides when it expires, so a clerk working all day is
 * not signed out at a fixed hour.
 */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean) {
  void reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure });
}
