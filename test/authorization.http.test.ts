import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import {
  anonymousClient,
  bearerClient,
  describeEachApp,
  errorBodyProblems,
  registeredRoutes,
  signInFresh,
  snapshot,
} from './support/checks.js';
import type { Client } from './support/http.js';
import { ROUTE_PERMISSIONS } from '../src/http/access.js';
import { makeFixture, routeOf, ROUTE_CASES, type Fixture } from './support/routes.js';

/*
 * The authorization policy of every route, as a table: who may call it, and how everyone else is
 * refused. A refused call must change nothing. A route the table does not list fails the last test,
 * so every new route has to be added here (and so decided on) before it can land.
 */

const CALLERS = [
  'anonymous',
  'admin',
  'office',
  'staffIn', // unit staff of department A; every target below lies in department A's subtree
  'staffOut', // unit staff of department B
  'leader',
  'supervisor',
  'tokenRead', // API token with scope registry:read
  'tokenWrite', // API token with scope registry:write
] as const;
type Caller = (typeof CALLERS)[number];

/** 2xx (or a redirect, as the docs' index.html answers): the call did what it asked. */
const OK = 'ok';
/**
 * Got past authorization (2xx, or a refusal that is not 401/403 and not "no such route"). Used only
 * for the import routes, whose upload format this table does not define: the request here may be
 * refused for its content, but never for who sent it.
 */
const PAST = 'past';
const ANON = 'not_signed_in'; // 401
const NO = 'forbidden'; // 403
const SCOPE = 'outside_scope'; // 403
const OFFICE = 'office_only'; // 403
const ADMIN = 'admin_only'; // 403
const STAFF = 'staff_cannot_rate'; // 403: a signed-in account or a token may not rate for the public
type Outcome =
  | typeof OK
  | typeof PAST
  | typeof ANON
  | typeof NO
  | typeof SCOPE
  | typeof OFFICE
  | typeof ADMIN
  | typeof STAFF;
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

const ALL: Row = [OK, OK, OK, OK, OK, OK, OK, OK, OK];
const SIGNED_IN: Row = [ANON, OK, OK, OK, OK, OK, OK, OK, OK];
const SESSION_ONLY: Row = [ANON, OK, OK, OK, OK, OK, OK, ANON, ANON];
const MANAGERS: Row = [ANON, OK, OK, NO, NO, NO, NO, NO, NO];
const ADMIN_TARGET: Row = [ANON, OK, ADMIN, NO, NO, NO, NO, NO, NO];
const SCOPED_READ: Row = [ANON, OK, OK, OK, SCOPE, OK, OK, OK, OK];
const SCOPED_WRITE: Row = [ANON, OK, OK, OK, SCOPE, NO, NO, NO, OK];
const OFFICE_WRITE: Row = [ANON, OK, OK, OFFICE, OFFICE, NO, NO, NO, OFFICE];
const IMPORTERS: Row = [ANON, PAST, PAST, NO, NO, NO, NO, NO, NO];
// Leaders and supervisors read the queue and the warnings (cases:read) but act on nothing.
const CASE_QUEUE: Row = [ANON, OK, OK, OK, OK, OK, OK, NO, NO];
// Queues of the office and unit staff (ledger, window), not leaders or supervisors.
const STAFF_QUEUE: Row = [ANON, OK, OK, OK, OK, NO, NO, NO, NO];
const CASE_READ: Row = [ANON, OK, OK, OK, SCOPE, OK, OK, NO, NO];
const PUBLIC_RATING: Row = [OK, STAFF, STAFF, STAFF, STAFF, STAFF, STAFF, STAFF, STAFF];
const RATINGS_READ: Row = [ANON, OK, OK, OK, SCOPE, OK, OK, NO, NO];
const CASE_HANDLE: Row = [ANON, OK, OK, OK, SCOPE, NO, NO, NO, NO];
const SCORING_READ: Row = [ANON, OK, OK, NO, NO, OK, OK, NO, NO];
const PANEL_READ: Row = [ANON, OK, OK, NO, NO, NO, OK, NO, NO];
const LEDGER_OFFICE: Row = [ANON, OK, OK, OFFICE, OFFICE, NO, NO, NO, NO];

// prettier-ignore
const POLICY: Record<string, Row> = {
  //                                                      anon  admin office staffIn staffOut leader superv tokR tokW
  'GET /':                                                ALL,
  'GET /api/health':                                      ALL,
  'GET /api/openapi.json':                                ALL,
  'GET /api/docs':                                        ALL,
  'GET /api/docs/':                                       ALL,
  'GET /api/docs/static/index.html':                      ALL,
  'GET /api/docs/static/swagger-initializer.js':          ALL,
  'GET /api/docs/*':                                      ALL,
  'GET /api/docs/json':                                   ALL,
  'GET /api/docs/yaml':                                   ALL,

  'POST /api/auth/login':                                 ALL,
  'POST /api/auth/logout':                                ALL,
  'GET /api/auth/session':                                SESSION_ONLY,
  'GET /api/auth/state':                                  ALL,
  'POST /api/auth/password':                              SESSION_ONLY,
  'GET /api/auth/demo-accounts':                          ALL,

  'GET /api/accounts':                                    MANAGERS,
  'POST /api/accounts':                                   MANAGERS,
  'POST /api/accounts#administrator':                     ADMIN_TARGET,
  'PATCH /api/accounts/:id':                              MANAGERS,
  'PATCH /api/accounts/:id#administrator':                ADMIN_TARGET,
  'POST /api/accounts/:id/reset-password':                MANAGERS,
  'POST /api/accounts/:id/reset-password#administrator':  ADMIN_TARGET,

  'GET /api/api-tokens':                                  MANAGERS,
  'POST /api/api-tokens':                                 MANAGERS,
  'POST /api/api-tokens/:id/revoke':                      MANAGERS,

  'GET /api/audit':                                       [ANON, OK,   OK,    NO,     NO,      NO,    OK,    NO,  NO],

  'GET /api/units':                                       SIGNED_IN,
  'GET /api/units/:id':                                   SCOPED_READ,
  'POST /api/units':                                      SCOPED_WRITE,
  'PATCH /api/units/:id':                                 SCOPED_WRITE,
  'POST /api/units/:id/deactivate':                       SCOPED_WRITE,

  'GET /api/categories':                                  SIGNED_IN,
  'POST /api/categories':                                 OFFICE_WRITE,
  'PATCH /api/categories/:id':                            OFFICE_WRITE,

  'GET /api/service-items':                               SCOPED_READ,
  'POST /api/service-items':                              SCOPED_WRITE,
  'PATCH /api/service-items/:id':                         SCOPED_WRITE,

  'GET /api/staff':                                       SCOPED_READ,
  'POST /api/staff':                                      SCOPED_WRITE,
  'PATCH /api/staff/:id':                                 SCOPED_WRITE,

  'GET /api/periods':                                     SIGNED_IN,
  'POST /api/periods':                                    MANAGERS,
  'PATCH /api/periods/:id':                               MANAGERS,

  // Spreadsheet import needs registry:import (the office and administrators); the export is a read
  // that every caller gets for the part of the registry it may see (unit staff: their subtree).
  'POST /api/imports':                                    IMPORTERS,
  'GET /api/imports/:id':                                 IMPORTERS,
  'POST /api/imports/:id/apply':                          IMPORTERS,
  'GET /api/exports/registry.xlsx':                       SIGNED_IN,

  // Bad-review cases: cases:handle (unit staff within their subtree; office, admin); appeals are decided
  // by cases:decide (office, admin). Settings, the calendar's writes and the outbox: the office.
  'GET /api/cases':                                       CASE_QUEUE,
  'GET /api/cases/:id':                                   CASE_READ,
  'POST /api/cases/:id/verify':                           CASE_HANDLE,
  'POST /api/cases/:id/appeal':                           CASE_HANDLE,
  'POST /api/cases/:id/decide-appeal':                    MANAGERS,
  'POST /api/cases/:id/callback':                         CASE_HANDLE,
  'POST /api/cases/:id/rectification':                    CASE_HANDLE,
  'POST /api/cases/:id/reply':                            CASE_HANDLE,
  'GET /api/warnings':                                    CASE_QUEUE,
  'GET /api/settings/cases':                              MANAGERS,
  'PUT /api/settings/cases':                              MANAGERS,
  'GET /api/public/judgements/:token':                    ALL,
  'POST /api/public/judgements/:token':                   PUBLIC_RATING,
  'GET /api/public/units/:code/cases':                    ALL,
  'GET /api/public/cases/:id':                            ALL,

  'GET /api/calendar':                                    SIGNED_IN,
  'PUT /api/calendar/:date':                              MANAGERS,
  'DELETE /api/calendar/:date':                           MANAGERS,
  'POST /api/calendar/import':                            MANAGERS,
  'POST /api/calendar/import-official':                   MANAGERS,

  'GET /api/outbox':                                      MANAGERS,
  'POST /api/outbox/claim':                               MANAGERS,
  'POST /api/outbox/:id/sent':                            MANAGERS,

  // Instant ratings (src/ratings/routes.ts). Transactions need transactions:write (unit staff within
  // their subtree); a batch answers each item, so an out-of-scope item is an item error (nothing stored),
  // not a refusal of the call. Rating is for the public only: any signed-in account or token is refused.
  // Devices, settings changes and the review queue are the office's; statistics need ratings:read.
  'POST /api/transactions':                               [ANON, OK,   OK,    OK,     SCOPE,   NO,    NO,    NO,  NO],
  'POST /api/transactions/batch':                         [ANON, OK,   OK,    OK,     OK,      NO,    NO,    NO,  NO],
  'GET /api/public/rate/:token':                          ALL,
  'POST /api/public/rate/:token':                         PUBLIC_RATING,
  'GET /api/public/units/:code/rate-form':                ALL,
  'POST /api/public/units/:code/ratings':                 PUBLIC_RATING,
  'GET /api/public/units/:code/statistics':               ALL,
  // The window pad (X-Device-Token of a registered rating device): public, never for a signed-in caller.
  'GET /api/public/kiosk/waiting':                        PUBLIC_RATING,
  'POST /api/public/kiosk/transactions/:id/rating':       PUBLIC_RATING,
  // A hall's terminal finds the transaction by its number (X-Device-Token): public, never signed in.
  'POST /api/public/kiosk/by-number':                     PUBLIC_RATING,
  'POST /api/public/kiosk/by-number/rating':              PUBLIC_RATING,
  'GET /api/units/:id/poster.png':                        SCOPED_READ,
  'POST /api/devices':                                    MANAGERS,
  'GET /api/devices':                                     MANAGERS,
  'POST /api/devices/:id/revoke':                         MANAGERS,
  'GET /api/ratings/held':                                MANAGERS,
  'POST /api/ratings/:id/review':                         MANAGERS,
  'GET /api/statistics':                                  RATINGS_READ,
  'GET /api/statistics/breakdown':                        RATINGS_READ,
  'GET /api/statistics/export.xlsx':                      RATINGS_READ,
  'GET /api/settings/ratings':                            [ANON, OK,   OK,    OK,     OK,      OK,    OK,    NO,  NO],
  'PUT /api/settings/ratings':                            MANAGERS,

  // Scoring (src/scoring/routes.ts): the office manages (scoring:manage), leaders and supervisors read
  // (scoring:read). Score sheets (scoring:sheet): unit staff for the tasks their subtree leads (department
  // A leads the task used here). Storing scores by API needs scores:write, which neither test token holds.
  // Published results are public.
  'GET /api/schemes':                                     SCORING_READ,
  'POST /api/schemes':                                    MANAGERS,
  'POST /api/schemes/check':                              MANAGERS,
  'GET /api/schemes/:id':                                 SCORING_READ,
  'GET /api/schemes/:id/versions/:version':               SCORING_READ,
  'POST /api/schemes/:id/versions':                       MANAGERS,
  'GET /api/scheme-templates':                            SCORING_READ,
  'GET /api/scores/series':                               SCORING_READ,
  'GET /api/scores':                                      SCORING_READ,
  'POST /api/scores/import':                              MANAGERS,
  'POST /api/scores':                                     MANAGERS,
  'GET /api/scoring-tasks':                               [ANON, OK,   OK,    OK,     OK,      OK,    OK,    NO,  NO],
  'POST /api/scoring-tasks':                              MANAGERS,
  'GET /api/score-sheets':                                RATINGS_READ,
  'POST /api/score-sheets':                               CASE_HANDLE,
  'GET /api/vetoes':                                      SCORING_READ,
  'POST /api/vetoes':                                     MANAGERS,
  'POST /api/vetoes/:id/revoke':                          MANAGERS,
  'POST /api/runs':                                       MANAGERS,
  'POST /api/runs/check':                                 MANAGERS,
  'GET /api/runs/:id/warnings':                           SCORING_READ,
  'GET /api/runs':                                        SCORING_READ,
  'GET /api/runs/:id':                                    SCORING_READ,
  'GET /api/runs/:id/units/:unitId':                      SCORING_READ,
  'POST /api/runs/:id/reviews':                           MANAGERS,
  'PUT /api/runs/:id/problems/:unitId':                   MANAGERS,
  'POST /api/runs/:id/publish':                           MANAGERS,
  'GET /api/runs/:id/export.xlsx':                        SCORING_READ,
  'GET /api/public/results':                              ALL,
  'GET /api/public/results/:id':                          ALL,
  'GET /api/public/results/:id/units/:unitId':            ALL,
  // Result application (结果运用): the office decides; leaders and supervisors read.
  'GET /api/outcomes/presets':                            SCORING_READ,
  'GET /api/outcomes/rules/:schemeId':                    SCORING_READ,
  'PUT /api/outcomes/rules/:schemeId':                    MANAGERS,
  'GET /api/outcomes/runs/:runId':                        SCORING_READ,
  'POST /api/outcomes/runs/:runId/decisions':             MANAGERS,
  'GET /api/outcomes/consequences':                       SCORING_READ,
  'POST /api/outcomes/consequences/:id/done':             MANAGERS,
  'POST /api/outcomes/consequences/:id/appeals':          MANAGERS,
  'POST /api/outcomes/appeals/:id/decide':                MANAGERS,
  'GET /api/outcomes/units/:unitId/record':               SCORING_READ,
  'GET /api/outcomes/units/:unitId/record.xlsx':          SCORING_READ,
  // Notices and reports: the office drafts, edits and issues; leaders and supervisors read and download.
  'POST /api/notices':                                    MANAGERS,
  'GET /api/documents':                                   SCORING_READ,
  'GET /api/documents/:id':                               SCORING_READ,
  'PATCH /api/documents/:id':                             MANAGERS,
  'POST /api/documents/:id/issue':                        MANAGERS,
  'GET /api/documents/:id/download':                      SCORING_READ,

  // The evaluator pool and its draws (src/panel/routes.ts): the office keeps the pool and draws
  // (panel:manage), supervisors read (panel:read); mobile numbers unmasked need panel:mobile (office,
  // admin; audited). Unit staff and tokens have no part in the pool. A draw's public page is public.
  'GET /api/panel/groups':                                PANEL_READ,
  'POST /api/panel/groups':                               MANAGERS,
  'PATCH /api/panel/groups/:id':                          MANAGERS,
  'GET /api/panel/evaluators':                            PANEL_READ,
  'GET /api/panel/evaluators#unmasked':                   MANAGERS,
  'GET /api/panel/evaluators/:id':                        PANEL_READ,
  'GET /api/panel/evaluators/:id#unmasked':               MANAGERS,
  'POST /api/panel/evaluators':                           MANAGERS,
  'PUT /api/panel/evaluators/:id':                        MANAGERS,
  'POST /api/panel/evaluators/:id/deactivate':            MANAGERS,
  'POST /api/panel/evaluators/:id/activate':              MANAGERS,
  'GET /api/panel/composition':                           PANEL_READ,
  'PUT /api/panel/target':                                MANAGERS,
  'POST /api/panel/imports':                              MANAGERS,
  'GET /api/panel/imports/:id':                           MANAGERS,
  'POST /api/panel/imports/:id/apply':                    MANAGERS,
  'POST /api/panel/draws/preview':                        MANAGERS,
  'POST /api/panel/draws':                                MANAGERS,
  'GET /api/panel/draws':                                 PANEL_READ,
  'GET /api/panel/draws/:id':                             PANEL_READ,
  'POST /api/panel/draws/:id/draw':                       MANAGERS,
  'POST /api/panel/draws/:id/publish':                    MANAGERS,
  'GET /api/panel/draws/:id/members':                     PANEL_READ,
  'GET /api/panel/draws/:id/members#unmasked':            MANAGERS,
  'GET /api/panel/draws/:id/verify':                      PANEL_READ,
  'GET /api/panel/draws/:id/assignment':                  PANEL_READ,
  'PUT /api/panel/draws/:id/supplements/:leaderId':       MANAGERS,
  'GET /api/public/draws':                                ALL,
  'GET /api/public/draws/:id':                            ALL,
  // Campaigns (src/campaigns/routes.ts): the office runs them (campaigns:manage); evaluators hold a
  // one-time token, which is the only authority on the public side, whoever is signed in.
  'GET /api/campaigns':                                   MANAGERS,
  'POST /api/campaigns':                                  MANAGERS,
  'GET /api/campaigns/:id':                               MANAGERS,
  'PATCH /api/campaigns/:id':                             MANAGERS,
  'POST /api/campaign-rounds/:id/state':                  MANAGERS,
  'GET /api/campaign-rounds/:id/results':                 MANAGERS,
  'POST /api/campaign-rounds/:id/invitations':            MANAGERS,
  'GET /api/campaign-rounds/:id/monitor':                 MANAGERS,
  'POST /api/campaign-rounds/:id/reminders':              MANAGERS,
  'POST /api/public/ballots/form':                        ALL,
  'POST /api/public/ballots/draft':                       ALL,
  'POST /api/public/ballots/submit':                      ALL,
  'GET /api/public/campaign-rounds/:id':                  ALL,
  'POST /api/public/campaign-rounds/:id/receipt':         ALL,
  'GET /api/public/campaign-rounds/:id/ballots':          ALL,

  // Comments, problems and the rectification ledger (src/ledger/routes.ts): ledger:handle reads within one's
  // subtree and works one's own items (unit staff); the office (ledger:manage) keeps topics, collects,
  // draws up problems, opens and reviews items and records inspections. The public ledger is public.
  // Quarterly indicator checklists (src/checklists/routes.ts): the office designs, reviews and closes
  // (scoring:manage); unit staff fill their own units' entries (checklists:fill); leaders and supervisors read.
  'GET /api/checklists/presets':                          MANAGERS,
  'GET /api/checklists':                                  [ANON, OK,   OK,    OK,     OK,      OK,    OK,    NO,  NO],
  'POST /api/checklists':                                 MANAGERS,
  'PUT /api/checklists/:id':                              MANAGERS,
  'POST /api/checklists/:id/open':                        MANAGERS,
  'POST /api/checklists/:id/close':                       MANAGERS,
  'GET /api/checklists/:id':                              RATINGS_READ,
  'GET /api/checklists/:id/units/:unitId':                RATINGS_READ,
  'POST /api/checklists/:id/units/:unitId/entries':       CASE_HANDLE,
  'POST /api/checklist-entries/:id/evidence':             CASE_HANDLE,
  'POST /api/checklist-entries/:id/submit':               CASE_HANDLE,
  'POST /api/checklist-entries/:id/review':               MANAGERS,
  'GET /api/checklist-files/:sha256':                     RATINGS_READ,

  'GET /api/ledger/topic-presets':                        SIGNED_IN,
  'GET /api/ledger/topic-lists':                          STAFF_QUEUE,
  'POST /api/ledger/topic-lists':                         LEDGER_OFFICE,
  'POST /api/ledger/topic-lists/:id/topics':              LEDGER_OFFICE,
  'PATCH /api/ledger/topics/:id':                         LEDGER_OFFICE,
  'POST /api/ledger/topic-lists/:id/assign':              LEDGER_OFFICE,
  'POST /api/ledger/comments/collect':                    LEDGER_OFFICE,
  'GET /api/ledger/comments':                             CASE_HANDLE,
  'GET /api/ledger/clusters':                             CASE_HANDLE,
  'GET /api/ledger/problems':                             CASE_HANDLE,
  'POST /api/ledger/problems':                            LEDGER_OFFICE,
  'PATCH /api/ledger/problems/:id':                       LEDGER_OFFICE,
  'GET /api/ledger/comment-sources':                      STAFF_QUEUE,
  'GET /api/ledger/problems/:id/comments':                CASE_HANDLE,
  'POST /api/ledger/problems/:id/merge':                  LEDGER_OFFICE,
  'POST /api/ledger/problems/:id/split':                  LEDGER_OFFICE,
  'GET /api/ledger/units/:unitId/main-problems':          CASE_HANDLE,
  'GET /api/ledger/items':                                STAFF_QUEUE,
  'POST /api/ledger/items':                               LEDGER_OFFICE,
  'GET /api/ledger/items/:id':                            CASE_HANDLE,
  'POST /api/ledger/items/:id/plan':                      CASE_HANDLE,
  'POST /api/ledger/items/:id/progress':                  CASE_HANDLE,
  'POST /api/ledger/items/:id/result':                    CASE_HANDLE,
  'POST /api/ledger/items/:id/review':                    LEDGER_OFFICE,
  'POST /api/ledger/items/:id/evidence':                  CASE_HANDLE,
  'GET /api/ledger/files/:sha256':                        CASE_HANDLE,
  'GET /api/ledger/follow-ups':                           STAFF_QUEUE,
  'POST /api/ledger/follow-ups':                          LEDGER_OFFICE,
  'POST /api/ledger/follow-ups/:id/evidence':             LEDGER_OFFICE,
  'GET /api/ledger/export.xlsx':                          STAFF_QUEUE,
  'GET /api/public/ledger':                               ALL,
  // The 办不成事 window (src/window/routes.ts): window:handle records matters and answers those assigned to
  // one's subtree (unit staff); the coordinating office (window:manage) accepts, assigns, resolves, reopens,
  // turns matters into ledger items and keeps the rota. The public files, looks up by code and judges.
  'GET /api/window/matters':                              STAFF_QUEUE,
  'POST /api/window/matters':                             STAFF_QUEUE,
  'GET /api/window/matters/:id':                          CASE_HANDLE,
  'POST /api/window/matters/:id/accept':                  LEDGER_OFFICE,
  'POST /api/window/matters/:id/decline':                 LEDGER_OFFICE,
  'POST /api/window/matters/:id/assign':                  LEDGER_OFFICE,
  'POST /api/window/matters/:id/respond':                 CASE_HANDLE,
  'POST /api/window/matters/:id/return':                  LEDGER_OFFICE,
  'POST /api/window/matters/:id/resolve':                 LEDGER_OFFICE,
  'POST /api/window/matters/:id/reopen':                  LEDGER_OFFICE,
  'POST /api/window/matters/:id/ledger-item':             LEDGER_OFFICE,
  'GET /api/window/rota':                                 STAFF_QUEUE,
  'PUT /api/window/rota':                                 LEDGER_OFFICE,
  'POST /api/public/window/matters':                      ALL,
  'GET /api/public/window/matters/:code':                 ALL,
  'POST /api/public/window/matters/:code/rating':         ALL,
  'GET /api/public/window/figures':                       ALL,
};

const AUTH_CODES = new Set([
  'not_signed_in',
  'bad_token',
  'forbidden',
  'outside_scope',
  'office_only',
  'admin_only',
  'staff_cannot_rate',
]);

function codeOf(res: LightMyRequestResponse): string | undefined {
  try {
    return res.json<{ error?: { code?: string } }>().error?.code;
  } catch {
    return undefined;
  }
}

/** Why a response does not match the outcome expected, or null when it does. */
function mismatch(expected: Outcome, res: LightMyRequestResponse): string | null {
  const got = `${res.statusCode} ${codeOf(res) ?? ''}`.trim();
  const ok = res.statusCode >= 200 && res.statusCode < 400;
  switch (expected) {
    case OK:
      return ok ? null : `expected 2xx or 3xx, got ${got}: ${res.body.slice(0, 200)}`;
    case PAST: {
      const code = codeOf(res);
      const refusedForWho =
        res.statusCode === 401 || res.statusCode === 403 || (code && AUTH_CODES.has(code));
      return ok || (!refusedForWho && code !== 'route_not_found' && res.statusCode < 500)
        ? null
        : `expected to get past authorization, got ${got}`;
    }
    case ANON:
      return res.statusCode === 401 && codeOf(res) === ANON ? null : `expected 401 ${ANON}, got ${got}`;
    case NO:
    case SCOPE:
    case OFFICE:
    case ADMIN:
    case STAFF:
      return res.statusCode === 403 && codeOf(res) === expected
        ? null
        : `expected 403 ${expected}, got ${got}`;
  }
}

/** A JSON body (not an upload, not absent). */
function isJsonBody(payload: unknown): boolean {
  return payload !== null && typeof payload === 'object' && !Buffer.isBuffer(payload) && !('pipe' in payload);
}

describeEachApp('authorization matrix', (t) => {
  let f: Fixture;
  const clients = new Map<Caller, Client>();

  const sessionCaller = (who: Caller): string | null => {
    switch (who) {
      case 'admin':
      case 'office':
      case 'staffIn':
      case 'staffOut':
      case 'leader':
      case 'supervisor':
        return f.usernames[who];
      case 'anonymous':
      case 'tokenRead':
      case 'tokenWrite':
        return null;
    }
  };

  beforeAll(async () => {
    const { app, deps } = t();
    f = await makeFixture(deps);
    clients.set('anonymous', anonymousClient(app));
    for (const who of CALLERS) {
      const username = sessionCaller(who);
      if (username) clients.set(who, await signInFresh(app, username));
    }
    clients.set('tokenRead', bearerClient(app, f.tokens.read));
    clients.set('tokenWrite', bearerClient(app, f.tokens.write));
  });

  it('has a request for every row of the policy and a row for every request', () => {
    expect(ROUTE_CASES.map((c) => c.key).sort()).toEqual(Object.keys(POLICY).sort());
  });

  for (const routeCase of ROUTE_CASES) {
    it(`${routeCase.key}: ${CALLERS.map((who, i) => `${who} ${POLICY[routeCase.key]?.[i] ?? '?'}`).join(', ')}`, async () => {
      const { app, deps } = t();
      const row = POLICY[routeCase.key];
      expect(row, `no policy row for ${routeCase.key}`).toBeDefined();
      if (!row) return;
      const problems: string[] = [];
      for (const [i, who] of CALLERS.entries()) {
        const expected = row[i] as Outcome;
        const username = sessionCaller(who);
        const client =
          routeCase.ownSession && username
            ? await signInFresh(app, username, f.passwords.get(who))
            : clients.get(who);
        if (!client) throw new Error(`no client for ${who}`);
        const options = await routeCase.build(f, who);
        const refused = expected !== OK && expected !== PAST;
        const before = refused ? await snapshot(deps) : null;
        const res = await client.request(options);
        const wrong = mismatch(expected, res);
        if (wrong) problems.push(`${who}: ${wrong}`);
        // Every API answer but the static API documentation (no one's data) is kept by no cache.
        const url = typeof options.url === 'string' ? options.url : '';
        if (
          url.startsWith('/api/') &&
          !url.startsWith('/api/docs') &&
          res.headers['cache-control'] !== 'no-store'
        ) {
          problems.push(`${who}: an API answer without Cache-Control: no-store`);
        }
        if (res.statusCode >= 400 && errorBodyProblems(res.body).length > 0) {
          problems.push(`${who}: unclean error body ${res.body.slice(0, 200)}`);
        }
        if (before) {
          const after = await snapshot(deps);
          // Staff on a rater route: the attempt itself is audited (one entry, naming the caller), nothing else.
          const audited = expected === STAFF ? 'audit_log' : null;
          const changed = Object.keys(before).filter(
            (table) => table !== audited && JSON.stringify(before[table]) !== JSON.stringify(after[table]),
          );
          if (changed.length > 0) problems.push(`${who}: refused, yet changed ${changed.join(', ')}`);
          if (audited) {
            const added = (after[audited] ?? []).filter((row) => !(before[audited] ?? []).includes(row));
            const entry = added.length === 1 ? (JSON.parse(added[0] ?? '{}') as Record<string, unknown>) : {};
            if (entry.action !== 'rater_route.refused_staff' || entry.actor_label === 'system:rater') {
              problems.push(`${who}: expected one audit entry of the refused attempt, got ${added.length}`);
            }
          }
        }
        // Who asks is settled before what is asked: the same caller with a malformed body is refused alike.
        // (403 for lacking the permission: on the routes src/http/access.ts lists, which must be all of
        // this session's routes with a body; a route added later is checked once it is listed there.)
        const listed = ROUTE_PERMISSIONS[routeOf(routeCase.key)] !== undefined;
        const refusedForWho = expected === ANON || expected === STAFF || (expected === NO && listed);
        if (refusedForWho && options.method !== 'GET' && isJsonBody(options.payload)) {
          const malformed = await client.request({ ...options, payload: { unexpected: [1, 'x'] } });
          const wrongMalformed = mismatch(expected, malformed);
          if (wrongMalformed) problems.push(`${who} with a malformed body: ${wrongMalformed}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('covers every route the app serves, and serves every route it lists', () => {
    const registered = registeredRoutes(t().app);
    const listed = [...new Set(Object.keys(POLICY).map(routeOf))].sort();
    expect(
      registered.filter((r) => !listed.includes(r)),
      'routes with no row in POLICY: decide who may call them and add them',
    ).toEqual([]);
    expect(
      listed.filter((r) => !registered.includes(r)),
      'routes in POLICY that the app does not serve',
    ).toEqual([]);
  });
});
