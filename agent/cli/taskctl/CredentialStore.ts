import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where `taskctl` keeps the refresh token of each sign-in (never a password, never an access
 * token). One entry per account, `<agent url>|<username>`, so one person can be signed in to
 * several agents, and several people to one agent. Two implementations: the OS keychain
 * (`KeychainCredentialStore`) and a 0600 file (`FileCredentialStore`); `chooseCredentialStore`
 * picks one once, at start.
 */
export interface CredentialStore {
  /** Where the tokens are, for messages: "the OS keychain" or the file's path. */
  readonly location: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, refreshToken: string): Promise<void>;
  delete(account: string): Promise<void>;
  /** Every account with a stored token. */
  accounts(): Promise<string[]>;
}

/** The keychain service name every entry is filed under. */
export const keychainService = 'switchyard-taskctl';

export function accountOf(url: string, username: string): string {
  return `${url}|${username}`;
}

/** The username of an account of `url`, or undefined when the account belongs to another agent. */
export function usernameOf(account: string, url: string): string | undefined {
  return account.startsWith(`${url}|`) ? account.slice(url.length + 1) : undefined;
}

/** `$XDG_CONFIG_HOME/switchyard`, else `~/.config/switchyard`: the credentials file and the refresh lock. */
export function configDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  const base = environment.XDG_CONFIG_HOME && isAbsolute(environment.XDG_CONFIG_HOME) ? environment.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'switchyard');
}
