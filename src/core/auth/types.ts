/*
 * The shapes of accounts and API tokens as the auth endpoints answer them, with the roles, permissions
 * and token scopes they name. Types and constants only, with no imports, so that the console (web/) uses
 * these very declarations instead of a copy; the rules (which role holds which permission) live in model.ts.
 */

export const ROLES = ['admin', 'office', 'unit_staff', 'leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** What an account or token may do. Each route requires exactly one of these. */
export const PERMISSIONS = [
  'registry:read',
  'registry:write',
  'registry:import',
  'periods:write',
  'accounts:manage',
  'tokens:manage',
  'audit:read',
  // Instant ratings and bad-review cases (issue: 政务服务即时评, 差评整改).
  'transactions:write',
  'ratings:read',
  'ratings:review',
  'cases:handle',
  'cases:decide',
  // Reading the case queue and warnings without acting on them (leaders, supervisors).
  'cases:read',
  'calendar:write',
  'settings:write',
  // An SMS or mail gateway drains the notification outbox.
  'outbox:drain',
  // Scoring (考核方案、排名、十佳十差): the office manages schemes, imports, vetoes, runs and their review;
  // leaders and supervisors read; unit staff enter score sheets for the tasks their unit leads; a
  // service system imports scores through the API (scores:write).
  'scoring:manage',
  'scoring:read',
  'scoring:sheet',
  'scores:write',
  // The evaluator pool and its draws (评价样本库): the office keeps the pool and draws; supervisors read
  // the draws; reading mobile numbers unmasked is its own permission (the pool keepers), always audited.
  'panel:read',
  'panel:manage',
  'panel:mobile',
  // Evaluation campaigns (专项评价): the office designs them, invites evaluators, closes and computes rounds.
  'campaigns:manage',
  // Comments, problem lists and the rectification ledger (意见归集、整改台账): the office manages topics,
  // problems, reviews and inspections (ledger:manage); unit staff work their own items (ledger:handle).
  'ledger:manage',
  'ledger:handle',
  // The 办不成事 window: the office coordinates (duty rota, accepting, assigning, resolving, window:manage);
  // unit staff answer the matters assigned to their units and clerks record matters (window:handle).
  'window:manage',
  'window:handle',
  // Quarterly indicator checklists (季度指标清单): unit staff fill their units' items with evidence; the
  // office designs and reviews them (scoring:manage).
  'checklists:fill',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Scopes an API token may carry: a subset of the permissions, for service systems. */
export const TOKEN_SCOPES = [
  'registry:read',
  'registry:write',
  'transactions:write',
  'ratings:read',
  'outbox:drain',
  'scores:write',
] as const satisfies readonly Permission[];
export type TokenScope = (typeof TOKEN_SCOPES)[number];

// --- HTTP responses ------------------------------------------------------------------------------
/* What the account and token endpoints answer (service.ts builds them, routes.ts declares their schemas). */

export interface AccountView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  mustChangePassword: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  unitId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
