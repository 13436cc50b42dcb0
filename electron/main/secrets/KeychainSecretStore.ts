import type { SecretKind, SecretStore } from './SecretStore.js';

/** The part of `keytar` this store uses. */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The keychain service every secret of the desktop app is filed under. */
export const keychainService = 'Switchyard';

/** The keychain account of one secret: `<clusterId>/<kind>`, e.g. `prod/refreshToken`. */
export function keychainAccount(clusterId: string, kind: SecretKind): string {
  return `${clusterId}/${kind}`;
}

/**
 * Secrets in the OS keychain through keytar: the macOS Keychain, the Windows Credential Manager,
 * or the Secret Service (GNOME Keyring, KWallet) on Linux. The keychain encrypts them at rest and
 * unlocks them with the user's login; this app writes none of them to its own files.
 */
export class KeychainSecretStore implements SecretStore {
  constructor(private readonly keytar: Keytar) {}

  /**
   * Loads keytar (a native module, loaded on demand so that a build without it fails here, with
   * this message, rather than at start-up).
   */
  static async open(): Promise<KeychainSecretStore> {
    let loaded: { default?: Keytar } & Partial<Keytar>;
    try {
      loaded = (await import('keytar')) as { default?: Keytar } & Partial<Keytar>;
    } catch (error) {
      throw new Error(`the OS keychain is not available (keytar did not load: ${(error as Error).message})`, { cause: error });
    }
    return new KeychainSecretStore(loaded.default ?? (loaded as Keytar));
  }

  async get(clusterId: string, kind: SecretKind): Promise<string | undefined> {
    return (await this.keytar.getPassword(keychainService, keychainAccount(clusterId, kind))) ?? undefined;
  }

  async set(clusterId: string, kind: SecretKind, secret: string): Promise<void> {
    await this.keytar.setPassword(keychainService, keychainAccount(clusterId, kind), secret);
  }

  async delete(clusterId: string, kind: SecretKind): Promise<void> {
    await this.keytar.deletePassword(keychainService, keychainAccount(clusterId, kind));
  }
}
