/* The shapes the API returns, as the console uses them: the server's own where it declares them in a types.ts. */

// --- the registry: src/registry/types.ts ----------------------------------------------------------------

import { entityTypesZh } from './locales/audit.zh-CN';
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

// --- accounts, sessions, API tokens: src/core/auth/types.ts -----------------------------------------------

import type { AccountView, Permission, Role, TokenScope, TokenView } from '../../src/core/auth/types';
export type { Permission, Role, TokenScope } from '../../src/core/auth/types';
export { ROLES } from '../../src/core/auth/types';
export type Account = AccountView;
export type ApiToken = TokenView;

/**
 * The scopes the console offers for a new token: the registry's. The server accepts every scope of
 * TOKEN_SCOPES (src/core/auth/types.ts); a token with the others is made through POST /api/tokens.
 */
export const CONSOLE_TOKEN_SCOPES = [
  'registry:read',
  'registry:write',
] as const satisfies readonly TokenScope[];

export interface Session {
  account: Account;
  csrfToken: string;
  permissions: Permission[];
}

export interface DemoAccounts {
  demo: boolean;
  accounts: { username: string; password: string; role: Role; label: string }[];
}

// --- the audit log: src/core/audit/types.ts -------------------------------------------------------------

export type { AuditEntryView as AuditEntry } from '../../src/core/audit/types';

/** The entity types the audit page filters by: every type an area writes to the log. */
export const AUDIT_ENTITY_TYPES = Object.keys(entityTypesZh) as (keyof typeof entityTypesZh)[];

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
