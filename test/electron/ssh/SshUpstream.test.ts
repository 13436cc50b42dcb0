import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../shared/api/client.js';
import type { ClusterProfile } from '../../../shared/clusters.js';
import { ChangedHostKeyError, UnknownHostKeyError, type Upstream } from '../../../electron/main/gateway/Upstream.js';
import { KnownHosts } from '../../../electron/main/ssh/KnownHosts.js';
import type { SshUpstream } from '../../../electron/main/ssh/SshUpstream.js';
import { sshUpstreamOpener } from '../../../electron/main/ssh/sshUpstreamOpener.js';
import { UnknownSshHostKeyError } from '../../../electron/main/ssh/UnknownSshHostKeyError.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { signedInEventSocket } from '../../helpers/eventSocket.js';
import { sshdUnavailable, startTestSshd, type TestSshd } from '../../helpers/sshd.js';
import { until } from '../../helpers/until.js';
import { connectionsTo, refuses, startCountingRelay, type CountingRelay } from './countingRelay.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`skipping SSH tunnel tests: ${unavailable}`);

describe.skipIf(unavailable)('SSH tunnel to a real agent through a real sshd', () => {
  let api: ApiTestAgent;
  let sshd: TestSshd;
  let relay: CountingRelay;
  let folder: string;
  let knownHosts: KnownHosts;
  let profile: ClusterProfile;
  const opened: Upstream[] = [];
  const open = async () => {
    const upstream = await sshUpstreamOpener({ knownHosts, passphrase: async () => undefined, readyTimeoutMs: 10_000 })(profile);
    opened.push(upstream);
    return upstream;
  };

  beforeAll(async () => {
    [api, sshd] = await Promise.all([startApiTestAgent(), startTestSshd()]);
    relay = await startCountingRelay(Number(new URL(api.url).port));
    folder = await mkdtemp(join(tmpdir(), 'switchyard-ssh-tunnel-'));
    knownHosts = new KnownHosts(join(folder, 'known-ssh-hosts.json'));
    profile = {
      id: 'remote',
      name: 'Remote',
      colour: '#3b82f6',
      connection: { kind: 'ssh', host: sshd.host, port: sshd.port, username: sshd.username, privateKeyPath: sshd.clientKeyPath, agentPort: relay.port },
    };
  });
  afterAll(async () => {
    await Promise.all(opened.map((upstream) => upstream.close()));
    await relay?.close();
    await sshd?.close();
    await api?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('refuses an unknown host key, showing the fingerprint ssh-keygen -lf prints, and lets nothing through', async () => {
    const error = await open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownHostKeyError);
    const unknown = error as UnknownSshHostKeyError;
    expect(unknown.fingerprint).toBe(await sshd.hostFingerprint());
    expect(unknown.algorithm).toBe('ssh-ed25519');
    expect(unknown.hostKey.key).toBe((await readFile(sshd.hostPublicKeyPath, 'utf8')).split(' ')[1]);
    expect(knownHosts.pending('remote')).toEqual(unknown.hostKey);
    expect(relay.count()).toBe(0);
    await knownHosts.trustPending('remote', unknown.fingerprint);
  });

  it('after trust, reaches the agent over HTTP, with the typed client and over WebSocket', async () => {
    const upstream = await open();
    expect(upstream.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const answer = await fetch(`${upstream.origin}/api/v1/info`, { headers: { authorization: `Bearer ${api.sessions.viewer.accessToken}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual(api.agent.info());

    await api.client('admin').call('queues.create', { body: { name: 'through-ssh' } });
    const client = createApiClient({ baseUrl: upstream.origin, authorization: () => `Bearer ${api.sessions.admin.accessToken}` });
    const { queues } = await client.call('queues.list', {});
    expect(queues.map((queue) => queue.definition.name)).toContain('through-ssh');
    await expect(createApiClient({ baseUrl: upstream.origin }).call('queues.list', {})).rejects.toMatchObject({ status: 401 });

    const events = await signedInEventSocket(upstream.origin, api.sessions.admin.accessToken);
    await events.close();
    expect(relay.count()).toBeGreaterThan(1);
  });

  it('close() ends the local server, the forwarded connections and the SSH connection', async () => {
    const before = await connectionsTo(sshd.port);
    const upstream = await open();
    const port = Number(new URL(upstream.origin).port);
    expect(await connectionsTo(sshd.port)).toBe(before + 1);
    const held = connect(port, '127.0.0.1');
    const heldClosed = new Promise((resolve) => held.once('close', resolve));
    held.on('error', () => undefined);
    await new Promise((resolve) => held.once('connect', resolve));
    await until(() => relay.count() > 0 && (upstream as SshUpstream).lastError === null, { message: 'the held connection to be forwarded' });

    await upstream.close();
    await heldClosed;
    expect(await refuses(port)).toBe(true);
    await until(async () => (await connectionsTo(sshd.port)) === before, { message: 'the SSH connection to close' });
  });

  it('reconnects on the next request after the SSH connection dropped', async () => {
    const upstream = (await open()) as SshUpstream;
    const client = createApiClient({ baseUrl: upstream.origin, authorization: () => `Bearer ${api.sessions.viewer.accessToken}` });
    expect((await client.call('info.get', {})).agentId).toBe(api.agent.agentId);
    await sshd.restart();
    await until(() => !upstream.connected, { message: 'the tunnel to notice the drop' });
    expect((await client.call('info.get', {})).agentId).toBe(api.agent.agentId);
    expect(upstream.connected).toBe(true);
  });

  it('refuses a changed host key, on a new tunnel and on reconnection, and lets nothing reach the agent', async () => {
    const existing = (await open()) as SshUpstream;
    const trusted = (await knownHosts.lookup('remote'))!;
    await sshd.restart({ newHostKey: true });
    await until(() => !existing.connected, { message: 'the tunnel to notice the drop' });
    const reached = relay.count();

    const error = await open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChangedHostKeyError);
    expect((error as ChangedHostKeyError).expected).toBe(trusted.fingerprint);
    expect((error as ChangedHostKeyError).received).toBe(await sshd.hostFingerprint());
    expect((error as Error).message).toMatch(/refusing to connect/);

    await expect(fetch(`${existing.origin}/api/v1/info`, { headers: { authorization: `Bearer ${api.sessions.viewer.accessToken}` } })).rejects.toThrow();
    expect(existing.lastError).toBeInstanceOf(ChangedHostKeyError);
    expect(existing.connected).toBe(false);
    expect(relay.count()).toBe(reached);
    expect(await knownHosts.lookup('remote')).toEqual(trusted);
  });
});
