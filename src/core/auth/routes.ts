import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../context.js';
import { clearSessionCookie, requireActor, requireSession, setSessionCookie } from '../../http/auth.js';
import { errorResponses, IdParams, NonBlank, Ok } from '../../http/schemas.js';
import { getSetting } from '../settings/store.js';
import { ROLES, TOKEN_SCOPES, permissionsOfRole, type Role } from './model.js';
import * as service from './service.js';

const RoleSchema = Type.Enum([...ROLES]);
const ScopeSchema = Type.Enum([...TOKEN_SCOPES]);

export const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  unitId: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  active: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const SessionResponse = Type.Object({
  account: AccountSchema,
  csrfToken: Type.String({
    description: 'Send back as X-CSRF-Token on every write made with the session cookie.',
  }),
  permissions: Type.Array(Type.String()),
});

const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(ScopeSchema),
  unitId: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

const Username = Type.String({ minLength: 3, maxLength: 40, pattern: '^[A-Za-z0-9_.@-]+$' });
const Password = Type.String({ minLength: 1, maxLength: 200 });

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: Deps; secureCookies: boolean }> = async (
  app,
  { deps, secureCookies },
) => {
  const tags = ['auth'];
  const permissionsOf = (role: Role, mustChange: boolean) => (mustChange ? [] : [...permissionsOfRole(role)]);

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        security: [],
        summary: 'Sign in; sets the HttpOnly session cookie',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 100 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 200: SessionResponse, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const signedIn = await service.login(deps, { ...request.body, address: request.ip });
      setSessionCookie(reply, signedIn.sessionToken, secureCookies);
      return {
        account: signedIn.account,
        csrfToken: signedIn.csrfToken,
        permissions: permissionsOf(signedIn.account.role, signedIn.account.mustChangePassword),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags,
        security: [],
        summary: 'Sign out (nothing to do without a session)',
        response: { 200: Ok },
      },
    },
    async (request, reply) => {
      if (request.session) await service.logout(deps, request.session.sessionId);
      clearSessionCookie(reply, secureCookies);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        tags,
        summary: 'The signed-in account',
        response: { 200: SessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const session = requireSession(request);
      return {
        account: session.account,
        csrfToken: session.csrfToken,
        permissions: permissionsOf(session.account.role, session.account.mustChangePassword),
      };
    },
  );

  // The console asks this on every fresh load: being signed out is an answer, not an error, so the
  // browser logs no failed request (GET /api/auth/session still answers 401 to a caller without a session).
  app.get(
    '/api/auth/state',
    {
      schema: {
        tags,
        security: [],
        summary: 'Whether this browser is signed in, and as whom (200 either way)',
        response: {
          200: Type.Object({
            signedIn: Type.Boolean(),
            session: Type.Union([SessionResponse, Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const session = request.session;
      if (!session) return { signedIn: false, session: null };
      return {
        signedIn: true,
        session: {
          account: session.account,
          csrfToken: session.csrfToken,
          permissions: permissionsOf(session.account.role, session.account.mustChangePassword),
        },
      };
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: 'Change one’s own password (required after a one-time password)',
        body: Type.Object(
          { currentPassword: Password, newPassword: Password },
          { additionalProperties: false },
        ),
        response: { 200: SessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const session = requireSession(request);
      const account = await service.changePassword(deps, session, request.body);
      return { account, csrfToken: session.csrfToken, permissions: permissionsOf(account.role, false) };
    },
  );

  app.get(
    '/api/auth/demo-accounts',
    {
      schema: {
        tags,
        security: [],
        summary: 'In demo mode only: the demo accounts and their passwords, for the login page',
        response: {
          200: Type.Object({
            demo: Type.Boolean(),
            accounts: Type.Array(
              Type.Object({
                username: Type.String(),
                password: Type.String(),
                role: RoleSchema,
                label: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const raw = await getSetting(deps.database.db, 'demo_accounts');
      if (!raw) return { demo: false, accounts: [] };
      return {
        demo: true,
        accounts: JSON.parse(raw) as { username: string; password: string; role: Role; label: string }[],
      };
    },
  );

  // --- accounts ---
  const accountTags = ['accounts'];
  const AccountBody = Type.Object(
    {
      username: Username,
      displayName: NonBlank(60),
      role: RoleSchema,
      unitId: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    },
    { additionalProperties: false },
  );
  const WithPassword = Type.Object({ account: AccountSchema, initialPassword: Type.String() });

  app.get(
    '/api/accounts',
    {
      schema: {
        tags: accountTags,
        summary: 'All accounts',
        response: { 200: Type.Array(AccountSchema), ...errorResponses },
      },
    },
    async (request) => service.listAccounts(deps, requireActor(request)),
  );

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: accountTags,
        summary: 'Create an account with a one-time password (shown once)',
        body: AccountBody,
        response: { 201: WithPassword, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createAccount(deps, requireActor(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags: accountTags,
        summary: 'Change an account’s name, role, unit or whether it is active',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(NonBlank(60)),
            role: Type.Optional(RoleSchema),
            unitId: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: AccountSchema, ...errorResponses },
      },
    },
    async (request) => service.updateAccount(deps, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/accounts/:id/reset-password',
    {
      schema: {
        tags: accountTags,
        summary: 'Give an account a new one-time password (shown once)',
        params: IdParams,
        response: { 200: WithPassword, ...errorResponses },
      },
    },
    async (request) => service.resetPassword(deps, requireActor(request), request.params.id),
  );

  // --- API tokens ---
  const tokenTags = ['api-tokens'];
  app.get(
    '/api/api-tokens',
    {
      schema: {
        tags: tokenTags,
        summary: 'API tokens (never their secrets)',
        response: { 200: Type.Array(TokenSchema), ...errorResponses },
      },
    },
    async (request) => service.listTokens(deps, requireActor(request)),
  );

  app.post(
    '/api/api-tokens',
    {
      schema: {
        tags: tokenTags,
        summary: 'Create an API token for a service system; the secret is shown once',
        body: Type.Object(
          {
            name: NonBlank(80),
            scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: TOKEN_SCOPES.length }),
            unitId: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
            expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String(), view: TokenSchema }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createToken(deps, requireActor(request), request.body)),
  );

  app.post(
    '/api/api-tokens/:id/revoke',
    {
      schema: {
        tags: tokenTags,
        summary: 'Revoke an API token',
        params: IdParams,
        response: { 200: TokenSchema, ...errorResponses },
      },
    },
    async (request) => service.revokeToken(deps, requireActor(request), request.params.id),
  );
};
