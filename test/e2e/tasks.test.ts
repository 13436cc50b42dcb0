/**
 * The tasks explorer of the web console in a real browser (Debian's Chromium through
 * playwright-core) against a real agent: the enqueue form, the virtualised list with thousands of
 * tasks, bulk actions with their dry-run count, and what a viewer does not see. Skips, saying
 * so, where /usr/bin/chromium is missing. Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../shared/security/permissions.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/tasks.test.ts skipped: ${browserSkipReason}`);

/** Tasks in the big queue: several pages of 500, far more rows than the list may render. */
const manyTasks = 3_000;
/** Most rows the virtualised list may hold in the DOM at once (view + overscan, with room to spare). */
const maxRenderedRows = 100;

describe.skipIf(browserSkipReason !== null)(`the tasks explorer in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    browser = await launchChromium();
    const operator = api.client('operator');
    for (const name of ['e2e-form', 'e2e-many', 'e2e-bulk']) await operator.call('queues.create', { body: { name } });
    const many = Array.from({ length: manyTasks }, (_, index) => ({ type: 'many', payload: { index } }));
    await operator.call('tasks.enqueueBulk', { params: { name: 'e2e-many' }, body: { tasks: many } });
    const bulk = [...Array.from({ length: 30 }, () => ({ type: 'doomed' })), ...Array.from({ length: 5 }, () => ({ type: 'keep' }))];
    await operator.call('tasks.enqueueBulk', { params: { name: 'e2e-bulk' }, body: { tasks: bulk } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** A signed-in page on the Tasks view. */
  const tasksView = async (role: Role): Promise<{ page: Page; problems: string[] }> => {
    const opened = await openConsole(browser, api.url);
    await signIn(opened.page, role);
    await opened.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Tasks', exact: true }).click();
    await opened.page.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    return opened;
  };

  const search = async (page: Page, filters: { queue?: string; state?: string; type?: string }) => {
    const form = page.getByRole('form', { name: 'Search tasks' });
    await form.locator('select[name="queue"]').selectOption(filters.queue ?? '');
    await form.locator('select[name="state"]').selectOption(filters.state ?? '');
    await form.getByLabel('Type').fill(filters.type ?? '');
    await form.getByRole('button', { name: 'Search' }).click();
  };

  const countOf = async (queue: string, query: { state?: string; type?: string }) => {
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await api.client('viewer').call('tasks.search', { query: { queue, ...query, limit: 500, cursor } });
      total += page.tasks.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return total;
  };

  it('lets an operator enqueue a task from the form, with the payload checked first, find it and cancel it', async () => {
    const { page, problems } = await tasksView('operator');
    const form = page.getByRole('form', { name: 'Enqueue task' });
    await until(async () => (await form.locator('select[name="enqueueQueue"] option').count()) === 3, { message: 'the queues in the enqueue form' });
    await form.locator('select[name="enqueueQueue"]').selectOption('e2e-form');
    await form.getByLabel('Type').fill('welcome');
    await form.getByLabel('Payload (JSON)').fill('{"user": ');
    await page.locator('.payload-error').filter({ hasText: 'Payload is not JSON' }).waitFor();
    expect(await form.getByRole('button', { name: 'Enqueue' }).isDisabled()).toBe(true);

    await form.getByLabel('Payload (JSON)').fill('{"user": 7}');
    await form.getByLabel('Priority').fill('42');
    await form.getByRole('button', { name: 'Enqueue' }).click();
    const alert = page.getByRole('region', { name: 'Enqueue a task' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^body\.priority: /);
    expect(await countOf('e2e-form', {})).toBe(0);

    await form.getByLabel('Priority').fill('7');
    await form.getByRole('button', { name: 'Enqueue' }).click();
    const enqueued = page.locator('p.enqueued');
    await enqueued.waitFor();
    const id = (await enqueued.getAttribute('data-task'))!;
    const stored = await api.client('viewer').call('tasks.get', { params: { name: 'e2e-form', id } });
    expect({ type: stored.type, payload: stored.payload, priority: stored.priority, state: stored.state }).toEqual({ type: 'welcome', payload: { user: 7 }, priority: 7, state: 'queued' });

    await enqueued.getByRole('button', { name: 'Find it' }).click();
    const row = page.locator(`[role="row"][data-task="${id}"]`);
    await row.waitFor();
    expect(await row.locator('.state').textContent()).toBe('queued');
    expect(await page.locator('.task-count').textContent()).toBe('1 task matches');
    await screenshot(page, 'tasks-enqueued');

    // Cancelling it from the detail updates its row in place.
    await row.click();
    const detail = page.getByRole('region', { name: 'Task detail' });
    await detail.getByRole('button', { name: 'Cancel' }).click();
    await row.locator('.state').filter({ hasText: 'cancelled' }).waitFor();
    expect((await api.client('viewer').call('tasks.search', { query: { queue: 'e2e-form', id } })).tasks[0]?.state).toBe('cancelled');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('keeps only the rows in view in the DOM while scrolling thousands of tasks, by mouse and keyboard', async () => {
    const { page, problems } = await tasksView('viewer');
    await search(page, { queue: 'e2e-many' });
    const count = page.locator('.task-count');
    await count.filter({ hasText: 'more match' }).waitFor();
    const scroller = page.locator('.task-table-scroll');
    const rows = page.locator('.task-row');
    let most = 0;
    // Scrolling to the end fetches the next page, until every page is loaded.
    await until(
      async () => {
        await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
        most = Math.max(most, await rows.count());
        return (await count.getAttribute('data-complete')) === 'true';
      },
      { timeoutMs: 30_000, intervalMs: 50, message: 'every page to load while scrolling' },
    );
    expect(await count.textContent()).toBe(`${manyTasks.toLocaleString('en-US')} tasks match`);
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    const lastRow = page.locator(`.task-row[data-index="${manyTasks - 1}"]`);
    await lastRow.waitFor();
    most = Math.max(most, await rows.count());
    expect(most).toBeGreaterThan(10);
    expect(most).toBeLessThanOrEqual(maxRenderedRows);
    await screenshot(page, 'tasks-scrolled-to-end');

    // Load all, then the keyboard: Home, arrows, End, Enter opens, Escape closes.
    await search(page, { queue: 'e2e-many' });
    await page.getByRole('button', { name: 'Load all matching' }).click();
    await page.locator('.task-count[data-complete="true"]').waitFor({ timeout: 30_000 });
    const table = page.getByRole('grid', { name: 'Tasks found' });
    await table.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.locator('.task-row.current[data-index="1"]').waitFor();
    await page.keyboard.press('End');
    const last = page.locator(`.task-row.current[data-index="${manyTasks - 1}"]`);
    await last.waitFor();
    expect(await rows.count()).toBeLessThanOrEqual(maxRenderedRows);
    const lastId = (await last.getAttribute('data-task'))!;
    await page.keyboard.press('Enter');
    const detail = page.getByRole('region', { name: 'Task detail' });
    await detail.and(page.locator(`[data-task="${lastId}"]`)).waitFor();
    await screenshot(page, 'tasks-keyboard-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('stops loading every match when asked, and drops the page in flight', async () => {
    const { page, problems } = await tasksView('viewer');
    await search(page, { queue: 'e2e-many' });
    const count = page.locator('.task-count');
    await count.filter({ hasText: '500 tasks loaded, more match' }).waitFor();
    // Hold the next page's request (the real one, answered by the agent once released).
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const nextPage = /\/api\/v1\/tasks\?.*cursor=/;
    await page.route(nextPage, async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    const request = page.waitForRequest(nextPage);
    await page.getByRole('button', { name: 'Load all matching' }).click();
    await count.filter({ hasText: 'Loading… 500 tasks loaded' }).waitFor();
    await request;
    const aborted = page.waitForEvent('requestfailed', (failed) => nextPage.test(failed.url()));
    await page.getByRole('button', { name: 'Stop loading' }).click();
    await aborted;
    release();
    await page.getByRole('button', { name: 'Load all matching' }).waitFor();
    await page.unroute(nextPage);
    expect(await count.textContent()).toBe('500 tasks loaded, more match');
    expect(await count.getAttribute('data-loaded')).toBe('500');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('cancels and then retries every match of a filter after confirming the dry-run count', async () => {
    const { page, problems } = await tasksView('operator');
    await search(page, { queue: 'e2e-bulk', type: 'doomed' });
    await page.locator('.task-count').filter({ hasText: '30 tasks match' }).waitFor();

    await page.getByRole('button', { name: 'Promote all matching' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No task in this search can be promoted', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Cancel all matching' }).click();
    await dialog.getByText('This will cancel 30 tasks', { exact: true }).waitFor();
    await screenshot(page, 'tasks-bulk-confirm');
    expect(await countOf('e2e-bulk', { state: 'cancelled' })).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel 30 tasks' }).click();
    await dialog.getByText('Cancelled 30 tasks.', { exact: true }).waitFor();
    expect(await countOf('e2e-bulk', { state: 'cancelled', type: 'doomed' })).toBe(30);
    expect(await countOf('e2e-bulk', { state: 'queued', type: 'keep' })).toBe(5);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.locator('.task-row .state').filter({ hasText: 'cancelled' }).first().waitFor();

    // Cancelled tasks move from the engine to history within a second or so; a search while they
    // move can see one twice or not at all, so wait until history holds all 30.
    const archived = async () => {
      const { tasks } = await api.client('viewer').call('tasks.search', { query: { queue: 'e2e-bulk', state: 'cancelled', limit: 500 } });
      return tasks.filter((task) => task.source === 'history').length === 30;
    };
    await until(archived, { timeoutMs: 20_000, intervalMs: 100, message: 'the cancelled tasks to be archived' });
    await search(page, { queue: 'e2e-bulk', state: 'cancelled' });
    await page.locator('.task-count').filter({ hasText: '30 tasks match' }).waitFor();
    await page.getByRole('button', { name: 'Retry all matching' }).click();
    await dialog.getByText('This will retry 30 tasks', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Retry 30 tasks' }).click();
    await dialog.getByText('Retried 30 tasks.', { exact: true }).waitFor();
    await screenshot(page, 'tasks-bulk-retried');
    expect(await countOf('e2e-bulk', { state: 'queued' })).toBe(35);
    const again = await api.client('operator').call('tasks.bulk', { body: { filter: { queue: 'e2e-bulk', states: ['cancelled'] }, action: 'retry', dryRun: true } });
    expect(again.matched).toBe(0);
    // Closing searches again; the retried tasks may be listed still, archived (and marked requeued) by now.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.task-count[data-complete="true"]').waitFor();
    expect(await page.getByRole('button', { name: 'Retry all matching' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows the API's message when a bulk action fails", async () => {
    // A queue that keeps no payloads in history: its archived cancelled tasks cannot run again.
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'e2e-nopayload', retention: { payload: 'none' } } });
    await operator.call('tasks.enqueueBulk', { params: { name: 'e2e-nopayload' }, body: { tasks: [{ type: 'gone' }, { type: 'gone' }, { type: 'gone' }] } });
    await operator.call('tasks.bulk', { body: { filter: { queue: 'e2e-nopayload' }, action: 'cancel', dryRun: false } });
    await until(
      async () => {
        const { tasks } = await api.client('viewer').call('tasks.search', { query: { queue: 'e2e-nopayload', state: 'cancelled' } });
        return tasks.length === 3 && tasks.every((task) => task.source === 'history');
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'the cancelled tasks to be archived' },
    );

    const { page, problems } = await tasksView('operator');
    await search(page, { queue: 'e2e-nopayload', state: 'cancelled' });
    await page.locator('.task-count').filter({ hasText: '3 tasks match' }).waitFor();
    await page.getByRole('button', { name: 'Retry all matching' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('This will retry 3 tasks', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Retry 3 tasks' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^queue e2e-nopayload keeps no payloads in history/);
    await screenshot(page, 'tasks-bulk-failed');
    expect(await countOf('e2e-nopayload', { state: 'queued' })).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows a viewer no enqueue form and no bulk control', async () => {
    const { page, problems } = await tasksView('viewer');
    await search(page, { queue: 'e2e-bulk' });
    await page.locator('.task-row').first().waitFor();
    await screenshot(page, 'tasks-viewer');
    expect(await page.getByRole('form', { name: 'Enqueue task' }).count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Bulk actions' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /retry|cancel|promote|enqueue/i }).count()).toBe(0);
    expect(await page.locator('textarea, input[name="enqueueType"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);
});
