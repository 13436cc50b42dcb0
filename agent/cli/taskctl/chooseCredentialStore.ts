import { configDirectory, keychainService, type CredentialStore } from './CredentialStore.js';
import { TaskctlError, UsageError } from './errors.js';
import { FileCredentialStore } from './FileCredentialStore.js';
import { KeychainCredentialStore, type Keytar } from './KeychainCredentialStore.js';

/** `--credentials` / `SWITCHYARD_CREDENTIALS`: where sign-ins are kept. */
export const credentialSettings = ['auto', 'keychain', 'file'] as const;
export type CredentialSetting = (typeof credentialSettings)[number];

export interface ChosenStore {
  store: CredentialStore;
  /** Why the file was chosen instead of the keychain (said in the warning at login); undefined for the keychain. */
  fallbackReason?: string;
}

export interface ChooseOptions {
  environment?: NodeJS.ProcessEnv;
  /** Loads keytar; injected by tests. */
  loadKeytar?: () => Promise<Keytar>;
  /** How long the keychain may take to answer the probe before `auto` gives up on it. */
  probeTimeoutMs?: number;
}

/**
 * Picks the credential store once, at start:
 *
 * - `keychain`: the OS keychain through keytar; an error if it cannot be loaded.
 * - `file`: the 0600 file, `$XDG_CONFIG_HOME/switchyard/taskctl-credentials.json`.
 * - `auto` (default): the keychain when keytar loads and a probe entry can be written and
 *   removed (on Linux this needs a running, unlocked Secret Service, e.g. gnome-keyring), else
 *   the file, with the reason kept for the warning.
 *
 * The probe writes rather than reads because a Secret Service without a default collection
 * answers reads (with nothing) but refuses writes, and a login that could not store its token
 * would be lost.
 */
export async function chooseCredentialStore(setting: CredentialSetting, options: ChooseOptions = {}): Promise<ChosenStore> {
  const file = () => new FileCredentialStore(FileCredentialStore.defaultPath(configDirectory(options.environment)));
  if (setting === 'file') return { store: file(), fallbackReason: 'credentials are set to file (--credentials or SWITCHYARD_CREDENTIALS)' };
  let keytar: Keytar;
  try {
    keytar = await (options.loadKeytar ?? loadKeytar)();
  } catch (error) {
    const reason = `keytar cannot be loaded: ${firstLine(error)}`;
    if (setting === 'keychain') throw new TaskctlError('credentials', `the OS keychain cannot be used (${reason})`);
    return { store: file(), fallbackReason: reason };
  }
  const store = new KeychainCredentialStore(keytar);
  if (setting === 'keychain') return { store };
  try {
    await probe(keytar, options.probeTimeoutMs ?? 10_000);
    return { store };
  } catch (error) {
    return { store: file(), fallbackReason: `the OS keychain is not available: ${firstLine(error)}` };
  }
}

export function credentialSetting(value: string | undefined, source: string): CredentialSetting {
  const setting = value === undefined || value === '' ? 'auto' : value;
  if (!(credentialSettings as readonly string[]).includes(setting)) throw new UsageError(`${source}: '${value}' must be one of ${credentialSettings.join(', ')}`);
  return setting as CredentialSetting;
}

async function loadKeytar(): Promise<Keytar> {
  const loaded = (await import('keytar')) as { default?: Keytar } & Partial<Keytar>;
  return loaded.default ?? (loaded as Keytar);
}

const probeAccount = 'taskctl-probe';

async function probe(keytar: Keytar, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([keytar.setPassword(keychainService, probeAccount, 'probe').then(() => keytar.deletePassword(keychainService, probeAccount)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
