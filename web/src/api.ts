/*
 * The console's API client: JSON in and out, the session's CSRF token on every write, and errors as
 * ApiError with a message translated from the error code (falling back to the server's own text).
 */
import i18n from './i18n';
import type {
  Account,
  ApiToken,
  AuditEntry,
  Category,
  DemoAccounts,
  ImportPreview,
  Period,
  PeriodKind,
  Role,
  ServiceItem,
  ServiceMode,
  Session,
  Staff,
  TokenScope,
  Unit,
  UnitDetail,
  UnitKind,
} from './types';

export type ErrorParams = Record<string, string | number | boolean | null>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The server's English message, kept for the fallback and for logs. */
    readonly serverMessage: string,
    readonly params: ErrorParams,
  ) {
    super(translateError(code, serverMessage, params));
    this.name = 'ApiError';
  }

  /** The field the server named as wrong, when it named one. */
  get field(): string | undefined {
    const field = this.params.field;
    return typeof field === 'string' ? field : undefined;
  }
}

/** The text a person reads for an error code, in the current language. */
export function translateError(code: string, serverMessage: string, params: ErrorParams = {}): string {
  const field = typeof params.field === 'string' ? params.field : undefined;
  const fieldLabel = field ? i18n.t(`fields.${field}`, { defaultValue: field }) : '';
  return i18n.t(`errors.${code}`, {
    ...params,
    field: fieldLabel,
    defaultValue: serverMessage || code,
  });
}

/** Any thrown value as text for a message box. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return translateError(error.code, error.serverMessage, error.params);
  if (error instanceof Error) return error.message;
  return String(error);
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type AuthListener = (code: 'not_signed_in' | 'password_change_required') => void;
const authListeners = new Set<AuthListener>();

/** Called when any call finds the session gone or a password change pending. */
export function onAuthProblem(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  /** Do not tell the session listeners about a 401 (the session probe itself). */
  quiet?: boolean;
}

/** Any API call; the areas' own clients (ratings, cases, settings) build on it. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: body ?? null,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached.', {});
  }
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; params?: ErrorParams } } | undefined)
      ?.error;
    const code = error?.code ?? (response.status >= 500 ? 'internal_error' : `http_${response.status}`);
    const apiError = new ApiError(response.status, code, error?.message ?? response.statusText, {
      ...(error?.params ?? {}),
    });
    if (!options.quiet && (code === 'not_signed_in' || code === 'password_change_required')) {
      for (const listener of authListeners) listener(code);
    }
    throw apiError;
  }
  return data as T;
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, query ? { query } : {});
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });

export interface UnitInput {
  code: string;
  name: string;
  shortName?: string;
  kind: UnitKind;
  parentId?: string | null;
  categoryId?: string | null;
  tags?: string[];
  sortOrder?: number;
  responsibleName?: string;
  responsiblePhone?: string;
  validFrom?: string;
}

export type UnitChanges = Partial<Omit<UnitInput, 'code' | 'validFrom'>> & {
  effectiveFrom?: string;
  /** The office knows the change makes published results no longer verify (published_results_affected). */
  confirmPublishedResults?: boolean;
};

export const api = {
  // --- sign-in ---
  session: () => request<Session>('GET', '/api/auth/session', { quiet: true }),
  /** Signed in or not, answered 200 either way: the console's probe on a fresh load. */
  state: () => get<{ signedIn: boolean; session: Session | null }>('/api/auth/state'),
  login: (username: string, password: string) =>
    request<Session>('POST', '/api/auth/login', { body: { username, password }, quiet: true }),
  logout: () => post<{ ok: true }>('/api/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) =>
    post<Session>('/api/auth/password', { currentPassword, newPassword }),
  demoAccounts: () => get<DemoAccounts>('/api/auth/demo-accounts'),

  // --- units ---
  units: (query: { asOf?: string; q?: string; includeInactive?: boolean } = {}) =>
    get<Unit[]>('/api/units', query),
  unit: (id: string) => get<UnitDetail>(`/api/units/${encodeURIComponent(id)}`),
  createUnit: (input: UnitInput) => post<Unit>('/api/units', input),
  updateUnit: (id: string, changes: UnitChanges) =>
    patch<Unit>(`/api/units/${encodeURIComponent(id)}`, changes),
  deactivateUnit: (id: string, effectiveFrom: string, confirmPublishedResults = false) =>
    post<Unit>(
      `/api/units/${encodeURIComponent(id)}/deactivate`,
      confirmPublishedResults ? { effectiveFrom, confirmPublishedResults } : { effectiveFrom },
    ),

  // --- categories ---
  categories: () => get<Category[]>('/api/categories'),
  createCategory: (input: { code: string; name: string; nameEn?: string; description?: string }) =>
    post<Category>('/api/categories', input),
  updateCategory: (id: string, input: { name?: string; nameEn?: string; description?: string }) =>
    patch<Category>(`/api/categories/${encodeURIComponent(id)}`, input),

  // --- service items and staff ---
  serviceItems: (unitId?: string) => get<ServiceItem[]>('/api/service-items', { unitId }),
  createServiceItem: (input: { code: string; name: string; unitId: string; mode: ServiceMode }) =>
    post<ServiceItem>('/api/service-items', input),
  updateServiceItem: (
    id: string,
    input: { name?: string; unitId?: string; mode?: ServiceMode; active?: boolean },
  ) => patch<ServiceItem>(`/api/service-items/${encodeURIComponent(id)}`, input),
  staff: (unitId?: string) => get<Staff[]>('/api/staff', { unitId }),
  createStaff: (input: {
    staffNo: string;
    name: string;
    unitId: string;
    position?: string;
    phone?: string;
  }) => post<Staff>('/api/staff', input),
  updateStaff: (
    id: string,
    input: { name?: string; unitId?: string; position?: string; phone?: string; active?: boolean },
  ) => patch<Staff>(`/api/staff/${encodeURIComponent(id)}`, input),

  // --- periods ---
  periods: () => get<Period[]>('/api/periods'),
  createPeriods: (input: { kind: PeriodKind; year: number; seq?: number; name?: string }) =>
    post<Period[]>('/api/periods', input),
  renamePeriod: (id: string, name: string) =>
    patch<Period>(`/api/periods/${encodeURIComponent(id)}`, { name }),

  // --- accounts ---
  accounts: () => get<Account[]>('/api/accounts'),
  createAccount: (input: { username: string; displayName: string; role: Role; unitId?: string | null }) =>
    post<{ account: Account; initialPassword: string }>('/api/accounts', input),
  updateAccount: (
    id: string,
    input: { displayName?: string; role?: Role; unitId?: string | null; active?: boolean },
  ) => patch<Account>(`/api/accounts/${encodeURIComponent(id)}`, input),
  resetPassword: (id: string) =>
    post<{ account: Account; initialPassword: string }>(
      `/api/accounts/${encodeURIComponent(id)}/reset-password`,
    ),

  // --- API tokens ---
  tokens: () => get<ApiToken[]>('/api/api-tokens'),
  createToken: (input: {
    name: string;
    scopes: TokenScope[];
    unitId?: string | null;
    expiresAt?: string | null;
  }) => post<{ token: string; view: ApiToken }>('/api/api-tokens', input),
  revokeToken: (id: string) => post<ApiToken>(`/api/api-tokens/${encodeURIComponent(id)}/revoke`),

  // --- audit ---
  audit: (query: {
    entityType?: string;
    entityId?: string;
    actorId?: string;
    beforeSeq?: number;
    limit?: number;
  }) => get<AuditEntry[]>('/api/audit', query),

  // --- import and export ---
  uploadImport: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<ImportPreview>('POST', '/api/imports', { form });
  },
  getImport: (id: string) => get<ImportPreview>(`/api/imports/${encodeURIComponent(id)}`),
  applyImport: (id: string) => post<ImportPreview>(`/api/imports/${encodeURIComponent(id)}/apply`),
  exportUrl: '/api/exports/registry.xlsx',
};
