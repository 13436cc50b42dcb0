import { join } from 'node:path';
import type { Command } from 'commander';
import { createApiClient, type ApiClient, type FetchLike } from '../../../shared/api/client.js';
import { chooseCredentialStore, credentialSetting, type ChosenStore, type CredentialSetting } from './chooseCredentialStore.js';
import { configDirectory } from './CredentialStore.js';
import { TaskctlError, UsageError } from './errors.js';
import { Output } from './output.js';
import { wholeNumber } from './parseOption.js';
import { StoredLogin } from './StoredLogin.js';

/** The options every command takes (declared on the program in `taskctlProgram.ts`). */
export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  user?: string;
  credentials?: string;
  timeout?: string;
  json?: boolean;
}

export const defaultAgentUrl = 'http://127.0.0.1:7700';

/**
 * What a command works with, made from the global options and the environment: where the agent
 * is, how to print, the typed API client acting as the caller, and the credential store. Flags
 * win over variables. The caller is the API key (`--api-key` / `SWITCHYARD_API_KEY`) when one is
 * given, else the stored sign-in; the store is chosen only when a command first needs it, and
 * then once.
 */
export class Taskctl {
  readonly output: Output;
  /** The agent's URL, normalised (no trailing slash): also the first half of each stored account. */
  readonly url: string;
  /** A client that sends no credentials (login, refresh, logout). */
  readonly anonymous: ApiClient;
  /** A client acting as the caller. */
  readonly api: ApiClient;
  readonly apiKey: string | undefined;
  readonly user: string | undefined;
  private readonly credentialSetting: CredentialSetting;
  private chosen: Promise<ChosenStore> | undefined;
  private storedLogin: StoredLogin | undefined;

  constructor(
    options: GlobalOptions,
    private readonly environment: NodeJS.ProcessEnv = process.env,
  ) {
    this.output = new Output(options.json === true);
    this.url = agentUrl(options.url ?? (nonEmpty(environment.SWITCHYARD_URL) || defaultAgentUrl), options.url !== undefined ? '--url' : 'SWITCHYARD_URL');
    this.apiKey = nonEmpty(options.apiKey) ?? nonEmpty(environment.SWITCHYARD_API_KEY);
    this.user = nonEmpty(options.user) ?? nonEmpty(environment.SWITCHYARD_USER);
    this.credentialSetting = credentialSetting(options.credentials ?? environment.SWITCHYARD_CREDENTIALS, options.credentials !== undefined ? '--credentials' : 'SWITCHYARD_CREDENTIALS');
    const fetch = explainingFetch(this.url, timeoutSeconds(options.timeout, environment.SWITCHYARD_TIMEOUT) * 1000);
    this.anonymous = createApiClient({ baseUrl: this.url, fetch });
    this.api = createApiClient({ baseUrl: this.url, fetch, authorization: () => this.authorization() });
  }

  static of(command: Command): Taskctl {
    return new Taskctl(command.optsWithGlobals<GlobalOptions>());
  }

  /** The credential store, chosen on first use. */
  credentials(): Promise<ChosenStore> {
    this.chosen ??= chooseCredentialStore(this.credentialSetting, { environment: this.environment });
    return this.chosen;
  }

  /** The lock that serialises refreshes between taskctl processes (see refreshLock.ts). */
  get lockPath(): string {
    return join(configDirectory(this.environment), 'taskctl-refresh.lock');
  }

  /** The stored sign-in this command acts as (when no API key is given). */
  async login(): Promise<StoredLogin> {
    const { store } = await this.credentials();
    this.storedLogin ??= new StoredLogin({ store, anonymous: this.anonymous, url: this.url, user: this.user, lockPath: this.lockPath });
    return this.storedLogin;
  }

  private async authorization(): Promise<string> {
    if (this.apiKey) return `Bearer ${this.apiKey}`;
    return (await this.login()).authorization();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `--timeout` / `SWITCHYARD_TIMEOUT`: whole seconds, at least 1; default 120. */
function timeoutSeconds(flag: string | undefined, variable: string | undefined): number {
  const source = flag !== undefined ? '--timeout' : 'SWITCHYARD_TIMEOUT';
  const text = flag ?? nonEmpty(variable);
  if (text === undefined) return 120;
  const seconds = wholeNumber(source, text);
  if (seconds < 1) throw new UsageError(`${source}: must be at least 1 second`);
  return seconds;
}

function agentUrl(value: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`${source}: '${value}' is not a URL (e.g. ${defaultAgentUrl})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${source}: '${value}' must start with http:// or https://`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** The global fetch, with a deadline, turning "fetch failed" into a line that says which agent and why. */
function explainingFetch(url: string, timeoutMs: number): FetchLike {
  const fetch = (globalThis as unknown as { fetch: FetchLike }).fetch;
  return async (target, init) => {
    try {
      return await fetch(target, { ...init, signal: init.signal ?? (AbortSignal.timeout(timeoutMs) as unknown as typeof init.signal) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause?.message ?? cause?.code ?? (error as Error).message);
      throw new TaskctlError('unreachable', `cannot reach the agent at ${url}: ${reason}`);
    }
  };
}
