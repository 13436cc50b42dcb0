/**
 * The signed-in session, in memory only (never localStorage: a token there outlives the tab and
 * is readable by any script on the origin). The access token is refreshed through `auth.refresh`
 * shortly before it expires; each refresh rotates the refresh token.
 */
import { create } from 'zustand';
import { createApiClient, type ApiClient } from '../../../shared/api/client.js';
import type { Session } from '../../../shared/api/schemas/auth.js';
import { errorMessage } from './errorMessage.js';

/** How long before the access token's expiry the console refreshes it. */
const refreshLeadMs = 30_000;

interface SessionState {
  session: Session | null;
  busy: boolean;
  error: string | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** The one typed client of the console: the agent that served the page, as the signed-in user. */
export const apiClient: ApiClient = createApiClient({
  baseUrl: location.origin,
  authorization: () => {
    const session = useSessionStore.getState().session;
    return session ? `Bearer ${session.accessToken}` : undefined;
  },
  fetch: (url, init) => fetch(url, init as RequestInit),
});

export const useSessionStore = create<SessionState>()((set, get) => {
  const begin = (session: Session) => {
    set({ session, busy: false, error: null });
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), Math.max(1_000, session.accessTokenExpiresAt - Date.now() - refreshLeadMs));
  };

  const refresh = async () => {
    const current = get().session;
    if (!current) return;
    try {
      begin(await apiClient.call('auth.refresh', { body: { refreshToken: current.refreshToken } }));
    } catch (error) {
      set({ session: null, error: `Signed out: ${errorMessage(error)}` });
    }
  };

  return {
    session: null,
    busy: false,
    error: null,
    async login(username, password) {
      set({ busy: true, error: null });
      try {
        begin(await apiClient.call('auth.login', { body: { username, password } }));
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
      }
    },
    async logout() {
      const current = get().session;
      clearTimeout(refreshTimer);
      set({ session: null, error: null });
      if (current) await apiClient.call('auth.logout', { body: { refreshToken: current.refreshToken } }).catch(() => undefined);
    },
  };
});
