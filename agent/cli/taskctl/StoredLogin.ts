import { ApiError } from '../../../shared/api/ApiError.js';
import type { ApiClient } from '../../../shared/api/client.js';
import { accountOf, usernameOf, type CredentialStore } from './CredentialStore.js';
import { TaskctlError, UsageError } from './errors.js';
import { withRefreshLock } from './refreshLock.js';

export interface StoredLoginOptions {
  store: CredentialStore;
  /** A client without credentials, for `auth.refresh`. */
  anonymous: ApiClient;
  /** The agent's normalised URL (the first half of each account name). */
  url: string;
  /** `--user` / `SWITCHYARD_USER`: which of several stored sign-ins to use. */
  user?: string;
  lockPath: string;
}

/** Access tokens are refreshed this long before they expire, so a call never carries one that dies in flight. */
const expiryMarginMs = 30_000;

/**
 * Acts as a signed-in user from the stored refresh token: the first call of a command trades it
 * (`auth.refresh`) for an access token and stores the rotated refresh token at once — refresh
 * tokens are single use. A long command (a large bulk enqueue) refreshes again when the access
 * token is about to expire. A refused refresh (expired, revoked, reused) deletes the stored
 * token: it can never work again.
 */
export class StoredLogin {
  private access: { token: string; expiresAt: number } | undefined;
  private chosen: string | undefined;

  constructor(private readonly options: StoredLoginOptions) {}

  /** The value of the `Authorization` header. */
  async authorization(): Promise<string> {
    if (!this.access || this.access.expiresAt - expiryMarginMs < Date.now()) this.access = await this.refresh();
    return `Bearer ${this.access.token}`;
  }

  /** The account this command acts as: `--user`'s, or the only one stored for this agent. */
  async account(): Promise<string> {
    if (this.chosen) return this.chosen;
    const { store, url, user } = this.options;
    const usernames = (await store.accounts()).flatMap((account) => usernameOf(account, url) ?? []);
    if (user !== undefined) {
      if (!usernames.includes(user.toLowerCase())) throw new TaskctlError('not_signed_in', `${user} is not signed in to ${url}: run taskctl login --username ${user}`);
      this.chosen = accountOf(url, user.toLowerCase());
    } else if (usernames.length === 1) {
      this.chosen = accountOf(url, usernames[0]!);
    } else if (usernames.length === 0) {
      throw new TaskctlError('not_signed_in', `not signed in to ${url}: run taskctl login, or give an API key with --api-key or SWITCHYARD_API_KEY`);
    } else {
      throw new UsageError(`several users are signed in to ${url} (${usernames.join(', ')}): choose one with --user or SWITCHYARD_USER`);
    }
    return this.chosen;
  }

  private async refresh(): Promise<{ token: string; expiresAt: number }> {
    const { store, anonymous, url, lockPath } = this.options;
    const account = await this.account();
    const username = usernameOf(account, url);
    return withRefreshLock(lockPath, async () => {
      // Read under the lock: another taskctl may have rotated the token a moment ago.
      const refreshToken = await store.get(account);
      if (!refreshToken) throw new TaskctlError('not_signed_in', `${username} is not signed in to ${url}: run taskctl login`);
      try {
        const session = await anonymous.call('auth.refresh', { body: { refreshToken } });
        await store.set(account, session.refreshToken);
        return { token: session.accessToken, expiresAt: session.accessTokenExpiresAt };
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
          await store.delete(account);
          throw new TaskctlError('session_ended', `the sign-in of ${username} to ${url} has ended (${error.message}); run taskctl login`);
        }
        throw error;
      }
    });
  }
}
