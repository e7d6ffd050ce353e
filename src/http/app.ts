import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Type } from 'typebox';
import { auditRoutes } from '../core/audit/routes.js';
import { authRoutes } from '../core/auth/routes.js';
import { calendarRoutes } from '../core/calendar/routes.js';
import { campaignRoutes } from '../campaigns/routes.js';
import { caseRoutes } from '../cases/routes.js';
import { registerAreaSteps } from '../areas.js';
import { PROJECT_ROOT, VERSION } from '../core/config.js';
import type { Deps } from '../core/context.js';
import { pingDatabase } from '../core/db/database.js';
import { outboxRoutes } from '../core/outbox/routes.js';
import { outcomeRoutes } from '../outcomes/routes.js';
import { checklistRoutes } from '../checklists/routes.js';
import { reportRoutes } from '../reports/routes.js';
import { importRoutes } from '../registry/import-routes.js';
import { registryRoutes } from '../registry/routes.js';
import { ratingRoutes } from '../ratings/routes.js';
import { panelRoutes } from '../panel/routes.js';
import { scoringRoutes } from '../scoring/routes.js';
import { accessGate } from './access.js';
import { ledgerRoutes } from '../ledger/routes.js';
import { windowRoutes } from '../window/routes.js';
import { authPlugin } from './auth.js';
import { handleError, handleNotFound } from './errors.js';
import { inputGuard, jsonParser } from './input.js';
import { redactUrl } from './redact.js';
import { securityHeaders } from './security-headers.js';
import { ErrorResponse } from './schemas.js';

export interface AppOptions {
  secureCookies?: boolean;
  trustProxy?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built console; defaults to dist/web. Absent folder: the API still works. */
  webRoot?: string;
}

/** JSON bodies allow this much; spreadsheets come as multipart with their own limit. */
export const BODY_LIMIT = 1024 * 1024;
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

function makeAjv(coerce: boolean) {
  // Bodies are checked strictly (a string is not a number, unknown fields are refused);
  // query strings and path parameters are text by nature and are coerced.
  const ajv = new Ajv.default({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  routeOptions?: { url?: string };
}

/**
 * Logs requests without their credentials: the rating and judgement links' tokens and secret query
 * parameters are redacted from every logged URL (the default serializer logs the URL in full).
 */
function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return logger;
  const base = logger === true ? {} : (logger as Record<string, unknown>);
  return {
    ...base,
    serializers: {
      ...(base.serializers as Record<string, unknown> | undefined),
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        route: request.routeOptions?.url,
        remoteAddress: request.ip,
      }),
    },
  };
}

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  registerAreaSteps();
  const app = Fastify({
    logger: withRedaction(options.logger ?? false),
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const bodyAjv = makeAjv(false);
  const textAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object),
  );
  app.setErrorHandler(handleError);
  const webRoot = options.webRoot ?? join(PROJECT_ROOT, 'dist', 'web');
  const hasConsole = existsSync(join(webRoot, 'index.html'));
  // The console is a single-page app: a GET for a non-API path that is not a file gets index.html.
  app.setNotFoundHandler((request, reply) => {
    if (hasConsole && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return handleNotFound(request, reply);
  });
  app.addSchema(ErrorResponse);

  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design and the API docs inject styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Offices often serve Minping over plain HTTP on an intranet; upgrading would break it there.
        upgradeInsecureRequests: options.secureCookies ? [] : null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers);
    // API answers carry personal data (cases, outbox phones and links, accounts) or depend on who asks:
    // no browser or proxy keeps a copy.
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    done();
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Minping API',
        version: VERSION,
        description:
          'Sign in with POST /api/auth/login (cookie session; send the returned csrfToken as X-CSRF-Token on writes), or use an API token as `Authorization: Bearer mpt_…`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'minping_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(authPlugin, { deps, secureCookies: options.secureCookies ?? false });
  await app.register(accessGate);
  await app.register(jsonParser);
  await app.register(inputGuard);

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and which database is in use',
        security: [],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.Enum(['sqlite', 'postgres']),
            version: Type.String(),
          }),
        },
      },
    },
    async () => {
      await pingDatabase(deps.database.db);
      return { status: 'ok' as const, database: deps.database.dialect, version: VERSION };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes, { deps, secureCookies: options.secureCookies ?? false });
  await app.register(auditRoutes, { deps });
  await app.register(registryRoutes, { deps });
  await app.register(calendarRoutes, { deps });
  await app.register(caseRoutes, { deps });
  await app.register(outboxRoutes, { deps });
  await app.register(importRoutes, { deps });
  await app.register(ratingRoutes, { deps, secureCookies: options.secureCookies ?? false });
  await app.register(scoringRoutes, { deps });
  await app.register(outcomeRoutes, { deps });
  await app.register(checklistRoutes, { deps });
  await app.register(reportRoutes, { deps });
  await app.register(panelRoutes, { deps });
  await app.register(campaignRoutes, { deps });
  await app.register(ledgerRoutes, { deps });
  await app.register(windowRoutes, { deps });

  if (hasConsole) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz copies (web/vite.config.ts): sent to browsers that accept them.
      preCompressed: true,
      setHeaders: (reply, path) => {
        // Files under assets/ carry a digest of their content in their name: a new build gives new
        // names, so a browser keeps them for a year without asking. index.html is asked for each time
        // (a 304 when unchanged), so a new build reaches everyone at their next load.
        if (/[\\/]assets[\\/]/.test(path))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        else reply.header('cache-control', 'no-cache');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'The Minping API is running, but the console is not built. Run `npm run build:web` (npm start does it).',
        ),
    );
  }
  return app;
}
