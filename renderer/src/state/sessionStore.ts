/**
 * Who the console acts as, in either host (chosen once, at start-up, by whether `window.app` exists):
 *
 * - **web console** (served by an agent): the login form signs in with `auth.login` against the
 *   agent that served the page; the tokens stay in memory only (never localStorage: a token there
 *   outlives the tab and is readable by any script on the origin); the access token is refreshed
 *   through `auth.refresh` shortly before it expires, and each refresh rotates the refresh token.
 * - **desktop app**: the typed client talks to the active cluster through the gateway
 *   (`/c/<cluster>` on the page's own origin) and sends no `Authorization` header — the gateway
 *   attaches the cluster's credential, which the renderer never sees. The session's user is the
 *   principal the registry reports for the active cluster; signing in and out go through
 *   `window.app.clusters`.
 *
 * Views read `session.user` (name and role) and call `apiClient` the same way in both hosts.
 */
import { create } from 'zustand';
import { createApiClient, type ApiClient } from '../../../shared/api/client.js';
import type { Session } from '../../../shared/api/schemas/auth.js';
import type { User } from '../../../shared/api/schemas/users.js';
import type { ClusterView } from '../../../shared/clusters.js';
import { clusterBaseUrl } from '../../../shared/gateway.js';
import { roles, type Role } from '../../../shared/security/permissions.js';
import { activeCluster, clustersBridge, useClustersStore } from '../desktop/clustersStore.js';
import { errorMessage } from './errorMessage.js';

/** How long before the access token's expiry the web console refreshes it. */
const refreshLeadMs = 30_000;

/** What the views know of the session: who is signed in, with which role. */
export interface SignedIn {
  user: User;
}

interface SessionState {
  session: SignedIn | null;
  busy: boolean;
  error: string | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

/** The host, read once: the desktop app's preload has run before any renderer script. */
const desktop = window.app !== undefined;

/** The web console's tokens, in memory only. Unused in the desktop app. */
let webSession: Session | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** The one typed client of the console: the agent that served the page, or the active cluster behind the gateway. */
export const apiClient: ApiClient = createApiClient({
  baseUrl: desktop ? () => clusterBaseUrl(location.origin, useClustersStore.getState().activeClusterId ?? 'none') : location.origin,
  authorization: desktop ? undefined : () => (webSession ? `Bearer ${webSession.accessToken}` : undefined),
  fetch: (url, init) => fetch(url, init as RequestInit),
});

/** The web console's access token, for the event stream's `authenticate`; undefined in the desktop app (the gateway authenticates the socket). */
export function currentAccessToken(): string | undefined {
  return webSession?.accessToken;
}

/** The agent names roles it knows; one this console does not know gets the least: viewer. */
function roleOf(name: string): Role {
  return (roles as readonly string[]).includes(name) ? (name as Role) : 'viewer';
}

/** The session of a desktop cluster whose agent has said who its credential signs in as. */
export function sessionOfCluster(cluster: ClusterView | null): SignedIn | null {
  if (!cluster?.principal || cluster.credential === 'none') return null;
  const { name, role } = cluster.principal;
  return { user: { id: `${cluster.profile.id}:${name}`, username: name, role: roleOf(role), disabled: false, createdAt: 0, passwordChangedAt: 0 } };
}

export const useSessionStore = create<SessionState>()((set, get) => {
  if (desktop) {
    useClustersStore.subscribe((clusters, previous) => {
      const next = sessionOfCluster(activeCluster(clusters));
      const current = get().session;
      // The same user keeps the same session object, so health pushes do not look like a new sign-in.
      const session = next && current && next.user.id === current.user.id && next.user.role === current.user.role ? current : next;
      // A sign-in message belongs to the cluster it was about.
      set(clusters.activeClusterId === previous.activeClusterId ? { session } : { session, error: null, busy: false });
    });
    return {
      session: null,
      busy: false,
      error: null,
      async login(username, password) {
        const id = useClustersStore.getState().activeClusterId;
        if (!id) return;
        set({ busy: true, error: null });
        try {
          useClustersStore.getState().merge(await clustersBridge().signIn(id, { username, password }));
          set({ busy: false });
        } catch (error) {
          set({ busy: false, error: errorMessage(error) });
        }
      },
      async logout() {
        const id = useClustersStore.getState().activeClusterId;
        if (!id) return;
        try {
          useClustersStore.getState().merge(await clustersBridge().signOut(id));
        } catch (error) {
          set({ error: errorMessage(error) });
        }
      },
    };
  }

  const begin = (session: Session) => {
    webSession = session;
    set({ session: { user: session.user }, busy: false, error: null });
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), Math.max(1_000, session.accessTokenExpiresAt - Date.now() - refreshLeadMs));
  };

  const refresh = async () => {
    if (!webSession) return;
    try {
      begin(await apiClient.call('auth.refresh', { body: { refreshToken: webSession.refreshToken } }));
    } catch (error) {
      webSession = null;
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
      const current = webSession;
      webSession = null;
      clearTimeout(refreshTimer);
      set({ session: null, error: null });
      if (current) await apiClient.call('auth.logout', { body: { refreshToken: current.refreshToken } }).catch(() => undefined);
    },
  };
});
