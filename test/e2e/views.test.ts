/**
 * The console's Overview, Workers, Schedules, Users and API keys and Audit views, its themes and
 * its keyboard use, in a real browser against a real agent (real Redis and PostgreSQL). Tasks run
 * on a real SDK worker registered with the agent, so the metrics recorder has throughput to chart
 * and the Workers view has a worker to show and drain. Skips, saying so, where /usr/bin/chromium
 * is missing. Screenshots go to test-results/views-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { createWorker, PermanentError, type Worker } from '../../agent/worker/index.js';
import { shortcutLabel } from '../../renderer/src/keyboard/viewShortcut.js';
import { visibleViews } from '../../renderer/src/state/viewStore.js';
import { ApiError, createApiClient } from '../../shared/api/client.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole as openPage, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { redisUrl } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/views.test.ts skipped: ${browserSkipReason}`);

describe.skipIf(browserSkipReason !== null)(`the console's views in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;
  let worker: Worker;
  /** Worked by the SDK worker: three tasks succeed, one fails for good. */
  const queue = 'views-mail';
  /** Nobody consumes it: the Workers view lists it. */
  const idleQueue = 'views-idle';
  const workerId = 'views-worker-1';
  const nightly = 'views-nightly';

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    browser = await launchChromium();
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: queue } });
    await operator.call('queues.create', { body: { name: idleQueue } });
    worker = createWorker({
      redisUrl,
      prefix: api.redisPrefix,
      queues: [queue],
      workerId,
      handlers: {
        'mail.send': async () => ({ sent: true }),
        'mail.broken': async () => {
          throw new PermanentError('mailbox broken on purpose');
        },
      },
      log: pino({ level: 'silent' }),
    });
    await worker.start();
    // A queue's first sample is only the recorder's baseline (docs/metrics.md): wait for its first
    // point, so the tasks below are counted rather than folded into the baseline.
    await until(async () => (await operator.call('metrics.overview', {})).queues.find((entry) => entry.name === queue)?.latest, {
      timeoutMs: 20_000,
      message: 'the first metrics point of the queue',
    });
    for (const type of ['mail.send', 'mail.send', 'mail.send', 'mail.broken']) await operator.call('tasks.enqueue', { params: { name: queue }, body: { type } });
    await operator.call('schedules.create', { body: { name: nightly, queue, cron: '0 2 * * *', timeZone: 'UTC', task: { type: 'mail.send' } } });
  }, 90_000);
  afterAll(async () => {
    await worker?.close({ drainMs: 0 });
    await browser?.close();
    await api?.close();
  });

  const openConsole = () => openPage(browser, api.url);
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' });
  const buttonTexts = (page: Page) => page.getByRole('button').allTextContents();

  it('opens on the Overview, whose charts show the tasks that ran', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await nav(page).getByRole('button', { name: 'Overview' }).getAttribute('aria-pressed')).toBe('true');
    // The leader records a point a second; the totals cover the last 5 minutes.
    const completed = page.locator('dd[data-total="succeeded"]');
    await until(async () => Number(await completed.textContent().catch(() => '0')) === 3, { timeoutMs: 20_000, message: 'the overview to count 3 completed tasks' });
    await until(async () => Number(await page.locator('dd[data-total="dead"]').textContent()) === 1, { timeoutMs: 20_000, message: 'the overview to count 1 dead task' });
    const throughput = page.getByRole('region', { name: /^Throughput/ });
    expect(Number(await throughput.getAttribute('data-points'))).toBeGreaterThan(0);
    // A drawn line: recharts renders each series as a path with a non-empty `d`.
    await until(async () => ((await throughput.locator('path.recharts-line-curve').first().getAttribute('d')) ?? '').length > 10, { message: 'a throughput line' });
    for (const title of [/^Failures/, /^Queue wait/, /^Run time/, /^Depth per queue/]) await page.getByRole('region', { name: title }).waitFor();
    await page.getByRole('region', { name: 'Depth per queue' }).getByText(queue).first().waitFor();

    await page.getByLabel('Range').selectOption('7d');
    await until(async () => (await page.locator('.metric-chart, .empty').count()) > 0, { message: 'the 7-day range to render' });
    await page.getByLabel('Range').selectOption('5m');
    await throughput.waitFor();
    await screenshot(page, 'views-overview');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows a viewer neither Users nor Audit, and no control that changes anything in any view', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'viewer');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const visible = visibleViews('viewer');
    expect(visible).not.toContain('Users');
    expect(visible).not.toContain('Audit');
    expect(visible).toEqual(expect.arrayContaining(['Overview', 'Queues', 'Tasks', 'Workers', 'Schedules']));
    expect(await nav(page).getByRole('button').allTextContents()).toEqual(visible);
    expect(await nav(page).getByRole('button', { name: 'Workers' }).getAttribute('title')).toBe(`Workers (${shortcutLabel(visible.indexOf('Workers'))})`);

    await nav(page).getByRole('button', { name: 'Workers' }).click();
    await page.locator(`tr[data-worker="${workerId}"]`).waitFor();
    expect(await buttonTexts(page)).toEqual([...visible, 'Sign out']);
    await screenshot(page, 'views-viewer-workers');

    await nav(page).getByRole('button', { name: 'Schedules' }).click();
    await page.locator(`tr[data-schedule="${nightly}"]`).waitFor();
    expect(await buttonTexts(page)).toEqual([...visible, 'Sign out']);
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await page.locator('input, textarea').count()).toBe(0);

    // Alt+1 is the Overview for everyone; a viewer has fewer views than an admin, so the admin's last shortcut does nothing.
    await page.keyboard.press('Alt+1');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press(shortcutLabel(visibleViews('admin').length - 1));
    expect(await nav(page).getByRole('button', { name: 'Overview' }).getAttribute('aria-pressed')).toBe('true');
    expect(await buttonTexts(page)).toEqual([...visible, 'Sign out']);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('lists workers and the queues nobody consumes, and drains a worker after a confirmation', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press(`Alt+${visibleViews('operator').indexOf('Workers') + 1}`);
    await page.getByRole('heading', { name: 'Workers' }).waitFor();
    const row = page.locator(`tr[data-worker="${workerId}"]`);
    await row.waitFor();
    expect(await row.locator('.slots').textContent()).toBe('0/10');
    expect(await row.textContent()).toContain(queue);
    await page.getByRole('region', { name: 'Queues without a worker' }).locator(`li[data-queue="${idleQueue}"]`).waitFor();

    // Escape closes the confirmation without draining.
    await row.getByRole('button', { name: 'Drain' }).click();
    const confirmation = row.getByRole('group', { name: 'Confirm drain' });
    await confirmation.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Confirm');
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: 'Drain' }).waitFor();
    expect(await confirmation.count()).toBe(0);
    expect((await api.client('viewer').call('workers.list', {})).workers.map((listed) => listed.id)).toContain(workerId);

    await row.getByRole('button', { name: 'Drain' }).click();
    await screenshot(page, 'views-workers-confirm');
    await confirmation.getByRole('button', { name: 'Confirm' }).click();
    await worker.closed;
    await until(async () => (await row.count()) === 0, { message: 'the drained worker to leave the list' });
    await page.getByRole('region', { name: 'Queues without a worker' }).locator(`li[data-queue="${queue}"]`).waitFor();
    await screenshot(page, 'views-workers-drained');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('shows schedules with their next runs, and creates, disables and deletes one', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'operator');
    await nav(page).getByRole('button', { name: 'Schedules' }).click();
    const runs = page.getByRole('list', { name: `Next runs of ${nightly}` }).getByRole('listitem');
    await runs.first().waitFor();
    const expected = (await api.client('viewer').call('schedules.list', {})).schedules.find((schedule) => schedule.name === nightly)!.nextRuns.map((run) => run.iso);
    expect(expected).toHaveLength(5);
    expect(await runs.allTextContents()).toEqual(expected);
    for (const iso of expected) expect(iso).toMatch(/T02:00:00(Z|\+00:00)$/);

    const form = page.getByRole('form', { name: 'Create schedule' });
    await form.getByLabel('Name').fill('views-minutely');
    await form.getByLabel('Queue').fill(queue);
    await form.getByLabel('Cron').fill('*/15 * * * *');
    await form.getByLabel('Task type').fill('mail.send');
    await form.getByRole('button', { name: 'Preview' }).click();
    await form.getByLabel('Preview of next runs').waitFor();
    expect(await form.getByLabel('Preview of next runs').textContent()).toMatch(/:(00|15|30|45):00/);
    await form.getByRole('button', { name: 'Create schedule' }).click();
    const created = page.locator('tr[data-schedule="views-minutely"]');
    await created.waitFor();

    await created.getByRole('button', { name: 'Disable' }).click();
    await created.locator('.status').filter({ hasText: 'disabled' }).waitFor();
    const stored = async () => (await api.client('viewer').call('schedules.list', {})).schedules.find((schedule) => schedule.name === 'views-minutely');
    expect((await stored())?.enabled).toBe(false);
    await screenshot(page, 'views-schedules');

    await created.getByRole('button', { name: 'Delete' }).click();
    await created.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Confirm' }).click();
    await until(async () => (await created.count()) === 0, { message: 'the deleted schedule to leave the list' });
    expect(await stored()).toBeUndefined();

    // A bad pattern shows the agent's message.
    await form.getByLabel('Name').fill('views-bad');
    await form.getByLabel('Queue').fill(queue);
    await form.getByLabel('Cron').fill('not a cron');
    await form.getByLabel('Task type').fill('mail.send');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toMatch(/cron/i);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('lets an admin create a user and an API key (secret shown once), revoke it, and read it all in the audit log', async () => {
    const { page, problems } = await openConsole();
    await signIn(page, 'admin');
    await nav(page).getByRole('button', { name: 'Users' }).click();

    const userForm = page.getByRole('form', { name: 'Create user' });
    await userForm.getByLabel('New username').fill('views-new-user');
    await userForm.getByLabel('Initial password').fill('a long enough passphrase 42');
    await userForm.getByLabel('Role').selectOption('viewer');
    await userForm.getByRole('button', { name: 'Create user' }).click();
    const userRow = page.locator('tr[data-user="views-new-user"]');
    await userRow.waitFor();
    await userRow.getByLabel('Role of views-new-user').selectOption('operator');
    const storedUser = async () => (await api.client('admin').call('users.list', {})).users.find((user) => user.username === 'views-new-user');
    await until(async () => (await storedUser())?.role === 'operator', { message: 'the new user to become an operator' });

    const keyForm = page.getByRole('form', { name: 'Create API key' });
    await keyForm.getByLabel('Key name').fill('views-key');
    await keyForm.getByRole('button', { name: 'Create API key' }).click();
    const secretField = page.getByLabel('API key secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^sy_/);
    const keyClient = createApiClient({ baseUrl: api.url, authorization: () => `Bearer ${secret}` });
    expect((await keyClient.call('queues.list', {})).queues.length).toBeGreaterThan(0);
    await screenshot(page, 'views-admin-key-created');

    await page.getByRole('region', { name: 'New API key' }).getByRole('button', { name: 'Done' }).click();
    expect(await secretField.count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    const keyRow = page.locator('tr[data-key="views-key"]');
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await keyRow.getByRole('group', { name: 'Confirm revoke' }).getByRole('button', { name: 'Confirm' }).click();
    await keyRow.locator('.status').filter({ hasText: 'revoked' }).waitFor();
    const refused = await keyClient.call('queues.list', {}).then(
      () => null,
      (error: unknown) => (error instanceof ApiError ? error.status : error),
    );
    expect(refused).toBe(401);
    await screenshot(page, 'views-admin-users');

    await nav(page).getByRole('button', { name: 'Audit' }).click();
    const rows = page.locator('tr[data-audit]');
    await page.locator('tr[data-action="keys.revoke"]').waitFor();
    const actions = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-action')));
    // Newest first: the revoke, then the key, then the role change, then the user.
    const order = ['keys.revoke', 'keys.create', 'users.update', 'users.create'].map((action) => actions.indexOf(action));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((left, right) => left - right)).toEqual(order);
    expect(await page.locator('tr[data-action="keys.create"]').textContent()).toContain('admin-user');

    const filters = page.getByRole('form', { name: 'Filter audit log' });
    await filters.getByLabel('Action').selectOption('keys.create');
    await filters.getByRole('button', { name: 'Search' }).click();
    await until(async () => {
      const shown = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-action')));
      return shown.length === 1 && shown[0] === 'keys.create';
    }, { message: 'the audit log filtered to keys.create' });
    await screenshot(page, 'views-audit');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 40_000);

  it('follows the OS theme, switches to dark and light, remembers the choice, and shows keyboard focus', async () => {
    const { page, problems } = await openConsole();
    await page.emulateMedia({ colorScheme: 'light' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.emulateMedia({ colorScheme: 'light' });

    await signIn(page, 'viewer');
    const theme = page.getByLabel('Theme');
    await theme.selectOption('dark');
    expect(await background()).toBe('rgb(13, 17, 23)');
    expect(await page.evaluate(() => localStorage.getItem('switchyard.theme'))).toBe('dark');
    await page.getByRole('region', { name: /^Throughput/ }).waitFor();
    await screenshot(page, 'views-dark');

    await page.reload();
    await page.getByLabel('Username').waitFor();
    expect(await background()).toBe('rgb(13, 17, 23)');
    await signIn(page, 'viewer');
    await theme.selectOption('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await theme.selectOption('system');
    expect(await background()).toBe('rgb(13, 17, 23)');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // Tab from the top of the page reaches the view switch first, with a visible focus ring.
    await page.locator('.top-bar strong').click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overview');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe('solid');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);
});
