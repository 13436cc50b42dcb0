import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore, keychainService, type Keytar } from '../../../electron/main/secrets/KeychainSecretStore.js';
import { deleteClusterSecrets } from '../../../electron/main/secrets/SecretStore.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';

const skipReason = keyringSkipReason();
if (skipReason) console.warn(`KeychainSecretStore.test.ts: ${skipReason}`);

describe.skipIf(skipReason !== '')(`KeychainSecretStore with real keytar and GNOME Keyring${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let store: KeychainSecretStore;
  let keytar: Keytar & { findCredentials(service: string): Promise<Array<{ account: string; password: string }>> };

  beforeAll(async () => {
    keyring = await startKeyring();
    store = await KeychainSecretStore.open();
    const loaded = (await import('keytar')) as unknown as { default?: typeof keytar } & typeof keytar;
    keytar = loaded.default ?? loaded;
  });
  afterAll(async () => keyring?.close());

  it('keeps each secret under service Switchyard, account <clusterId>/<kind>, and replaces it on set', async () => {
    expect(await store.get('prod', 'refreshToken')).toBeUndefined();
    await store.set('prod', 'refreshToken', 'first-token');
    await store.set('prod', 'refreshToken', 'rotated-token');
    await store.set('prod', 'sshPassphrase', 'correct horse');
    await store.set('staging', 'apiKey', 'sy_abc_def');

    expect(await store.get('prod', 'refreshToken')).toBe('rotated-token');
    expect(await store.get('prod', 'sshPassphrase')).toBe('correct horse');
    expect(await store.get('prod', 'apiKey')).toBeUndefined();
    expect(await store.get('staging', 'apiKey')).toBe('sy_abc_def');
    const entries = await keytar.findCredentials(keychainService);
    expect(entries.map((entry) => `${entry.account}=${entry.password}`).sort()).toEqual(['prod/refreshToken=rotated-token', 'prod/sshPassphrase=correct horse', 'staging/apiKey=sy_abc_def']);
  });

  it('deletes one secret, and every secret of one cluster, leaving other clusters alone', async () => {
    await store.delete('prod', 'sshPassphrase');
    expect(await store.get('prod', 'sshPassphrase')).toBeUndefined();
    await store.delete('prod', 'sshPassphrase');

    await store.set('prod', 'apiKey', 'sy_prod_key');
    await deleteClusterSecrets(store, 'prod');
    expect(await store.get('prod', 'refreshToken')).toBeUndefined();
    expect(await store.get('prod', 'apiKey')).toBeUndefined();
    expect((await keytar.findCredentials(keychainService)).map((entry) => entry.account)).toEqual(['staging/apiKey']);
  });
});
