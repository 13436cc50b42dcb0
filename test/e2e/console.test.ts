/**
 * The web console in a real browser: the agent serves the built renderer and Chromium (driven by
 * playwright-core, never a downloaded browser) signs in and works the Queues and Tasks views.
 * Skips, saying so, where /usr/bin/chromium is missing. Screenshots go to test-results/.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../agent/engine/Engine.js';
import { ApiError } from '../../shared/api/client.js';
import type { Role } from '../../shared/security/permissions.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../helpers/apiAgent.js';
import { until } from '../helpers/until.js';

const chromiumPath = '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const root = resolve(import.meta.dirname, '../..');
const rendererOutput = join(root, 'out/renderer/index.html');
const screenshots = join(root, 'test-results');

if (!haveChromium) console.warn(`test/e2e/console.test.ts skipped: ${chromiumPath} is missing (install the distribution's chromium package)`);

/** The newest modification time of any file under `folder`. */
async function newestChange(folder: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** Builds the renderer into out/renderer unless the build there is newer than its sources. */
async function ensureRendererBuilt(): Promise<void> {
  const built = existsSync(rendererOutput) ? (await stat(rendererOutput)).mtimeMs : 0;
  const sources = Math.max(await newestChange(join(root, 'renderer')), await newestChange(join(root, 'shared')));
  if (built > sources) return;
  await promisify(execFile)(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, timeout: 60_000 });
}

describe.skipIf(!haveChromium)(`the web console in Chromium${haveChromium ? '' : ` (skipped: ${chromiumPath} is missing)`}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;
  const queue = 'e2e-mail';
  /** A queue whose tasks get one attempt, so the one failure `beforeAll` records makes a task dead. */
  const billing = 'e2e-billing';
  let deadTaskId: string;

  beforeAll(async () => {
    await Promise.all([ensureRendererBuilt(), mkdir(screenshots, { recursive: true })]);
    api = await startApiTestAgent();
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: queue } });
    for (const type of ['send', 'send']) await operator.call('tasks.enqueue', { params: { name: queue }, body: { type } });
    await operator.call('queues.create', { body: { name: billing, retry: { maxAttempts: 1 } } });
    deadTaskId = (await operator.call('tasks.enqueue', { params: { name: billing }, body: { type: 'bill', payload: { invoice: 42 } } })).id;
    const claimed = await api.agent.engine.claim(billing, { workerId: 'e2e-worker', max: 1, leaseMs: 60_000 });
    const failure: Outcome[] = claimed.tasks.map((task) => ({
      id: task.id,
      token: task.token,
      status: 'failed',
      error: { message: 'invoice 42 missing', stack: 'Error: invoice 42 missing\n    at bill (/srv/app/billing.js:10:5)' },
      retryDelayMs: 0,
    }));
    await api.agent.engine.acknowledge(billing, failure);
    expect((await operator.call('tasks.get', { params: { name: billing, id: deadTaskId } })).state).toBe('dead');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** A fresh page (its own in-memory session) that records CSP violations and page errors. */
  async function openConsole({ fakeClock = false } = {}): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (fakeClock) await page.clock.install();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    await page.goto(api.url);
    return { page, problems };
  }

  async function signIn(page: Page, role: Role, password = testPassword(role)): Promise<void> {
    await page.getByLabel('Username').fill(`${role}-user`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const pausedViaApi = async () => (await api.client('viewer').call('queues.get', { params: { name: queue } })).paused;

  it('lets an operator see counts and pause and resume a queue', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await page.getByTestId('current-user').filter({ hasText: 'operator' }).waitFor();
    const row = page.locator(`tr[data-queue="${queue}"]`);
    await row.waitFor();
    await until(async () => (await row.locator('[data-state="queued"]').textContent()) === '2', { message: 'the queued count to show 2' });

    await row.getByRole('button', { name: 'Pause' }).click();
    await until(pausedViaApi, { message: 'the queue to pause' });
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await row.locator('.status').textContent()).toBe('paused');
    await page.screenshot({ path: join(screenshots, 'console-operator-paused.png') });

    await row.getByRole('button', { name: 'Resume' }).click();
    await until(async () => !(await pausedViaApi()), { message: 'the queue to resume' });
    await row.getByRole('button', { name: 'Pause' }).waitFor();

    await page.getByLabel('New queue').fill('e2e-created');
    await page.getByRole('button', { name: 'Create queue' }).click();
    await page.locator('tr[data-queue="e2e-created"]').waitFor();
    expect((await api.client('viewer').call('queues.get', { params: { name: 'e2e-created' } })).definition.name).toBe('e2e-created');
    await page.screenshot({ path: join(screenshots, 'console-operator.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('shows a viewer the queues but no control that changes anything', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'viewer');
    const row = page.locator(`tr[data-queue="${queue}"]`);
    await row.waitFor();
    await page.screenshot({ path: join(screenshots, 'console-viewer.png') });
    expect(await page.getByRole('button', { name: /pause|resume|create/i }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Create queue' }).count()).toBe(0);
    expect(await page.locator('input[name="queueName"]').count()).toBe(0);
    expect(await page.getByRole('button').allTextContents()).toEqual(['Queues', 'Tasks', 'Sign out']);

    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByLabel('Text').fill('invoice 42');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator(`tr[data-task="${deadTaskId}"]`).click();
    await page.getByRole('region', { name: 'Task detail' }).getByText('invoice 42 missing', { exact: true }).waitFor();
    await page.screenshot({ path: join(screenshots, 'console-viewer-tasks.png') });
    expect(await page.getByRole('button', { name: /retry|cancel|promote/i }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('lets an operator find a dead task by its error, read its attempts and retry it', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByLabel('Text').fill('invoice 42');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator(`tr[data-task="${deadTaskId}"]`);
    await row.waitFor();
    expect(await row.locator('.state').textContent()).toBe('dead');

    await row.click();
    const detail = page.getByRole('region', { name: 'Task detail' });
    await detail.getByRole('list', { name: 'Attempts' }).getByText('invoice 42 missing', { exact: true }).waitFor();
    expect(await detail.locator('pre').first().textContent()).toContain('billing.js:10:5');
    await page.screenshot({ path: join(screenshots, 'console-operator-dead-task.png') });

    await detail.getByRole('button', { name: 'Retry' }).click();
    const queuedAgain = async () => {
      const { tasks } = await api.client('viewer').call('tasks.search', { query: { queue: billing, state: 'queued' } });
      return tasks.some((task) => task.type === 'bill');
    };
    await until(queuedAgain, { message: 'the dead task (or its copy) to be queued again' });
    await detail.locator('.state').filter({ hasText: 'queued' }).waitFor();
    await detail.getByRole('button', { name: 'Cancel' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'console-operator-retried.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('rotates the refresh token before the access token expires, and keeps working', async () => {
    const { page, problems } = await openConsole({ fakeClock: true });
    const login = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login'));
    await signIn(page, 'viewer');
    const first = (await (await login).json()) as { refreshToken: string; accessTokenExpiresAt: number };
    await page.locator(`tr[data-queue="${queue}"]`).waitFor();

    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/refresh'));
    await page.clock.fastForward(first.accessTokenExpiresAt - Date.now());
    const refresh = await refreshed;
    expect(refresh.status()).toBe(200);
    expect(JSON.parse(refresh.request().postData() ?? '{}')).toEqual({ refreshToken: first.refreshToken });
    const second = (await refresh.json()) as { refreshToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const listed = page.waitForResponse((response) => response.url().endsWith('/api/v1/queues'));
    await page.clock.fastForward(2_000);
    expect((await listed).status()).toBe(200);
    expect(await page.getByTestId('current-user').count()).toBe(1);
    expect(await page.evaluate(() => window.localStorage.length + window.sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it("shows the API's message for a wrong password", async () => {
    const expected = await api
      .client()
      .call('auth.login', { body: { username: 'admin-user', password: 'not the password at all' } })
      .then(
        () => undefined,
        (error: unknown) => (error instanceof ApiError ? error.message : undefined),
      );
    expect(expected).toBeTruthy();
    const { page } = await openConsole();
    await signIn(page, 'admin', 'not the password at all');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(expected);
    await page.screenshot({ path: join(screenshots, 'console-wrong-password.png') });
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await page.context().close();
  }, 30_000);
});
