import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/*
 * Security headers (helmet's set: CSP, frame options, no-sniff, …). They do not depend on the request,
 * so they are worked out once at start-up and copied onto every reply; building helmet's middleware per
 * request, as the Fastify plugin does, cost ~2–3% of the rating endpoint's CPU (bench/README.md).
 */

/** The headers helmet sets for these options, as name → value. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const outcome: { failure: Error | null } = { failure: null };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error)
      outcome.failure =
        error instanceof Error ? error : new Error('helmet refused the security header options');
  });
  if (outcome.failure) throw outcome.failure;
  return headers;
}
