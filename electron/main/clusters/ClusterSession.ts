import { ApiError } from '../../../shared/api/ApiError.js';
import { createApiClient, type ApiClient } from '../../../shared/api/client.js';
import type { Session } from '../../../shared/api/schemas/auth.js';
import type { CredentialKind } from '../../../shared/clusters.js';
import type { Credentials } from '../../../shared/ipc.js';
import type { Upstream } from '../gateway/Upstream.js';
import type { SecretStore } from '../secrets/SecretStore.js';
import { SignInRequired } from './SignInRequired.js';

export interface ClusterSessionOptions {
  clusterId: string;
  secrets: SecretStore;
  /** The cluster's agent as it can be reached now (opened on demand). */
  upstream: () => Promise<Upstream>;
  /** Called when the credential kind or the principal changes. */
  onChange?: () => void;
  /** The clock tokens are timed by. Default `Date.now`. */
  now?: () => number;
  /**
   * How long before an access token expires it is refreshed. Default 60 000 ms. A token that lives
   * shorter than twice this is refreshed halfway through its life instead.
   */
  refreshMarginMs?: number;
}

/** Who the credential acts as, as the agent said. */
export interface SessionPrincipal {
  name: string;
  role: string;
}

/** How long a best-effort call on the way out (revoking a session) may take. */
const goodbyeTimeoutMs = 5_000;
/** After a failed background refresh (agent unreachable), when to try again. */
const retryAfterFailureMs = 5_000;

/**
 * The credential of one cluster and the `Authorization` the gateway sends upstream with it.
 *
 * - An API key is sent as it is (`Bearer sy_…`).
 * - A session keeps its access token in memory only and its refresh token in the keychain. The
 *   access token is refreshed (`auth.refresh`) before it expires when asked for, on a schedule
 *   while something `watch`es it (an open event stream), and once after the agent rejects it.
 *   Every rotated refresh token is stored back in the keychain at once.
 * - A refresh token may be exchanged only once (a reuse revokes its whole family), so refreshes
 *   and credential changes run one at a time, and concurrent callers share the refresh in flight.
 */
export class ClusterSession {
  readonly #options: ClusterSessionOptions;
  readonly #now: () => number;
  readonly #marginMs: number;
  readonly #watchers = new Set<(token: string) => void>();
  #kind: CredentialKind = 'none';
  #secret: string | undefined;
  #access: { token: string; refreshAt: number } | undefined;
  #principal: SessionPrincipal | null = null;
  #refreshing: Promise<string> | undefined;
  #identifying: Promise<void> | undefined;
  #exclusive: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ClusterSessionOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#marginMs = options.refreshMarginMs ?? 60_000;
  }

  /** Reads which credential the keychain holds (an API key wins over a refresh token). */
  async load(): Promise<void> {
    const { secrets, clusterId } = this.#options;
    const apiKey = await secrets.get(clusterId, 'apiKey');
    const refreshToken = apiKey === undefined ? await secrets.get(clusterId, 'refreshToken') : undefined;
    this.#secret = apiKey ?? refreshToken;
    this.#kind = apiKey !== undefined ? 'apiKey' : refreshToken !== undefined ? 'session' : 'none';
  }

  get credential(): CredentialKind {
    return this.#kind;
  }

  /** Null until the agent has said who the credential is (at sign-in, a refresh, or `identify`). */
  get principal(): SessionPrincipal | null {
    return this.#principal;
  }

  /** The access token or API key to send now; undefined when the cluster has no credential. */
  async token(): Promise<string | undefined> {
    if (this.#kind === 'apiKey') return this.#secret;
    if (this.#kind === 'none') return undefined;
    if (this.#access && this.#now() < this.#access.refreshAt) return this.#access.token;
    return this.refresh();
  }

  /**
   * The agent answered 401 to `token`: the token to try once more with, or undefined when trying
   * again cannot help (an API key, or no credential). Refreshes unless someone already has.
   */
  async rejected(token: string): Promise<string | undefined> {
    if (this.#kind !== 'session') return undefined;
    if (this.#access && this.#access.token !== token) return this.#access.token;
    return this.refresh();
  }

  /** Trades the refresh token for a new session; callers at the same time share one exchange. */
  refresh(): Promise<string> {
    this.#refreshing ??= this.#exclusively(() => this.#exchange()).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Calls `listener` with each new access token (to re-authenticate a socket), and keeps the token fresh meanwhile. */
  watch(listener: (token: string) => void): () => void {
    this.#watchers.add(listener);
    this.#schedule();
    return () => {
      this.#watchers.delete(listener);
      if (this.#watchers.size === 0) clearTimeout(this.#timer);
    };
  }

  async signIn(credentials: Credentials): Promise<void> {
    await this.#exclusively(async () => {
      const client = await this.#client();
      await this.#startSession(await client.call('auth.login', { body: credentials }));
    });
  }

  /** Creates the first admin of an agent waiting for setup, with its one-time setup token, and keeps that session. */
  async setUp(setupToken: string, credentials: Credentials): Promise<void> {
    await this.#exclusively(async () => {
      const client = await this.#client();
      await this.#startSession(await client.call('setup.createAdmin', { body: { token: setupToken, ...credentials } }));
    });
  }

  /** Checks the key with the agent (`auth.me`), then keeps it in place of any session. */
  async useApiKey(apiKey: string): Promise<void> {
    await this.#exclusively(async () => {
      const client = await this.#client(`Bearer ${apiKey}`);
      const principal = await client.call('auth.me', {});
      await this.#end();
      await this.#options.secrets.set(this.#options.clusterId, 'apiKey', apiKey);
      this.#set('apiKey', apiKey, { name: principal.name, role: principal.role });
    });
  }

  /** Revokes the session with the agent when it can be reached (an API key stays valid there), and forgets the credential. */
  async signOut(): Promise<void> {
    await this.#exclusively(() => this.#end());
  }

  /** Asks the agent who the credential is, when not known yet; failures leave it unknown. */
  identify(): Promise<void> {
    if (this.#kind === 'none' || this.#principal) return Promise.resolve();
    this.#identifying ??= (async () => {
      const token = await this.token();
      if (!token || this.#principal) return;
      const client = await this.#client(`Bearer ${token}`);
      const principal = await client.call('auth.me', {});
      this.#principal = { name: principal.name, role: principal.role };
      this.#options.onChange?.();
    })()
      .catch(() => undefined)
      .finally(() => {
        this.#identifying = undefined;
      });
    return this.#identifying;
  }

  /** Stops refreshing on a schedule; the credential stays in the keychain. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watchers.clear();
  }

  async #exchange(): Promise<string> {
    const { clusterId, secrets } = this.#options;
    if (this.#kind !== 'session' || this.#secret === undefined) throw new SignInRequired(clusterId, 'there is no signed-in session');
    const client = await this.#client();
    let session: Session;
    try {
      session = await client.call('auth.refresh', { body: { refreshToken: this.#secret } });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        await secrets.delete(clusterId, 'refreshToken');
        this.#set('none', undefined, null);
        throw new SignInRequired(clusterId, `the agent ended the session (${error.message})`);
      }
      throw error;
    }
    // Kept in memory first: if the keychain refuses it, this run still holds the only valid token.
    this.#secret = session.refreshToken;
    await secrets.set(clusterId, 'refreshToken', session.refreshToken);
    this.#accept(session);
    return session.accessToken;
  }

  async #startSession(session: Session): Promise<void> {
    const { clusterId, secrets } = this.#options;
    await this.#end();
    await secrets.set(clusterId, 'refreshToken', session.refreshToken);
    this.#set('session', session.refreshToken, null);
    this.#accept(session);
  }

  #accept(session: Session): void {
    const now = this.#now();
    const lifetime = Math.max(0, session.accessTokenExpiresAt - now);
    this.#access = { token: session.accessToken, refreshAt: now + Math.max(lifetime - this.#marginMs, lifetime / 2) };
    const principal = { name: session.user.username, role: session.user.role };
    const changed = this.#principal?.name !== principal.name || this.#principal.role !== principal.role;
    this.#principal = principal;
    if (changed) this.#options.onChange?.();
    for (const watcher of this.#watchers) watcher(session.accessToken);
    this.#schedule();
  }

  /** Ends the current credential: revokes a session (best effort) and deletes every credential secret. */
  async #end(): Promise<void> {
    const { clusterId, secrets } = this.#options;
    if (this.#kind === 'session' && this.#secret !== undefined) {
      const refreshToken = this.#secret;
      await this.#client()
        .then((client) => client.call('auth.logout', { body: { refreshToken }, signal: AbortSignal.timeout(goodbyeTimeoutMs) }))
        .catch(() => undefined);
    }
    await secrets.delete(clusterId, 'refreshToken');
    await secrets.delete(clusterId, 'apiKey');
    this.#set('none', undefined, null);
  }

  #set(kind: CredentialKind, secret: string | undefined, principal: SessionPrincipal | null): void {
    const changed = kind !== this.#kind || principal?.name !== this.#principal?.name || principal?.role !== this.#principal?.role;
    this.#kind = kind;
    this.#secret = secret;
    this.#principal = principal;
    this.#access = undefined;
    clearTimeout(this.#timer);
    if (changed) this.#options.onChange?.();
  }

  /** While a watcher needs a live token, refreshes at `refreshAt` (again a few seconds after a failure). */
  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#closed || this.#watchers.size === 0 || this.#kind !== 'session') return;
    const delay = this.#access ? Math.max(0, this.#access.refreshAt - this.#now()) : 0;
    this.#timer = setTimeout(() => {
      this.refresh().catch(() => {
        if (this.#closed || this.#watchers.size === 0 || this.#kind !== 'session') return;
        this.#timer = setTimeout(() => this.#schedule(), retryAfterFailureMs);
      });
    }, delay);
  }

  async #client(authorization?: string): Promise<ApiClient> {
    const upstream = await this.#options.upstream();
    return createApiClient({ baseUrl: upstream.origin, ...(authorization && { authorization: () => authorization }) });
  }

  #exclusively<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#exclusive.then(work);
    this.#exclusive = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
