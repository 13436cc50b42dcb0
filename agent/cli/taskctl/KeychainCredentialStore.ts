import { keychainService, type CredentialStore } from './CredentialStore.js';

/** The part of `keytar` this store uses (loaded on demand: it is a native module that may be missing). */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * Refresh tokens in the OS keychain through keytar: the macOS Keychain, the Windows Credential
 * Vault, or a Secret Service (GNOME Keyring, KWallet) on Linux. Entries are filed under the
 * service `switchyard-taskctl`, one per `<url>|<username>` account.
 */
export class KeychainCredentialStore implements CredentialStore {
  readonly location = 'the OS keychain';

  constructor(private readonly keytar: Keytar) {}

  async get(account: string): Promise<string | undefined> {
    return (await this.keytar.getPassword(keychainService, account)) ?? undefined;
  }

  async set(account: string, refreshToken: string): Promise<void> {
    await this.keytar.setPassword(keychainService, account, refreshToken);
  }

  async delete(account: string): Promise<void> {
    await this.keytar.deletePassword(keychainService, account);
  }

  async accounts(): Promise<string[]> {
    return (await this.keytar.findCredentials(keychainService)).map((entry) => entry.account);
  }
}
