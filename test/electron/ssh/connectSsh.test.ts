import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterProfile } from '../../../shared/clusters.js';
import { connectSsh } from '../../../electron/main/ssh/connectSsh.js';
import { hostKeyOf } from '../../../electron/main/ssh/hostKey.js';
import { KnownHosts } from '../../../electron/main/ssh/KnownHosts.js';
import { SshConnectionError, type SshConnection, type SshProblem } from '../../../electron/main/ssh/SshConnectionError.js';
import { sshUpstreamOpener } from '../../../electron/main/ssh/sshUpstreamOpener.js';
import { freePort } from '../../helpers/redisServer.js';
import { sshdUnavailable, startTestSshd, type TestSshd } from '../../helpers/sshd.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`skipping SSH connection tests: ${unavailable}`);

/** Expects `attempt` to fail with an `SshConnectionError` of `problem` whose message matches. */
async function failsWith(attempt: Promise<unknown>, problem: SshProblem, message: RegExp) {
  const error = await attempt.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SshConnectionError);
  expect((error as SshConnectionError).problem).toBe(problem);
  expect((error as Error).message).toMatch(message);
}

describe.skipIf(unavailable)('connecting to a real sshd', () => {
  let sshd: TestSshd;
  let knownHosts: KnownHosts;
  let folder: string;
  let target: Server;
  let targetPort: number;
  const passphrases = new Map<string, string>();
  const options = () => ({ knownHosts, passphrase: async (id: string) => passphrases.get(id), readyTimeoutMs: 10_000 });
  const connection = (overrides: Partial<SshConnection> = {}): SshConnection => ({
    kind: 'ssh',
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKeyPath: sshd.clientKeyPath,
    agentPort: targetPort,
    ...overrides,
  });

  beforeAll(async () => {
    sshd = await startTestSshd();
    folder = await mkdtemp(join(tmpdir(), 'switchyard-ssh-keys-'));
    knownHosts = new KnownHosts(join(folder, 'known-ssh-hosts.json'));
    // Trusted up front: these tests are about authentication, not the host key.
    await expect(connectSsh('c', connection(), options())).rejects.toThrow(/not known yet/);
    await knownHosts.trustPending('c', await sshd.hostFingerprint());
    target = createServer((socket) => socket.end('hello from the target\n'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => target?.close(resolve));
    await sshd?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('logs in with an authorized key', async () => {
    const session = await connectSsh('c', connection(), options());
    await session.end();
  });

  it('says the key is not authorized when the server refuses it', async () => {
    const stranger = await sshd.generateClientKey({ name: 'stranger', authorize: false });
    await failsWith(connectSsh('c', connection({ privateKeyPath: stranger }), options()), 'authenticationRefused', /refused the key .*stranger: add its public key \(.*stranger\.pub\) to ~.*authorized_keys/);
  });

  it('uses the passphrase of a protected key, and says so when it is missing or wrong', async () => {
    const locked = await sshd.generateClientKey({ name: 'locked', passphrase: 'open sesame' });
    await failsWith(connectSsh('c', connection({ privateKeyPath: locked }), options()), 'passphraseMissing', /locked is protected by a passphrase and none is stored.*enter the passphrase/);
    passphrases.set('c', 'not it');
    await failsWith(connectSsh('c', connection({ privateKeyPath: locked }), options()), 'passphraseWrong', /does not unlock the private key .*locked: enter the right passphrase/);
    passphrases.set('c', 'open sesame');
    const session = await connectSsh('c', connection({ privateKeyPath: locked }), options());
    await session.end();
    passphrases.delete('c');
  });

  it('says what is wrong with the key file before connecting', async () => {
    await failsWith(connectSsh('c', connection({ privateKeyPath: join(folder, 'missing') }), options()), 'privateKeyUnreadable', /missing does not exist: choose an existing/);
    await failsWith(connectSsh('c', connection({ privateKeyPath: `${sshd.clientKeyPath}.pub` }), options()), 'privateKeyInvalid', /holds a public key, not a private key/);
    await failsWith(connectSsh('c', connection({ privateKeyPath: join(sshd.directory, 'sshd_config') }), options()), 'privateKeyInvalid', /is not a private key the app can use/);
  });

  it('says the server cannot be reached when nothing listens on the SSH port', async () => {
    await failsWith(connectSsh('c', connection({ port: await freePort() }), options()), 'unreachable', /cannot reach the SSH server at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it("says the agent's port cannot be reached through the tunnel when nothing listens there", async () => {
    const open = sshUpstreamOpener(options());
    const profile: ClusterProfile = { id: 'c', name: 'c', colour: '#123456', connection: connection({ agentPort: await freePort() }) };
    await failsWith(open(profile), 'forwardRefused', /could not open a connection to the agent at 127\.0\.0\.1:\d+ on that host .*check that the agent runs there/);
  });

  it('forwards bytes both ways through the tunnel', async () => {
    const upstream = await sshUpstreamOpener(options())({ id: 'c', name: 'c', colour: '#123456', connection: connection() });
    const { port } = new URL(upstream.origin);
    const received = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('data', (data) => (text += data.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(received).toBe('hello from the target\n');
    await upstream.close();
  });
});

describe.skipIf(unavailable)('a host with several host keys', () => {
  let sshd: TestSshd;
  let folder: string;
  let knownHosts: KnownHosts;
  const connection = (): SshConnection => ({ kind: 'ssh', host: sshd.host, port: sshd.port, username: sshd.username, privateKeyPath: sshd.clientKeyPath, agentPort: 7700 });
  const options = () => ({ knownHosts, passphrase: async () => undefined, readyTimeoutMs: 10_000 });
  const publicKeyOf = async (type: 'ed25519' | 'rsa' | 'ecdsa') => hostKeyOf(Buffer.from((await readFile(sshd.hostPublicKeyPathOf(type), 'utf8')).split(' ')[1]!, 'base64'));

  beforeAll(async () => {
    sshd = await startTestSshd({ extraHostKeyTypes: ['rsa', 'ecdsa'] });
    folder = await mkdtemp(join(tmpdir(), 'switchyard-ssh-multi-'));
    knownHosts = new KnownHosts(join(folder, 'known-ssh-hosts.json'));
  });
  afterAll(async () => {
    await sshd?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps asking the host for the key type the user trusted', async () => {
    await expect(connectSsh('multi', connection(), options())).rejects.toMatchObject({ algorithm: 'ssh-ed25519', fingerprint: (await publicKeyOf('ed25519')).fingerprint });
    for (const type of ['rsa', 'ecdsa'] as const) {
      await knownHosts.trust('multi', await publicKeyOf(type));
      const session = await connectSsh('multi', connection(), options());
      await session.end();
    }
  });
});
