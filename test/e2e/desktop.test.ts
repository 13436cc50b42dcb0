/**
 * The renderer's desktop mode in a real browser. The Electron binary is missing here, so Chromium
 * (driven by playwright-core) loads the renderer from a test main process that plays the app's
 * part (test/helpers/mainProcessStandIn.ts): the real ClusterRegistry, ClusterService,
 * HealthMonitor and gateway of electron/main, the gateway routing `/c/<id>/…` to real agents from
 * `startApiTestAgent()` with each cluster's credential, and a `window.app` that forwards to that
 * ClusterService in place of Electron's preload and IPC (secrets in memory there, not in a
 * keychain). Screenshots go to test-results/.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Outcome } from '../../agent/engine/Engine.js';
import { ApiError } from '../../shared/api/client.js';
import { clusterExportFile, localClusterId, type ClusterInput } from '../../shared/clusters.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { startMainProcessStandIn, type MainProcessStandIn } from '../helpers/mainProcessStandIn.js';
import { sshdUnavailable, startTestSshd } from '../helpers/sshd.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/desktop.test.ts skipped: ${browserSkipReason}`);
const noSshd = sshdUnavailable();
if (noSshd) console.warn(`test/e2e/desktop.test.ts: the SSH host key scenario is skipped: ${noSshd}`);

const rendererDirectory = join(import.meta.dirname, '../../out/renderer');
const direct = (name: string, url: string, colour: string): ClusterInput => ({ name, colour, connection: { kind: 'direct', url } });

describe.skipIf(browserSkipReason !== null)(`the desktop app's renderer in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let alpha: ApiTestAgent;
  let beta: ApiTestAgent;
  /** The agent the "down" scenario stops. */
  let gamma: ApiTestAgent;
  let main: MainProcessStandIn;
  let browser: Browser;

  beforeAll(async () => {
    await ensureRendererBuilt();
    [alpha, beta, gamma] = await Promise.all([startApiTestAgent(), startApiTestAgent(), startApiTestAgent()]);
    await alpha.client('operator').call('queues.create', { body: { name: 'alpha-mail' } });
    await beta.client('operator').call('queues.create', { body: { name: 'beta-billing' } });
    await makeDeadTask(gamma);
    main = await startMainProcessStandIn({ rendererDirectory });
    for (const input of [direct('Alpha', alpha.url, '#2f81f7'), direct('Beta', beta.url, '#d1242f'), direct('Gamma', gamma.url, '#1a7f37')]) {
      const { profile } = await main.service.add(input);
      await main.service.signIn(profile.id, { username: 'operator-user', password: testPassword('operator') });
    }
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await main?.close();
    await Promise.all([alpha?.close(), beta?.close(), gamma?.close()]);
  });

  const openApp = () => main.openWindow(browser);
  const card = (page: Page, id: string) => page.locator(`li[data-cluster="${id}"]`);

  it('lists every cluster with its status, agent version and numbers', async () => {
    const { page, problems } = await openApp();
    await page.keyboard.press('Control+Shift+K');
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    const version = (await alpha.client('viewer').call('info.get', {})).version;
    for (const id of ['alpha', 'beta', 'gamma']) {
      await until(async () => (await card(page, id).getAttribute('data-status')) === 'up', { message: `${id} to show up` });
      await until(async () => (await card(page, id).getByTestId('agent-version').textContent()) === version, { message: `${id}'s agent version` });
    }
    await until(async () => (await card(page, 'gamma').getByTestId('dead-count').textContent()) === '1', { message: "gamma's dead task to be counted" });
    expect(await card(page, 'beta').locator('.cluster-connection').textContent()).toBe(beta.url);
    expect(await card(page, 'alpha').locator('.cluster-credential').textContent()).toBe('signed in as operator-user (operator)');
    await screenshot(page, 'desktop-clusters');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it("switches cluster with Ctrl+Shift+2 and shows that cluster's queues", async () => {
    const { page, problems } = await openApp();
    await page.getByTestId('current-user').filter({ hasText: 'operator' }).waitFor();
    expect(await page.getByTestId('active-cluster').inputValue()).toBe('alpha');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Queues' }).click();
    await page.locator('tr[data-queue="alpha-mail"]').waitFor();

    await page.keyboard.press('Control+Shift+2');
    await page.locator('tr[data-queue="beta-billing"]').waitFor();
    expect(await page.locator('tr[data-queue="alpha-mail"]').count()).toBe(0);
    expect(await page.getByTestId('active-cluster').inputValue()).toBe('beta');
    await screenshot(page, 'desktop-switched-to-beta');

    await page.keyboard.press('Control+Shift+1');
    await page.locator('tr[data-queue="alpha-mail"]').waitFor();
    expect(await page.locator('tr[data-queue="beta-billing"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('asks to sign in to a cluster without credentials; a viewer then sees no control that changes anything', async () => {
    const { profile } = await main.service.add(direct('Alpha viewer seat', alpha.url, '#8250df'));
    const { page, problems } = await openApp();
    const position = main.service.list().findIndex((cluster) => cluster.profile.id === profile.id) + 1;
    await page.keyboard.press(`Control+Shift+${position}`);
    await page.getByRole('heading', { name: 'Sign in to Alpha viewer seat' }).waitFor();
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await screenshot(page, 'desktop-sign-in');

    const expected = await alpha
      .client()
      .call('auth.login', { body: { username: 'viewer-user', password: 'not the password' } })
      .then(
        () => undefined,
        (error: unknown) => (error instanceof ApiError ? error.message : undefined),
      );
    await signIn(page, 'viewer', 'not the password');
    await page.getByRole('alert').filter({ hasText: expected }).waitFor();

    await signIn(page, 'viewer');
    await page.getByTestId('current-user').filter({ hasText: 'viewer' }).waitFor();
    expect(main.service.list().find((cluster) => cluster.profile.id === profile.id)?.principal).toEqual({ name: 'viewer-user', role: 'viewer' });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Queues' }).click();
    await page.locator('tr[data-queue="alpha-mail"]').waitFor();
    await screenshot(page, 'desktop-viewer');
    expect(await page.getByRole('button', { name: /pause|resume|create|drain|delete|edit/i }).count()).toBe(0);
    expect(await page.locator('input[name="queueName"]').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Alpha viewer seat' }).waitFor();
    expect(main.service.list().find((cluster) => cluster.profile.id === profile.id)?.credential).toBe('none');
    expect(await page.evaluate(() => window.localStorage.length + window.sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
    await main.service.remove(profile.id);
    await page.context().close();
  }, 30_000);

  it('uses an API key for a cluster, kept by the main process and never shown again', async () => {
    const { key } = await beta.client('admin').call('keys.create', { body: { name: 'desktop-e2e-key', scopes: ['read'] } });
    const { profile } = await main.service.add(direct('Beta by key', beta.url, '#bf8700'));
    const { page, problems } = await openApp();
    await page.getByTestId('active-cluster').selectOption(profile.id);
    await page.getByRole('button', { name: 'Use an API key instead' }).click();
    await page.getByRole('textbox', { name: 'API key' }).fill(key);
    await page.getByRole('button', { name: 'Use API key' }).click();
    await page.getByTestId('current-user').filter({ hasText: 'desktop-e2e-key' }).waitFor();
    expect(main.service.list().find((cluster) => cluster.profile.id === profile.id)?.credential).toBe('apiKey');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Queues' }).click();
    await page.locator('tr[data-queue="beta-billing"]').waitFor();
    expect(await page.content()).not.toContain(key);
    expect(problems).toEqual([]);
    await main.service.remove(profile.id);
    await page.context().close();
  }, 30_000);

  it('checks a new cluster with the profile schema, adds it, and removes it after confirmation', async () => {
    const before = main.service.list().map((cluster) => cluster.profile.id);
    const { page, problems } = await openApp();
    await page.keyboard.press('Control+Shift+K');
    await page.getByRole('button', { name: 'Add cluster' }).click();
    const form = page.getByRole('form', { name: 'Add cluster' });
    await form.getByLabel('Agent URL').fill('ftp://queue.example');
    await form.getByRole('button', { name: 'Add cluster' }).click();
    await form.getByText('name must not be empty').waitFor();
    await form.getByText('url must be an http:// or https:// address').waitFor();
    await screenshot(page, 'desktop-add-cluster-invalid');
    expect(main.service.list().map((cluster) => cluster.profile.id)).toEqual(before);

    await form.getByLabel('Name').fill('Beta again');
    await form.getByLabel('Agent URL').fill(beta.url);
    await form.getByRole('button', { name: 'Add cluster' }).click();
    const added = card(page, 'beta-again');
    await until(async () => (await added.getAttribute('data-status')) === 'up', { message: 'the added cluster to be checked' });
    expect(await added.locator('.cluster-credential').textContent()).toBe('not signed in');

    await added.getByRole('button', { name: 'Remove' }).click();
    await added.getByRole('button', { name: 'Remove Beta again' }).click();
    await until(async () => (await added.count()) === 0, { message: 'the removed cluster to leave the list' });
    expect(main.service.list().map((cluster) => cluster.profile.id)).toEqual(before);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('exports the profiles without secrets and imports them back', async () => {
    const before = main.service.list().map((cluster) => cluster.profile.id);
    const file = join(tmpdir(), `switchyard-desktop-e2e-${process.pid}.json`);
    main.dialogPath = file;
    const { page, problems } = await openApp();
    await page.keyboard.press('Control+Shift+K');
    await page.getByRole('button', { name: 'Export profiles' }).click();
    await page.getByRole('status').filter({ hasText: `Exported ${before.length} profiles to ${file} (no secrets).` }).waitFor();
    const text = await readFile(file, 'utf8');
    expect(clusterExportFile.parse(JSON.parse(text)).clusters.map((cluster) => cluster.name)).toEqual(main.service.list().map((cluster) => cluster.profile.name));
    expect(text).not.toMatch(/eyJ|correct horse|refreshToken/);

    await page.getByRole('button', { name: 'Import profiles' }).click();
    await page.getByRole('status').filter({ hasText: `Imported ${before.length} profiles. Sign in to each.` }).waitFor();
    await until(async () => (await page.locator('li[data-cluster]').count()) === before.length * 2, { message: 'the imported profiles to be listed' });
    const imported = main.service.list().filter((cluster) => !before.includes(cluster.profile.id));
    expect(imported.map((cluster) => cluster.credential)).toEqual(before.map(() => 'none'));
    for (const cluster of imported) await main.service.remove(cluster.profile.id);
    main.dialogPath = null;
    await rm(file, { force: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it.skipIf(noSshd !== null)('asks to confirm an unknown SSH host key, connects once trusted, and refuses a changed one', async () => {
    const sshd = await startTestSshd();
    try {
      const { page, problems } = await openApp();
      await page.keyboard.press('Control+Shift+K');
      await page.getByRole('button', { name: 'Add cluster' }).click();
      const form = page.getByRole('form', { name: 'Add cluster' });
      await form.getByLabel('Name').fill('Alpha over SSH');
      await form.getByLabel('SSH tunnel').check();
      await form.getByLabel('SSH host').fill(sshd.host);
      await form.getByLabel('SSH port').fill(String(sshd.port));
      await form.getByLabel('SSH user').fill(sshd.username);
      await form.getByLabel('Private key file').fill(sshd.clientKeyPath);
      await form.getByLabel('Agent port on the host').fill(new URL(alpha.url).port);
      await form.getByRole('button', { name: 'Add cluster' }).click();
      const remote = card(page, 'alpha-over-ssh');
      expect(await remote.locator('.cluster-connection').textContent()).toBe(`ssh ${sshd.username}@${sshd.host}:${sshd.port} → agent port ${new URL(alpha.url).port}`);

      const prompt = remote.getByRole('region', { name: 'Unknown host key' });
      await prompt.getByTestId('host-key-fingerprint').filter({ hasText: await sshd.hostFingerprint() }).waitFor();
      expect(await prompt.textContent()).toContain('ssh-ed25519');
      await screenshot(page, 'desktop-unknown-host-key');
      await prompt.getByRole('button', { name: 'Trust and connect' }).click();
      await prompt.waitFor({ state: 'detached' });

      await remote.getByRole('button', { name: 'Sign in' }).click();
      await remote.getByLabel('Username').fill('operator-user');
      await remote.getByLabel('Password').fill(testPassword('operator'));
      await remote.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
      await remote.locator('.cluster-credential').filter({ hasText: 'signed in as operator-user (operator)' }).waitFor();
      await until(async () => (await remote.getAttribute('data-status')) === 'up', { message: 'the SSH cluster to show up', timeoutMs: 15_000 });

      await sshd.restart({ newHostKey: true });
      await remote.locator('.cluster-problem').filter({ hasText: 'the SSH host key changed' }).waitFor({ timeout: 20_000 });
      expect(await remote.getAttribute('data-status')).toBe('down');
      expect(await remote.getByRole('button', { name: 'Trust and connect' }).count()).toBe(0);
      await screenshot(page, 'desktop-changed-host-key');
      expect(problems).toEqual([]);
      await page.context().close();
    } finally {
      await main.service.remove('alpha-over-ssh').catch(() => undefined);
      await sshd.close();
    }
  }, 60_000);

  it('shows the last known values of a cluster that went down, marked stale', async () => {
    const { page, problems } = await openApp();
    await page.keyboard.press('Control+Shift+K');
    const down = card(page, 'gamma');
    await until(async () => (await down.getByTestId('dead-count').textContent()) === '1', { message: "gamma's dead count" });
    await gamma.agent.close();
    await until(async () => (await down.getAttribute('data-status')) === 'down', { message: 'gamma to show down', timeoutMs: 15_000 });
    await down.locator('.stale-note').filter({ hasText: /^stale · last seen (just now|\d+ s ago)$/ }).waitFor();
    expect(await down.getByTestId('dead-count').textContent()).toBe('1');
    expect(await down.locator('.cluster-problem').textContent()).toBeTruthy();
    expect(await page.getByTestId('active-cluster').locator('option[value="gamma"]').textContent()).toContain('(down)');
    await screenshot(page, 'desktop-cluster-down');
    await page.keyboard.press('Control+Shift+3');
    await page.getByRole('status').filter({ hasText: /^Gamma does not answer: .+ stale · last seen .+ The app keeps trying\.$/ }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('creates the first admin of This computer from its sign-in gate, and opens it first', async () => {
    const fresh = await startApiTestAgent({ withUsers: false });
    try {
      expect(fresh.agent.setupToken).toBeTruthy();
      main.setupTokens.set(localClusterId, fresh.agent.setupToken!);
      await main.service.add(direct('This computer', fresh.url, '#6e7781'), localClusterId);
      const { page, problems } = await openApp();
      await page.getByRole('heading', { name: 'Sign in to This computer' }).waitFor();
      await page.getByRole('button', { name: 'First start: create the first admin' }).click();
      const form = page.getByRole('form', { name: 'Create the first admin' });
      await form.getByLabel('Username').fill('first-admin');
      await form.getByLabel('Password').fill('a long passphrase for the first admin');
      await form.getByRole('button', { name: 'Create admin and sign in' }).click();
      await page.getByTestId('current-user').filter({ hasText: 'first-admin' }).waitFor();
      expect(await page.getByTestId('current-user').textContent()).toContain('admin');
      expect(await page.getByTestId('active-cluster').inputValue()).toBe(localClusterId);
      const admin = await fresh.client().call('auth.login', { body: { username: 'first-admin', password: 'a long passphrase for the first admin' } });
      expect(admin.user.role).toBe('admin');
      await screenshot(page, 'desktop-first-admin');
      expect(problems).toEqual([]);
      await page.context().close();
    } finally {
      await main.service.remove(localClusterId).catch(() => undefined);
      await fresh.close();
    }
  }, 60_000);
});

/** One task in a queue with one attempt, failed by a worker, so the agent counts it dead. */
async function makeDeadTask(api: ApiTestAgent): Promise<void> {
  const operator = api.client('operator');
  await operator.call('queues.create', { body: { name: 'gamma-billing', retry: { maxAttempts: 1 } } });
  await operator.call('tasks.enqueue', { params: { name: 'gamma-billing' }, body: { type: 'bill' } });
  const claimed = await api.agent.engine.claim('gamma-billing', { workerId: 'desktop-e2e', max: 1, leaseMs: 60_000 });
  const failure: Outcome[] = claimed.tasks.map((task) => ({ id: task.id, token: task.token, status: 'failed', error: { message: 'card declined' }, retryDelayMs: 0 }));
  await api.agent.engine.acknowledge('gamma-billing', failure);
}
