import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../../../electron/main/clusters/ClusterRegistry.js';
import { ClusterService } from '../../../electron/main/clusters/ClusterService.js';
import { startGateway, type Gateway } from '../../../electron/main/gateway/startGateway.js';
import { HealthMonitor } from '../../../electron/main/health/HealthMonitor.js';
import { KeychainSecretStore } from '../../../electron/main/secrets/KeychainSecretStore.js';
import { KnownHosts } from '../../../electron/main/ssh/KnownHosts.js';
import { sshUpstreamOpener } from '../../../electron/main/ssh/sshUpstreamOpener.js';
import { clusterBasePath, gatewaySecretCookie } from '../../../shared/gateway.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { browserSkipReason, launchChromium } from '../../helpers/consoleBrowser.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { sshdUnavailable, startTestSshd, type TestSshd } from '../../helpers/sshd.js';
import { until } from '../../helpers/until.js';
import { startCountingRelay, type CountingRelay } from './countingRelay.js';

const skipReason = sshdUnavailable() ?? browserSkipReason ?? (keyringSkipReason() || null);
if (skipReason) console.warn(`skipping page → gateway → SSH tunnel → agent: ${skipReason}`);

/** What a page's `fetch` of a same-origin path answered. */
interface PageAnswer {
  status: number;
  body: { queues?: Array<{ definition: { name: string } }>; error?: { message: string } };
}

const pageFetch = (page: Page, path: string) =>
  page.evaluate(async (url) => {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  }, path) as Promise<PageAnswer>;

describe.skipIf(skipReason)('a page reaches an agent through the gateway and an SSH tunnel', () => {
  let keyring: TestKeyring;
  let api: ApiTestAgent;
  let sshd: TestSshd;
  let relay: CountingRelay;
  let folder: string;
  let service: ClusterService;
  let health: HealthMonitor;
  let gateway: Gateway;
  let browser: Browser;
  let page: Page;
  let clusterId: string;

  beforeAll(async () => {
    keyring = await startKeyring();
    [api, sshd, browser] = await Promise.all([startApiTestAgent(), startTestSshd(), launchChromium()]);
    relay = await startCountingRelay(Number(new URL(api.url).port));
    await api.client('admin').call('queues.create', { body: { name: 'tunnelled' } });

    folder = await mkdtemp(join(tmpdir(), 'switchyard-gateway-ssh-'));
    const rendererDirectory = join(folder, 'renderer');
    await mkdir(join(rendererDirectory, 'assets'), { recursive: true });
    await writeFile(join(rendererDirectory, 'index.html'), '<!doctype html><title>fixture renderer</title>');
    const secrets = await KeychainSecretStore.open();
    const knownHosts = new KnownHosts(join(folder, 'known-ssh-hosts.json'));
    health = new HealthMonitor({ targets: () => [] });
    service = await ClusterService.open({
      registry: await ClusterRegistry.open(join(folder, 'clusters.json'), secrets),
      secrets,
      openers: { ssh: sshUpstreamOpener({ knownHosts, passphrase: (id) => secrets.get(id, 'sshPassphrase'), readyTimeoutMs: 10_000 }) },
      hostKeys: knownHosts,
      health: (id) => health.health(id),
    });
    gateway = await startGateway({ clusters: (id) => service.link(id), rendererDirectory });

    const context = await browser.newContext();
    await context.addCookies([{ name: gatewaySecretCookie, value: gateway.secret, url: gateway.origin, httpOnly: true, sameSite: 'Strict' }]);
    page = await context.newPage();
    await page.goto(gateway.origin);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await service?.close();
    await health?.close();
    await relay?.close();
    await sshd?.close();
    await api?.close();
    await keyring?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('asks for the passphrase, then for the host key, then signs in and serves the page over HTTP and WebSocket', async () => {
    const lockedKey = await sshd.generateClientKey({ name: 'desktop', passphrase: 'tunnel passphrase' });
    const added = await service.add({
      name: 'Remote',
      colour: '#3b82f6',
      connection: { kind: 'ssh', host: sshd.host, port: sshd.port, username: sshd.username, privateKeyPath: lockedKey, agentPort: relay.port },
    });
    clusterId = added.profile.id;
    const credentials = { username: api.users.operator.username, password: testPassword('operator') };

    await expect(service.signIn(clusterId, credentials)).rejects.toThrow(/protected by a passphrase and none is stored/);
    await service.setKeyPassphrase(clusterId, 'tunnel passphrase');
    await expect(service.signIn(clusterId, credentials)).rejects.toThrow(/is not known yet: confirm it/);
    const pending = service.list().find((view) => view.profile.id === clusterId)?.pendingHostKey;
    expect(pending).toEqual({ fingerprint: await sshd.hostFingerprint(), algorithm: 'ssh-ed25519' });
    expect(relay.count()).toBe(0);

    await service.trustHostKey(clusterId, pending!.fingerprint);
    await service.signIn(clusterId, credentials);

    const answer = await pageFetch(page, `${clusterBasePath(clusterId)}/api/v1/queues`);
    expect(answer.status).toBe(200);
    expect(answer.body.queues?.map((queue) => queue.definition.name)).toContain('tunnelled');

    const firstMessage = await page.evaluate(
      (url) =>
        new Promise<string>((resolve, reject) => {
          const socket = new WebSocket(url);
          socket.onmessage = (event) => {
            resolve(String(event.data));
            socket.close();
          };
          socket.onerror = () => reject(new Error('the event stream failed'));
        }),
      `${gateway.origin.replace(/^http/, 'ws')}${clusterBasePath(clusterId)}/api/v1/events`,
    );
    expect(JSON.parse(firstMessage)).toMatchObject({ type: 'authenticated' });
  });

  it('refuses the tunnel once the host key changed, telling the page, and lets nothing reach the agent', async () => {
    await sshd.restart({ newHostKey: true });
    const reached = relay.count();
    const refused = await until(
      async () => {
        const answer = await pageFetch(page, `${clusterBasePath(clusterId)}/api/v1/queues`);
        return answer.status === 502 && /host key changed/.test(answer.body.error?.message ?? '') ? answer : null;
      },
      { message: 'the gateway to report the changed host key' },
    );
    expect(refused.body.error?.message).toContain(`received ${await sshd.hostFingerprint()}`);
    expect(service.list().find((view) => view.profile.id === clusterId)?.pendingHostKey).toBeNull();
    expect(relay.count()).toBe(reached);
  });
});
