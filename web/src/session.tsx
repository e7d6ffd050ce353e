import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { api, ApiError, onAuthProblem, setCsrfToken } from './api';
import type { Account, Permission, Session } from './types';

interface SessionValue {
  /** Null while signed out. */
  session: Session | null;
  loading: boolean;
  /** Set after sign-in or a password change (both return a fresh session). */
  setSession: (session: Session | null) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);
export const SESSION_KEY = ['session'] as const;

async function loadSession(): Promise<Session | null> {
  try {
    // Signed out is an answer (200), so a fresh load logs no failed request in the browser.
    return (await api.state()).session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Infinity, retry: 1 });
  const session = query.data ?? null;

  useEffect(() => setCsrfToken(session?.csrfToken ?? null), [session]);

  const setSession = useCallback(
    (next: Session | null) => {
      setCsrfToken(next?.csrfToken ?? null);
      client.setQueryData(SESSION_KEY, next);
      // Signed out: forget what the last account could see. Not client.clear(): that would also drop the
      // session query this provider observes, and a session ending under an open page (expiry, reset)
      // would then never reach the sign-in gate.
      if (next === null) client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    },
    [client],
  );

  useEffect(
    () =>
      onAuthProblem((code) => {
        // The session ended elsewhere (expiry, password reset) or a password change is due: ask again.
        if (code === 'not_signed_in') setSession(null);
        else void client.invalidateQueries({ queryKey: SESSION_KEY });
      }),
    [client, setSession],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The session may already have ended on the server; signing out here is what matters.
    }
    setSession(null);
  }, [setSession]);

  const value = useMemo(
    () => ({ session, loading: query.isPending, setSession, signOut }),
    [session, query.isPending, setSession, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in account and a permission test; only for pages behind the sign-in gate. */
export function useAccount(): {
  account: Account;
  can: (permission: Permission) => boolean;
  scoped: boolean;
} {
  const { session } = useSession();
  if (!session) throw new Error('useAccount while signed out');
  const permissions = session.permissions;
  return {
    account: session.account,
    can: (permission: Permission) => permissions.includes(permission),
    scoped: session.account.role === 'unit_staff',
  };
}
