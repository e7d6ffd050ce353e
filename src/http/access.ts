import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasPermission, type Permission } from '../core/auth/model.js';
import { Forbidden, Unauthorized } from '../core/errors.js';

/**
 * The permission (any one of them) each route that takes a body needs, so that a caller without it
 * is refused before the body is read or validated: who asks is settled before what is asked. The
 * service still checks the same permission (and the unit scope, which depends on the body); this
 * table only moves the refusal first. A route missing here is refused by its service as before,
 * after validation: add every new protected route that takes a body (the authorization test then
 * checks that a caller without the permission is refused alike with a malformed body).
 */
export const ROUTE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  // The ledger: every body route needs ledger:handle; the office's own work is refused office_only by its service.
  'POST /api/ledger/topic-lists': ['ledger:handle'],
  'POST /api/ledger/topic-lists/:id/topics': ['ledger:handle'],
  'PATCH /api/ledger/topics/:id': ['ledger:handle'],
  'POST /api/ledger/topic-lists/:id/assign': ['ledger:handle'],
  'POST /api/ledger/comments/collect': ['ledger:handle'],
  'POST /api/ledger/problems': ['ledger:handle'],
  'PATCH /api/ledger/problems/:id': ['ledger:handle'],
  'POST /api/ledger/problems/:id/merge': ['ledger:handle'],
  'POST /api/ledger/problems/:id/split': ['ledger:handle'],
  'POST /api/ledger/items': ['ledger:handle'],
  'POST /api/ledger/items/:id/plan': ['ledger:handle'],
  'POST /api/ledger/items/:id/progress': ['ledger:handle'],
  'POST /api/ledger/items/:id/result': ['ledger:handle'],
  'POST /api/ledger/items/:id/review': ['ledger:handle'],
  'POST /api/ledger/follow-ups': ['ledger:handle'],
  // The 办不成事 window: every body route needs window:handle; the coordinating office's steps are refused
  // office_only by their services.
  'POST /api/window/matters': ['window:handle'],
  'POST /api/window/matters/:id/accept': ['window:handle'],
  'POST /api/window/matters/:id/decline': ['window:handle'],
  'POST /api/window/matters/:id/assign': ['window:handle'],
  'POST /api/window/matters/:id/respond': ['window:handle'],
  'POST /api/window/matters/:id/return': ['window:handle'],
  'POST /api/window/matters/:id/resolve': ['window:handle'],
  'POST /api/window/matters/:id/reopen': ['window:handle'],
  'POST /api/window/matters/:id/ledger-item': ['window:handle'],
  'PUT /api/window/rota': ['window:handle'],
  'POST /api/accounts': ['accounts:manage'],
  'PATCH /api/accounts/:id': ['accounts:manage'],
  'POST /api/accounts/:id/reset-password': ['accounts:manage'],
  'POST /api/api-tokens': ['tokens:manage'],
  'POST /api/api-tokens/:id/revoke': ['tokens:manage'],
  'POST /api/units': ['registry:write'],
  'PATCH /api/units/:id': ['registry:write'],
  'POST /api/units/:id/deactivate': ['registry:write'],
  'POST /api/categories': ['registry:write'],
  'PATCH /api/categories/:id': ['registry:write'],
  'POST /api/service-items': ['registry:write'],
  'PATCH /api/service-items/:id': ['registry:write'],
  'POST /api/staff': ['registry:write'],
  'PATCH /api/staff/:id': ['registry:write'],
  'POST /api/periods': ['periods:write'],
  'PATCH /api/periods/:id': ['periods:write'],
  'POST /api/imports': ['registry:import'],
  'POST /api/imports/:id/apply': ['registry:import'],
  'POST /api/cases/:id/verify': ['cases:handle'],
  'POST /api/cases/:id/appeal': ['cases:handle'],
  'POST /api/cases/:id/decide-appeal': ['cases:decide'],
  'POST /api/cases/:id/callback': ['cases:handle'],
  'POST /api/cases/:id/rectification': ['cases:handle'],
  'POST /api/cases/:id/reply': ['cases:handle'],
  'PUT /api/settings/cases': ['settings:write'],
  'PUT /api/calendar/:date': ['calendar:write'],
  'DELETE /api/calendar/:date': ['calendar:write'],
  'POST /api/calendar/import': ['calendar:write'],
  'POST /api/calendar/import-official': ['calendar:write'],
  'POST /api/outbox/claim': ['outbox:drain'],
  'POST /api/outbox/:id/sent': ['outbox:drain'],
  'POST /api/transactions': ['transactions:write'],
  'POST /api/transactions/batch': ['transactions:write'],
  'POST /api/devices': ['settings:write'],
  'POST /api/devices/:id/revoke': ['settings:write'],
  'POST /api/ratings/:id/review': ['ratings:review'],
  'PUT /api/settings/ratings': ['settings:write'],
  'POST /api/schemes': ['scoring:manage'],
  'POST /api/schemes/check': ['scoring:manage'],
  'POST /api/schemes/:id/versions': ['scoring:manage'],
  'POST /api/scores/import': ['scoring:manage', 'scores:write'],
  'POST /api/scores': ['scoring:manage', 'scores:write'],
  'POST /api/scoring-tasks': ['scoring:manage'],
  'POST /api/score-sheets': ['scoring:sheet'],
  'POST /api/vetoes': ['scoring:manage'],
  'POST /api/vetoes/:id/revoke': ['scoring:manage'],
  'POST /api/runs': ['scoring:manage'],
  'POST /api/runs/:id/reviews': ['scoring:manage'],
  'PUT /api/runs/:id/problems/:unitId': ['scoring:manage'],
  'POST /api/runs/:id/publish': ['scoring:manage'],
  'POST /api/panel/groups': ['panel:manage'],
  'PATCH /api/panel/groups/:id': ['panel:manage'],
  'POST /api/panel/evaluators': ['panel:manage'],
  'PUT /api/panel/evaluators/:id': ['panel:manage'],
  'POST /api/panel/evaluators/:id/deactivate': ['panel:manage'],
  'POST /api/panel/evaluators/:id/activate': ['panel:manage'],
  'PUT /api/panel/target': ['panel:manage'],
  'POST /api/panel/imports': ['panel:manage'],
  'POST /api/panel/imports/:id/apply': ['panel:manage'],
  'POST /api/panel/draws/preview': ['panel:manage'],
  'POST /api/panel/draws': ['panel:manage'],
  'POST /api/panel/draws/:id/draw': ['panel:manage'],
  'POST /api/panel/draws/:id/publish': ['panel:manage'],
  'PUT /api/panel/draws/:id/supplements/:leaderId': ['panel:manage'],
  'POST /api/notices': ['scoring:manage'],
  'PATCH /api/documents/:id': ['scoring:manage'],
  'POST /api/documents/:id/issue': ['scoring:manage'],
  'PUT /api/outcomes/rules/:schemeId': ['scoring:manage'],
  'POST /api/outcomes/runs/:runId/decisions': ['scoring:manage'],
  'POST /api/outcomes/consequences/:id/done': ['scoring:manage'],
  'POST /api/outcomes/consequences/:id/appeals': ['scoring:manage'],
  'POST /api/outcomes/appeals/:id/decide': ['scoring:manage'],
  'POST /api/checklists': ['scoring:manage'],
  'PUT /api/checklists/:id': ['scoring:manage'],
  'POST /api/checklists/:id/units/:unitId/entries': ['checklists:fill'],
  'POST /api/checklist-entries/:id/submit': ['checklists:fill'],
  'POST /api/checklist-entries/:id/review': ['scoring:manage'],
};

/** Routes that manage one's own sign-in: a session cookie, not an API token. */
const SESSION_ROUTES = new Set(['POST /api/auth/password']);

/** A route is public when its OpenAPI entry says so (`security: []`) or it is not documented at all. */
function isPublic(request: FastifyRequest): boolean {
  const schema = request.routeOptions.schema as { security?: unknown[]; hide?: boolean } | undefined;
  if (!schema) return true;
  return schema.hide === true || (Array.isArray(schema.security) && schema.security.length === 0);
}

/**
 * Runs after the caller is known and before the body is parsed: a protected route answers 401 to
 * nobody, and 403 to a caller lacking the route's permission, whatever the body holds.
 */
export const accessGate = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.is404 || isPublic(request)) return;
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (SESSION_ROUTES.has(route)) {
      if (!request.session) throw new Unauthorized();
      return;
    }
    const actor = request.actor;
    if (!actor) throw new Unauthorized();
    const needed = ROUTE_PERMISSIONS[route];
    if (!needed) return;
    if (actor.kind === 'account' && actor.mustChangePassword) {
      throw new Forbidden(
        'password_change_required',
        'Change your one-time password before doing anything else.',
      );
    }
    if (!needed.some((p) => hasPermission(actor, p))) throw new Forbidden();
  });
});
