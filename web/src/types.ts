/* The shapes the API returns, as the console uses them: the server's own where it declares them in a types.ts. */

// --- the registry: src/registry/types.ts ----------------------------------------------------------------

import type {
  CategoryView,
  PeriodView,
  ServiceItemView,
  StaffView,
  UnitView,
} from '../../src/registry/types';
export type { PeriodKind, ServiceMode, UnitDetail, UnitKind } from '../../src/registry/types';
export { PERIOD_KINDS, SERVICE_MODES, UNIT_KINDS } from '../../src/registry/types';
export type Unit = UnitView;
export type Category = CategoryView;
export type ServiceItem = ServiceItemView;
export type Staff = StaffView;
export type Period = PeriodView;

export const ROLES = ['admin', 'office', 'unit_staff', 'leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const TOKEN_SCOPES = ['registry:read', 'registry:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type Permission =
  | 'registry:read'
  | 'registry:write'
  | 'registry:import'
  | 'periods:write'
  | 'accounts:manage'
  | 'tokens:manage'
  | 'audit:read'
  // Instant ratings, bad-review cases, the calendar and their settings.
  | 'transactions:write'
  | 'ratings:read'
  | 'ratings:review'
  | 'cases:handle'
  | 'cases:decide'
  | 'calendar:write'
  | 'settings:write'
  | 'outbox:drain';

export interface Account {
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

export interface Session {
  account: Account;
  csrfToken: string;
  permissions: string[];
}

export interface DemoAccounts {
  demo: boolean;
  accounts: { username: string; password: string; role: Role; label: string }[];
}

export interface ApiToken {
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

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export const AUDIT_ENTITY_TYPES = [
  'unit',
  'category',
  'service_item',
  'staff',
  'period',
  'account',
  'api_token',
  'import',
] as const;

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportRow {
  sheet: string;
  row: number;
  entity: 'unit' | 'service_item' | 'staff';
  key: string;
  action: ImportAction;
  changes: Record<string, { from: unknown; to: unknown }>;
  errors: { field: string; code: string; message: string }[];
}

export interface ImportPreview {
  id: string;
  filename: string;
  createdAt: string;
  status: 'previewed' | 'applied';
  summary: { create: number; update: number; unchanged: number; errors: number; skipped: number };
  sheets: { name: string; entity: 'unit' | 'service_item' | 'staff' | null; message: string }[];
  rows: ImportRow[];
  skipped: {
    sheet: string;
    row: number;
    reason: 'blank' | 'title' | 'header' | 'notes' | 'unknown_sheet';
    message: string;
  }[];
}
