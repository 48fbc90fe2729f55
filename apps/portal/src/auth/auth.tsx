import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setSessionEndedHandler } from '../api/client';
import type { Me, OrgSummary } from '../api/types';
import { clearTokens, hasSession, onAuthChange, refreshAccessToken, setTokens } from '../api/tokens';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated';

interface AuthValue {
  status: AuthStatus;
  me: Me | null;
  orgs: OrgSummary[];
  /** Why the last session ended (shown on the login page). */
  notice: string | null;
  login(email: string, password: string): Promise<void>;
  signup(body: {
    email: string;
    password: string;
    name: string;
    organizationName?: string;
    country?: string;
    timezone?: string;
    invitationToken?: string;
  }): Promise<string | null>;
  logout(): Promise<void>;
  refreshMe(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>(hasSession() ? 'loading' : 'anonymous');
  const [me, setMe] = useState<Me | null>(null);
  const [orgs, setOrgs] = useState<OrgSummary[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useQueryClient();

  const refreshMe = useCallback(async () => {
    const [who, mine] = await Promise.all([api.get('/api/v1/me'), api.get('/api/v1/orgs')]);
    setMe(who);
    setOrgs(mine);
    setStatus('authenticated');
  }, []);

  useEffect(() => {
    setSessionEndedHandler(() => {
      setNotice('Your session has ended. Log in again to continue.');
      setMe(null);
      setStatus('anonymous');
    });
    const off = onAuthChange((loggedIn) => {
      if (!loggedIn) {
        // The next account to log in here must not see this one's cached answers.
        queryClient.clear();
        setMe(null);
        setOrgs([]);
        setStatus('anonymous');
      }
    });
    // A reload or a new tab: the access token was only in memory; the refresh cookie restores the session.
    if (hasSession()) {
      refreshAccessToken()
        .then((token) => (token ? refreshMe() : setStatus('anonymous')))
        .catch(() => setStatus('anonymous'));
    }
    return () => {
      off();
      setSessionEndedHandler(null);
    };
  }, [refreshMe, queryClient]);

  const value = useMemo<AuthValue>(
    () => ({
      status,
      me,
      orgs,
      notice,
      async login(email, password) {
        const tokens = await api.post('/api/v1/auth/login', { body: { email, password } });
        setTokens(tokens);
        setNotice(null);
        await refreshMe();
      },
      async signup(body) {
        const result = await api.post('/api/v1/auth/signup', { body });
        setTokens(result);
        setNotice(null);
        await refreshMe();
        // null for a sign-up by invitation: it is accepted once the address is verified.
        return result.organization?.id ?? null;
      },
      async logout() {
        try {
          // The session of the refresh cookie ends and the API clears the cookie.
          await api.post('/api/v1/auth/logout', { body: {} });
        } catch {
          /* the session is ended locally either way */
        }
        clearTokens();
        setNotice(null);
      },
      refreshMe,
    }),
    [status, me, orgs, notice, refreshMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
