import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseCredentialStore } from '../../../../agent/cli/taskctl/chooseCredentialStore.js';
import { TaskctlError } from '../../../../agent/cli/taskctl/errors.js';
import { FileCredentialStore } from '../../../../agent/cli/taskctl/FileCredentialStore.js';
import { KeychainCredentialStore, type Keytar } from '../../../../agent/cli/taskctl/KeychainCredentialStore.js';
import { withRefreshLock } from '../../../../agent/cli/taskctl/refreshLock.js';
import { scratchHome } from './taskctlProcess.js';

/** A keytar stand-in over a Map; `fail` makes every call reject, `hang` never answer. */
function fakeKeytar(mode: 'ok' | 'fail' | 'hang' = 'ok'): Keytar & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const answer = <T>(value: () => T): Promise<T> =>
    mode === 'fail' ? Promise.reject(new Error('The name org.freedesktop.secrets was not provided by any .service files')) : mode === 'hang' ? new Promise<T>(() => undefined) : Promise.resolve(value());
  return {
    entries,
    getPassword: (service, account) => answer(() => entries.get(`${service}/${account}`) ?? null),
    setPassword: (service, account, password) => answer(() => void entries.set(`${service}/${account}`, password)),
    deletePassword: (service, account) => answer(() => entries.delete(`${service}/${account}`)),
    findCredentials: (service) => answer(() => [...entries].filter(([key]) => key.startsWith(`${service}/`)).map(([key, password]) => ({ account: key.slice(service.length + 1), password }))),
  };
}

describe('credential stores', () => {
  it('the file store keeps tokens per account in a 0600 file in a 0700 folder, even over a looser file', async () => {
    const { XDG_CONFIG_HOME } = await scratchHome();
    const path = join(XDG_CONFIG_HOME, 'switchyard', 'taskctl-credentials.json');
    await mkdir(join(XDG_CONFIG_HOME, 'switchyard'), { recursive: true });
    await writeFile(path, '{"version":1,"refreshTokens":{}}', { mode: 0o644 });
    const store = new FileCredentialStore(path);
    await store.set('http://a|dana', 'token-1');
    await store.set('http://b|dana', 'token-2');
    await store.delete('http://b|dana');
    expect(await store.get('http://a|dana')).toBe('token-1');
    expect(await store.accounts()).toEqual(['http://a|dana']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, refreshTokens: { 'http://a|dana': 'token-1' } });
  });

  it('the file store names a damaged file', async () => {
    const { XDG_CONFIG_HOME } = await scratchHome();
    const path = join(XDG_CONFIG_HOME, 'broken.json');
    await mkdir(XDG_CONFIG_HOME, { recursive: true });
    await writeFile(path, 'not json');
    await expect(new FileCredentialStore(path).get('x')).rejects.toThrow(`${path} is not a taskctl credentials file`);
  });

  it('the keychain store files entries under the switchyard-taskctl service', async () => {
    const keytar = fakeKeytar();
    const store = new KeychainCredentialStore(keytar);
    await store.set('http://a|dana', 'token');
    expect([...keytar.entries.keys()]).toEqual(['switchyard-taskctl/http://a|dana']);
    expect(await store.accounts()).toEqual(['http://a|dana']);
  });
});

describe('chooseCredentialStore', () => {
  it('auto: the keychain when its probe succeeds, leaving no probe entry behind', async () => {
    const keytar = fakeKeytar();
    const chosen = await chooseCredentialStore('auto', { loadKeytar: async () => keytar });
    expect(chosen.store).toBeInstanceOf(KeychainCredentialStore);
    expect(chosen.fallbackReason).toBeUndefined();
    expect(keytar.entries.size).toBe(0);
  });

  it('auto: the file, with the reason, when keytar cannot be loaded, the Secret Service refuses, or it does not answer', async () => {
    const environment = await scratchHome();
    const notLoaded = await chooseCredentialStore('auto', { environment, loadKeytar: () => Promise.reject(new Error("Cannot find module 'keytar'\nRequire stack: …")) });
    expect(notLoaded.store).toBeInstanceOf(FileCredentialStore);
    expect(notLoaded.store.location).toBe(join(environment.XDG_CONFIG_HOME, 'switchyard', 'taskctl-credentials.json'));
    expect(notLoaded.fallbackReason).toBe("keytar cannot be loaded: Cannot find module 'keytar'");
    const refusing = await chooseCredentialStore('auto', { environment, loadKeytar: async () => fakeKeytar('fail') });
    expect(refusing.fallbackReason).toMatch(/^the OS keychain is not available: The name org\.freedesktop\.secrets was not provided/);
    const silent = await chooseCredentialStore('auto', { environment, loadKeytar: async () => fakeKeytar('hang'), probeTimeoutMs: 20 });
    expect(silent.fallbackReason).toBe('the OS keychain is not available: no answer within 20 ms');
  });

  it('keychain: no fallback — an error when keytar cannot be loaded', async () => {
    await expect(chooseCredentialStore('keychain', { loadKeytar: () => Promise.reject(new Error('no keytar')) })).rejects.toThrow(TaskctlError);
  });
});

describe('withRefreshLock', () => {
  it('runs one holder at a time', async () => {
    const { XDG_CONFIG_HOME } = await scratchHome();
    const path = join(XDG_CONFIG_HOME, 'switchyard', 'taskctl-refresh.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withRefreshLock(path, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setImmediate(resolve));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('breaks a lock left by a process that is gone', async () => {
    const { XDG_CONFIG_HOME } = await scratchHome();
    const path = join(XDG_CONFIG_HOME, 'taskctl-refresh.lock');
    await mkdir(XDG_CONFIG_HOME, { recursive: true });
    // The largest pid Linux allows is 2^22; this one cannot be running.
    await writeFile(path, String(2 ** 22 + 1));
    expect(await withRefreshLock(path, async () => 'ran')).toBe('ran');
  });

  it('gives up on a lock a live process holds, naming the file', async () => {
    const { XDG_CONFIG_HOME } = await scratchHome();
    const path = join(XDG_CONFIG_HOME, 'taskctl-refresh.lock');
    await mkdir(XDG_CONFIG_HOME, { recursive: true });
    await writeFile(path, String(process.pid));
    await expect(withRefreshLock(path, async () => 'ran', { timeoutMs: 50 })).rejects.toThrow(`another taskctl has held ${path}`);
  });
});
