/*
 * The public pages' API client: plain fetch, no session, no CSRF token (the public endpoints take
 * none), a timeout for slow connections, and errors as PublicError with the server's stable code.
 */

export type ErrorParams = Record<string, string | number | boolean | null>;

export class PublicError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly params: ErrorParams,
  ) {
    super(serverMessage || code);
    this.name = 'PublicError';
  }

  /** No answer arrived: the request may or may not have been stored, so a retry must be idempotent. */
  get network(): boolean {
    return this.status === 0;
  }
}

const TIMEOUT_MS = 20_000;

export async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: controller.signal,
    });
  } catch {
    throw new PublicError(0, controller.signal.aborted ? 'timeout' : 'network_error', '', {});
  } finally {
    window.clearTimeout(timer);
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; params?: ErrorParams } } | undefined)
      ?.error;
    const code = error?.code ?? (response.status >= 500 ? 'internal_error' : `http_${response.status}`);
    throw new PublicError(response.status, code, error?.message ?? '', { ...(error?.params ?? {}) });
  }
  return data as T;
}

/**
 * A key for one rating, made once and sent again with a retry so that the server stores it once.
 * crypto.randomUUID needs a secure context; offices often serve Minping over plain HTTP on an intranet.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return `r-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
