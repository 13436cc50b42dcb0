import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../shared/clusters.js';
import { gatewaySecretHeader } from '../../../shared/gateway.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { sshdUnavailable, startTestSshd, type TestSshd } from '../../helpers/sshd.js';
import { until } from '../../helpers/until.js';
import { rawRequest, startGatewayHarness, type GatewayHarness } from '../gateway/gatewayHarness.js';

const skipReason = keyringSkipReason();
if (skipReason) console.warn(`ClusterService.test.ts: ${skipReason}`);
const sshSkipReason = sshdUnavailable();
if (sshSkipReason) console.warn(`ClusterService.test.ts: the SSH host key test is skipped: ${sshSkipReason}`);

const colour = '#3b82f6';

describe.skipIf(skipReason !== '')(`ClusterService (what the IPC layer calls)${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let api: ApiTestAgent;
  let harness: GatewayHarness;
  const changes: ClusterView[][] = [];

  beforeAll(async () => {
    keyring = await startKeyring();
    api = await startApiTestAgent();
    harness = await startGatewayHarness();
    harness.service.onChange((clusters) => changes.push(clusters));
  });
  afterAll(async () => {
    await harness?.close();
    await api?.close();
    await keyring?.close();
  });

  const get = (id: string) => rawRequest(harness.gateway.origin, `/c/${id}/api/v1/queues`, { headers: { [gatewaySecretHeader]: harness.gateway.secret } });

  it('lists every cluster with its credential, principal and health, and tells listeners of each change', async () => {
    const added = await harness.service.add({ name: 'Main', colour, connection: { kind: 'direct', url: api.url } });
    expect(added).toEqual({
      profile: { id: 'main', name: 'Main', colour, connection: { kind: 'direct', url: api.url } },
      credential: 'none',
      principal: null,
      pendingHostKey: null,
      health: { state: 'unknown', lastSeenAt: null, checkedAt: null, problem: null, agentVersion: null, completedPerMinute: null, failedPerMinute: null, dead: null },
    });
    await until(() => changes.at(-1)?.some((view) => view.profile.id === 'main'), { message: 'a change with the new cluster' });

    await harness.service.signIn('main', { username: 'viewer-user', password: testPassword('viewer') });
    await until(() => changes.at(-1)?.find((view) => view.profile.id === 'main')?.credential === 'session', { message: 'a change with the session' });
    expect(harness.service.list()).toMatchObject([{ profile: { id: 'main' }, credential: 'session', principal: { name: 'viewer-user', role: 'viewer' } }]);
    await expect(harness.service.signIn('main', { username: 'viewer-user', password: 'wrong password here' })).rejects.toThrow('wrong username or password');
    // A failed sign-in keeps the session there was.
    expect(harness.service.list()[0]).toMatchObject({ credential: 'session', principal: { name: 'viewer-user' } });

    const updated = await harness.service.update('main', { name: 'Main cluster', colour: '#ef4444', connection: { kind: 'direct', url: api.url } });
    expect(updated.profile).toMatchObject({ id: 'main', name: 'Main cluster', colour: '#ef4444' });
    await until(() => changes.at(-1)?.find((view) => view.profile.id === 'main')?.profile.name === 'Main cluster', { message: 'a change with the new name' });
    await expect(harness.service.signOut('nowhere')).rejects.toThrow('there is no cluster nowhere');
  });

  it('after a restart, finds the stored session in the keychain and learns who it is from the agent', async () => {
    await harness.service.signIn('main', { username: 'operator-user', password: testPassword('operator') });
    const restarted = await startGatewayHarness({ folder: harness.folder });
    try {
      expect(restarted.service.list()[0]).toMatchObject({ credential: 'session' });
      await until(() => restarted.service.list()[0]?.principal?.name === 'operator-user', { message: 'the principal of the stored session' });
      expect((await rawRequest(restarted.gateway.origin, '/c/main/api/v1/queues', { headers: { [gatewaySecretHeader]: restarted.gateway.secret } })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('removes a cluster: revokes its session, deletes its secrets and its profile', async () => {
    await harness.service.add({ name: 'Doomed', colour, connection: { kind: 'direct', url: api.url } });
    await harness.service.signIn('doomed', { username: 'operator-user', password: testPassword('operator') });
    const token = (await harness.secrets.get('doomed', 'refreshToken'))!;
    await harness.service.remove('doomed');
    expect(harness.service.list().map((view) => view.profile.id)).toEqual(['main']);
    expect(await harness.secrets.get('doomed', 'refreshToken')).toBeUndefined();
    expect(await readFile(join(harness.folder, 'clusters.json'), 'utf8')).not.toContain('doomed');
    await refused(api.client().call('auth.refresh', { body: { refreshToken: token } }), 401);
    expect((await get('doomed')).status).toBe(404);
  });

  it('exports and imports profiles through the service, the imported ones with no credential', async () => {
    const path = join(harness.folder, 'exported.json');
    expect(await harness.service.exportProfiles(path)).toBe(1);
    expect(await harness.service.importProfiles(path)).toBe(1);
    expect(harness.service.list().map((view) => [view.profile.id, view.profile.name, view.credential])).toEqual([
      ['main', 'Main cluster', 'session'],
      ['main-cluster-2', 'Main cluster (2)', 'none'],
    ]);
    expect((await get('main-cluster-2')).status).toBe(401);
  });

  it("sets up an agent that waits for its first admin, with the agent's setup token, and signs in as them", async () => {
    const fresh = await startApiTestAgent({ withUsers: false });
    try {
      await harness.service.add({ name: 'Fresh', colour, connection: { kind: 'direct', url: fresh.url } });
      const credentials = { username: 'first-admin', password: 'correct horse battery staple' };
      await expect(harness.service.setUp('fresh', credentials, 'not-the-token')).rejects.toThrow();
      const view = await harness.service.setUp('fresh', credentials, fresh.agent.setupToken!);
      expect(view).toMatchObject({ credential: 'session', principal: { name: 'first-admin', role: 'admin' } });
      const answer = await rawRequest(harness.gateway.origin, '/c/fresh/api/v1/users', { headers: { [gatewaySecretHeader]: harness.gateway.secret } });
      expect(JSON.parse(answer.body)).toMatchObject({ users: [{ username: 'first-admin', role: 'admin' }] });
      await harness.service.remove('fresh');
    } finally {
      await fresh.close();
    }
  });

  describe.skipIf(sshSkipReason !== null)(`over SSH${sshSkipReason ? ` — skipped: ${sshSkipReason}` : ''}`, () => {
    let sshd: TestSshd;
    beforeAll(async () => {
      sshd = await startTestSshd();
    });
    afterAll(async () => sshd?.close());

    it('shows an unknown host key until the user trusts it, then tunnels; a changed key is refused', async () => {
      const connection = { kind: 'ssh' as const, host: sshd.host, port: sshd.port, username: sshd.username, privateKeyPath: sshd.clientKeyPath, agentPort: Number(new URL(api.url).port) };
      await harness.service.add({ name: 'Remote', colour, connection });
      await expect(harness.service.signIn('remote', { username: 'operator-user', password: testPassword('operator') })).rejects.toThrow(/is not known yet: confirm it to connect/);
      const fingerprint = await sshd.hostFingerprint();
      const pending = harness.service.list().find((view) => view.profile.id === 'remote')!;
      expect(pending.pendingHostKey).toEqual({ fingerprint, algorithm: 'ssh-ed25519' });
      await expect(harness.service.trustHostKey('remote', 'SHA256:somethingElse')).rejects.toThrow(`is ${fingerprint}, not SHA256:somethingElse`);

      expect(await harness.service.trustHostKey('remote', fingerprint)).toMatchObject({ pendingHostKey: null });
      const view = await harness.service.signIn('remote', { username: 'operator-user', password: testPassword('operator') });
      expect(view).toMatchObject({ credential: 'session', principal: { name: 'operator-user' } });
      expect((await get('remote')).status).toBe(200);

      await sshd.restart({ newHostKey: true });
      const refusal = await until(
        async () => {
          const answer = await get('remote');
          return answer.error?.message.includes('the SSH host key changed') ? answer : undefined;
        },
        { message: 'the changed host key to be refused', intervalMs: 100 },
      );
      expect(refusal.status).toBe(502);
      expect(refusal.error?.message).toMatch(/^cluster Remote: the SSH host key changed \(trusted SHA256:.+, received SHA256:.+\): refusing to connect/);
      expect(harness.service.list().find((entry) => entry.profile.id === 'remote')).toMatchObject({ pendingHostKey: null, health: { state: 'down', problem: expect.stringContaining('refusing to connect') } });
      await harness.service.remove('remote');
      expect(await harness.knownHosts.lookup('remote')).toBeNull();
    });

    it("keeps an SSH key's passphrase in the keychain and connects with it", async () => {
      const lockedKey = await sshd.generateClientKey({ name: 'locked', passphrase: 'open sesame' });
      const connection = { kind: 'ssh' as const, host: sshd.host, port: sshd.port, username: sshd.username, privateKeyPath: lockedKey, agentPort: Number(new URL(api.url).port) };
      await harness.service.add({ name: 'Locked', colour, connection });
      const signIn = () => harness.service.signIn('locked', { username: 'operator-user', password: testPassword('operator') });
      let failure = await signIn().catch((error: Error) => error);
      const pending = harness.service.list().find((view) => view.profile.id === 'locked')!.pendingHostKey;
      if (pending) {
        await harness.service.trustHostKey('locked', pending.fingerprint);
        failure = await signIn().catch((error: Error) => error);
      }
      expect(String(failure)).toContain('is protected by a passphrase and none is stored for this cluster');

      await expect(harness.service.setKeyPassphrase('main', 'irrelevant')).rejects.toThrow('cluster Main cluster is not reached over SSH');
      await harness.service.setKeyPassphrase('locked', 'open sesame');
      expect(await harness.secrets.get('locked', 'sshPassphrase')).toBe('open sesame');
      const trusted = await signIn().catch(async (error: Error) => {
        const waiting = harness.service.list().find((view) => view.profile.id === 'locked')!.pendingHostKey;
        if (!waiting) throw error;
        await harness.service.trustHostKey('locked', waiting.fingerprint);
        return signIn();
      });
      expect(trusted).toMatchObject({ credential: 'session', pendingHostKey: null });
      expect((await get('locked')).status).toBe(200);

      await harness.service.remove('locked');
      expect(await harness.secrets.get('locked', 'sshPassphrase')).toBeUndefined();
    });
  });
});
