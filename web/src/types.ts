/* The shapes the API returns, as the console uses them (mirrors the server's TypeBox schemas). */

export const ROLES = ['admin', 'office', 'unit_staff', 'leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = ['jurisdiction', 'department', 'section', 'station', 'window', 'company'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SERVICE_MODES = ['online', 'offline', 'both'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

export const PERIOD_KINDS = ['year', 'half', 'quarter', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

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

export interface Unit {
  id: string;
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  parentId: string | null;
  categoryId: string | null;
  tags: string[];
  sortOrder: number;
  responsibleName: string;
  responsiblePhone: string;
  validFrom: string;
  validTo: string | null;
  active: boolean;
}

export interface UnitDetail {
  unit: Unit;
  versions: Unit[];
  path: { id: string; code: string; name: string }[];
  serviceItems: number;
  staff: number;
}

export interface Category {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  description: string;
  createdAt: string;
}

export interface ServiceItem {
  id: string;
  code: string;
  name: string;
  unitId: string;
  mode: ServiceMode;
  active: boolean;
}

export interface Staff {
  id: string;
  staffNo: string;
  name: string;
  unitId: string;
  position: string;
  phone: string;
  active: boolean;
}

export interface Period {
  id: string;
  code: string;
  kind: PeriodKind;
  year: number;
  seq: number;
  name: string;
  startDate: string;
  endDate: string;
  createdAt: string;
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
