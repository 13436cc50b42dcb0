/**
 * The web console in a real browser: the agent serves the built renderer and Chromium (driven by
 * playwright-core, never a downloaded browser) signs in and works the Queues and Tasks views,
 * with the Queues view's counts live from the event stream.
 * Skips, saying so, where /usr/bin/chromium is missing. Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Outcome } from '../../agent/engine/Engine.js';
import { ApiError } from '../../shared/api/client.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole as openPage, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/console.test.ts skipped: ${browserSkipReason}`);

describe.skipIf(browserSkipReason !== null)(`the web console in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;
  const queue = 'e2e-mail';
  /** A queue whose tasks get one attempt, so the one failure `beforeAll` records makes a task dead. */
  const billing = 'e2e-billing';
  let deadTaskId: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    browser = await launchChromium();
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

  const openConsole = (options?: { fakeClock?: boolean }) => openPage(browser, api.url, options);

  /** Switches to `view` with the top bar's switch (the console opens on its first view). */
  const showView = (page: Page, view: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();

  /** Every frame of the page's event-stream sockets, parsed, in order, both ways (register before signing in). */
  function recordEventFrames(page: Page): Array<{ direction: 'sent' | 'received'; message: Record<string, unknown> }> {
    const frames: Array<{ direction: 'sent' | 'received'; message: Record<string, unknown> }> = [];
    page.on('websocket', (socket) => {
      if (!socket.url().endsWith('/api/v1/events')) return;
      socket.on('framesent', ({ payload }) => frames.push({ direction: 'sent', message: JSON.parse(String(payload)) as Record<string, unknown> }));
      socket.on('framereceived', ({ payload }) => frames.push({ direction: 'received', message: JSON.parse(String(payload)) as Record<string, unknown> }));
    });
    return frames;
  }

  const pausedViaApi = async () => (await api.client('viewer').call('queues.get', { params: { name: queue } })).paused;

  it('lets an operator see counts and pause and resume a queue', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await page.getByTestId('current-user').filter({ hasText: 'operator' }).waitFor();
    await showView(page, 'Queues');
    const row = page.locator(`tr[data-queue="${queue}"]`);
    await row.waitFor();
    await until(async () => (await row.locator('[data-state="queued"]').textContent()) === '2', { message: 'the queued count to show 2' });

    await row.getByRole('button', { name: 'Pause' }).click();
    await until(pausedViaApi, { message: 'the queue to pause' });
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await row.locator('.status').textContent()).toBe('paused');
    await screenshot(page, 'console-operator-paused');

    await row.getByRole('button', { name: 'Resume' }).click();
    await until(async () => !(await pausedViaApi()), { message: 'the queue to resume' });
    await row.getByRole('button', { name: 'Pause' }).waitFor();

    await page.getByLabel('New queue').fill('e2e-created');
    await page.getByRole('button', { name: 'Create queue' }).click();
    await page.locator('tr[data-queue="e2e-created"]').waitFor();
    expect((await api.client('viewer').call('queues.get', { params: { name: 'e2e-created' } })).definition.name).toBe('e2e-created');
    await screenshot(page, 'console-operator');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('shows a viewer the queues but no control that changes anything', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'viewer');
    await showView(page, 'Queues');
    const row = page.locator(`tr[data-queue="${queue}"]`);
    await row.waitFor();
    await screenshot(page, 'console-viewer');
    expect(await page.getByRole('button', { name: /pause|resume|create/i }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Create queue' }).count()).toBe(0);
    expect(await page.locator('input[name="queueName"]').count()).toBe(0);
    expect(await page.getByRole('button').allTextContents()).toEqual(['Overview', 'Queues', 'Tasks', 'Dead letters', 'Workflows', 'Runs', 'Workers', 'Schedules', 'Sign out']);

    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByLabel('Text').fill('invoice 42');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator(`[role="row"][data-task="${deadTaskId}"]`).click();
    await page.getByRole('region', { name: 'Task detail' }).getByText('invoice 42 missing', { exact: true }).waitFor();
    await screenshot(page, 'console-viewer-tasks');
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
    const row = page.locator(`[role="row"][data-task="${deadTaskId}"]`);
    await row.waitFor();
    expect(await row.locator('.state').textContent()).toBe('dead');

    await row.click();
    const detail = page.getByRole('region', { name: 'Task detail' });
    await detail.getByRole('list', { name: 'Attempts' }).getByText('invoice 42 missing', { exact: true }).waitFor();
    expect(await detail.locator('pre').first().textContent()).toContain('billing.js:10:5');
    await screenshot(page, 'console-operator-dead-task');

    await detail.getByRole('button', { name: 'Retry' }).click();
    const queuedAgain = async () => {
      const { tasks } = await api.client('viewer').call('tasks.search', { query: { queue: billing, state: 'queued' } });
      return tasks.some((task) => task.type === 'bill');
    };
    await until(queuedAgain, { message: 'the dead task (or its copy) to be queued again' });
    await detail.locator('.state').filter({ hasText: 'queued' }).waitFor();
    await detail.getByRole('button', { name: 'Cancel' }).waitFor();
    await screenshot(page, 'console-operator-retried');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('rotates the refresh token before the access token expires, and keeps working', async () => {
    const { page, problems } = await openConsole({ fakeClock: true });
    const login = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login'));
    const frames = recordEventFrames(page);
    await signIn(page, 'viewer');
    const first = (await (await login).json()) as { accessToken: string; refreshToken: string; accessTokenExpiresAt: number };
    await showView(page, 'Queues');
    await page.locator(`tr[data-queue="${queue}"]`).waitFor();
    await until(() => frames.some((frame) => frame.message.type === 'authenticated'), { message: 'the event stream to authenticate' });
    expect(frames[0]).toEqual({ direction: 'sent', message: { type: 'authenticate', token: first.accessToken } });

    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/refresh'));
    await page.clock.fastForward(first.accessTokenExpiresAt - Date.now());
    const refresh = await refreshed;
    expect(refresh.status()).toBe(200);
    expect(JSON.parse(refresh.request().postData() ?? '{}')).toEqual({ refreshToken: first.refreshToken });
    const second = (await refresh.json()) as { accessToken: string; refreshToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);

    // The open event socket is re-authenticated with the new token instead of being closed at expiry.
    const reauthenticated = () => {
      const sent = frames.findIndex((frame) => frame.direction === 'sent' && frame.message.type === 'authenticate' && frame.message.token === second.accessToken);
      return sent >= 0 && frames.slice(sent).some((frame) => frame.message.type === 'authenticated');
    };
    await until(reauthenticated, { message: 'the event stream to authenticate again with the new access token' });

    const listed = page.waitForResponse((response) => response.url().endsWith('/api/v1/dead-letters'));
    await showView(page, 'Dead letters');
    expect((await listed).status()).toBe(200);
    expect(await page.getByTestId('current-user').count()).toBe(1);
    expect(await page.evaluate(() => window.localStorage.length + window.sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('shows a task enqueued through the API live, from the event stream, without polling', async () => {
    const live = 'e2e-live';
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: live } });
    const { page, problems } = await openConsole();
    const frames = recordEventFrames(page);
    await signIn(page, 'operator');
    await showView(page, 'Queues');
    const row = page.locator(`tr[data-queue="${live}"]`);
    await row.waitFor();
    await page.locator('.connection-status[data-state="open"]').waitFor();
    expect(await row.locator('[data-state="queued"]').textContent()).toBe('0');

    const listCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/queues')) listCalls.push(request.url());
    });
    await operator.call('tasks.enqueue', { params: { name: live }, body: { type: 'ping' } });
    await until(async () => (await row.locator('[data-state="queued"]').textContent()) === '1', { message: 'the queued count to show 1 without a reload' });

    // Playwright reports frames to the test asynchronously: the page may show the count before the test hears its frame.
    const statsWithTask = () =>
      frames.some((frame) => {
        const message = frame.message as { type?: string; kind?: string; data?: { queues?: Array<{ name: string; counts: { queued: number } }> } };
        return message.type === 'event' && message.kind === 'queueStats' && message.data?.queues?.some((stats) => stats.name === live && stats.counts.queued === 1);
      });
    await until(statsWithTask, { message: 'the queueStats frame that carried the new count' });
    expect(listCalls).toEqual([]);
    expect(frames.find((frame) => frame.direction === 'sent' && frame.message.type === 'subscribe')?.message.topic).toEqual({ kind: 'queueStats' });
    await screenshot(page, 'console-live-enqueue');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('lets an operator create a queue with settings, edit its limits, drain it and delete it', async () => {
    const name = 'e2e-actions';
    const viewer = api.client('viewer');
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await showView(page, 'Queues');
    const form = page.getByRole('form', { name: 'Create queue' });
    await form.getByLabel('New queue').fill(name);
    await form.getByLabel('Concurrency').fill('4');
    await form.getByLabel('Tasks').fill('10');
    await form.getByLabel('Per ms').fill('1000');
    await form.getByLabel('Attempts').fill('3');
    await form.locator('select[name="backoffKind"]').selectOption('fixed');
    await form.getByRole('button', { name: 'Create queue' }).click();
    const row = page.locator(`tr[data-queue="${name}"]`);
    await row.waitFor();
    const created = (await viewer.call('queues.get', { params: { name } })).definition;
    expect({ concurrency: created.concurrency, rateLimit: created.rateLimit, maxAttempts: created.retry.maxAttempts, backoff: created.retry.backoff.kind }).toEqual({
      concurrency: 4,
      rateLimit: { max: 10, intervalMs: 1000 },
      maxAttempts: 3,
      backoff: 'fixed',
    });

    // Limits: checked before sending (nothing reaches the API), then saved.
    await row.getByRole('button', { name: 'Edit limits' }).click();
    const settings = page.getByRole('form', { name: `Settings of ${name}` });
    await settings.getByLabel('Concurrency').fill('0');
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.url());
    });
    await settings.getByRole('button', { name: 'Save' }).click();
    expect(await settings.getByRole('alert').textContent()).toMatch(/^concurrency: /);
    await settings.getByLabel('Rate limit: tasks').fill('');
    await settings.getByLabel('Concurrency').fill('2');
    await settings.getByRole('button', { name: 'Save' }).click();
    expect(await settings.getByRole('alert').textContent()).toMatch(/^rate limit: give both/);
    expect(patches).toEqual([]);
    await settings.getByLabel('per milliseconds').fill('');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'detached' });
    const edited = (await viewer.call('queues.get', { params: { name } })).definition;
    expect({ concurrency: edited.concurrency, rateLimit: edited.rateLimit }).toEqual({ concurrency: 2, rateLimit: null });
    expect(await row.locator('.limits').textContent()).toBe('2 at once');

    // Drain: the confirmation names the queue and what drain does; waiting tasks end cancelled.
    const operator = api.client('operator');
    for (let index = 0; index < 3; index += 1) await operator.call('tasks.enqueue', { params: { name }, body: { type: 'drained' } });
    await until(async () => (await row.locator('[data-state="queued"]').textContent()) === '3', { message: 'three queued tasks to show' });
    await row.getByRole('button', { name: 'Drain' }).click();
    const drain = page.getByRole('alertdialog', { name: `Drain queue ${name}` });
    expect(await drain.textContent()).toContain('Cancels every waiting task');
    expect(await drain.textContent()).toContain('(3 now)');
    await screenshot(page, 'console-queue-drain-confirmation');
    await drain.getByRole('button', { name: `Drain ${name}` }).click();
    await page.getByRole('status').filter({ hasText: `Drained ${name}: 3 waiting tasks cancelled.` }).waitFor();
    const drained = await viewer.call('queues.get', { params: { name } });
    expect({ queued: drained.counts.queued, cancelled: drained.counts.cancelled }).toEqual({ queued: 0, cancelled: 3 });

    // Delete: refused while a task is active, then forced.
    await operator.call('tasks.enqueue', { params: { name }, body: { type: 'busy' } });
    const claimed = await api.agent.engine.claim(name, { workerId: 'e2e-busy', max: 1, leaseMs: 60_000 });
    expect(claimed.tasks).toHaveLength(1);
    await row.getByRole('button', { name: 'Delete' }).click();
    const confirmDelete = page.getByRole('alertdialog', { name: `Delete queue ${name}` });
    await confirmDelete.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await confirmDelete.getByRole('alert').filter({ hasText: 'active tasks' }).waitFor();
    await screenshot(page, 'console-queue-delete-refused');
    await confirmDelete.getByRole('button', { name: `Delete ${name} anyway` }).click();
    await row.waitFor({ state: 'detached' });
    // The row leaves when the list reloads; the agent answers 404 once the forced delete is through.
    const gone = () =>
      viewer.call('queues.get', { params: { name } }).then(
        () => 'still there',
        (error: unknown) => (error instanceof ApiError ? error.status : error),
      );
    await until(async () => (await gone()) === 404, { message: `queue ${name} to be deleted` });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

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
    await screenshot(page, 'console-wrong-password');
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await page.context().close();
  }, 30_000);
});
