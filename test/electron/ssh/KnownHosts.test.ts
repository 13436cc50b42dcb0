import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostKeyOf, type HostKey } from '../../../electron/main/ssh/hostKey.js';
import { KnownHosts } from '../../../electron/main/ssh/KnownHosts.js';
import { sshKeygenPath, sshdUnavailable } from '../../helpers/sshd.js';

const run = promisify(execFile);
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`skipping known hosts tests: ${unavailable}`);

/** Generates a key pair with ssh-keygen and returns its public blob and ssh-keygen's own fingerprint. */
async function generatedKey(directory: string, name: string, type: 'ed25519' | 'rsa' | 'ecdsa') {
  const path = join(directory, name);
  await run(sshKeygenPath, ['-q', '-t', type, '-N', '', '-f', path]);
  const publicLine = await readFile(`${path}.pub`, 'utf8');
  const [algorithm, base64] = publicLine.split(' ');
  const { stdout } = await run(sshKeygenPath, ['-lf', `${path}.pub`]);
  return { blob: Buffer.from(base64!, 'base64'), algorithm: algorithm!, fingerprint: stdout.split(' ')[1]! };
}

describe.skipIf(unavailable)('KnownHosts', () => {
  let directory: string;
  let first: HostKey;
  let second: HostKey;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-known-hosts-'));
    first = hostKeyOf((await generatedKey(directory, 'first', 'ed25519')).blob);
    second = hostKeyOf((await generatedKey(directory, 'second', 'ed25519')).blob);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it.each(['ed25519', 'rsa', 'ecdsa'] as const)('computes the %s fingerprint and algorithm exactly as ssh-keygen -lf prints them', async (type) => {
    const generated = await generatedKey(directory, `print-${type}`, type);
    const key = hostKeyOf(generated.blob);
    expect(key.fingerprint).toBe(generated.fingerprint);
    expect(key.algorithm).toBe(generated.algorithm);
    expect(Buffer.from(key.key, 'base64').equals(generated.blob)).toBe(true);
  });

  it('stores, looks up and forgets keys per cluster in a 0600 file, leaving no temporary file', async () => {
    const path = join(directory, 'nested', 'known-ssh-hosts.json');
    const hosts = new KnownHosts(path);
    expect(await hosts.lookup('alpha')).toBeNull();
    await Promise.all([hosts.trust('alpha', first), hosts.trust('beta', second)]);
    expect(await hosts.lookup('alpha')).toEqual(first);
    expect(await hosts.lookup('beta')).toEqual(second);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(directory, 'nested'))).toEqual(['known-ssh-hosts.json']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ alpha: first, beta: second });

    const reopened = new KnownHosts(path);
    await reopened.forget('alpha');
    expect(await reopened.lookup('alpha')).toBeNull();
    expect(await hosts.lookup('beta')).toEqual(second);
  });

  it('refuses to trust a record whose fingerprint or algorithm is not that of its key', async () => {
    const hosts = new KnownHosts(join(directory, 'mismatch.json'));
    await expect(hosts.trust('alpha', { ...first, fingerprint: second.fingerprint })).rejects.toThrow(/fingerprint is .* not .*refusing/);
    await expect(hosts.trust('alpha', { ...first, algorithm: 'ssh-rsa' })).rejects.toThrow(/algorithm is ssh-ed25519, not ssh-rsa/);
    expect(await hosts.lookup('alpha')).toBeNull();
  });

  it('trusts a pending key only for the fingerprint that was shown', async () => {
    const hosts = new KnownHosts(join(directory, 'pending.json'));
    await expect(hosts.trustPending('alpha', first.fingerprint)).rejects.toThrow(/no SSH host key is waiting .*alpha/);
    hosts.propose('alpha', first);
    expect(hosts.pending('alpha')).toEqual(first);
    await expect(hosts.trustPending('alpha', second.fingerprint)).rejects.toThrow(`is ${first.fingerprint}, not ${second.fingerprint}`);
    expect(await hosts.lookup('alpha')).toBeNull();
    expect(await hosts.trustPending('alpha', first.fingerprint)).toEqual(first);
    expect(await hosts.lookup('alpha')).toEqual(first);
    expect(hosts.pending('alpha')).toBeNull();
  });

  it('says how to recover from a damaged file', async () => {
    const path = join(directory, 'damaged.json');
    await writeFile(path, '{ not json');
    await expect(new KnownHosts(path).lookup('alpha')).rejects.toThrow(`the known SSH hosts file ${path} is not JSON: fix it or delete it`);
    await writeFile(path, JSON.stringify({ alpha: { algorithm: 'ssh-ed25519', fingerprint: 'MD5:00', key: 'AAAA' } }));
    await expect(new KnownHosts(path).lookup('alpha')).rejects.toThrow(/invalid entry at alpha\.fingerprint: fix it or delete it/);
  });
});
