/**
 * The Dead letters view of the web console in a real browser (Debian's Chromium through
 * playwright-core) against a real agent: tasks made dead through the engine (claimed and failed
 * in queues that allow one or two attempts), grouped by error signature once the archiver has
 * moved them to history; requeueing a group at a throttled rate, editing a payload and requeueing
 * one task, purging a group, and what a viewer does not see. Skips, saying so, where
 * /usr/bin/chromium is missing. Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Outcome } from '../../agent/engine/Engine.js';
import type { Role } from '../../shared/security/permissions.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/deadLetters.test.ts skipped: ${browserSkipReason}`);

/** Four tasks that die with the same error (different card numbers, one signature). */
const payments = 'e2e-payments';
/** One task that dies after two attempts with different stacks, to compare and to edit. */
const bank = 'e2e-bank';
/** Two tasks that die with an error nobody will requeue: purged. */
const imports = 'e2e-imports';

describe.skipIf(browserSkipReason !== null)(`the dead letters view in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;

  /** Claims up to `count` tasks of `queue` and fails each with the error `errorOf` gives it. */
  const failClaimed = async (queue: string, count: number, errorOf: (index: number) => { message: string; stack: string }) => {
    const claimed = await until(
      async () => {
        const batch = await api.agent.engine.claim(queue, { workerId: 'e2e-worker', max: count, leaseMs: 60_000 });
        return batch.tasks.length === count ? batch : undefined;
      },
      { message: `${count} tasks of ${queue} to claim` },
    );
    const failures: Outcome[] = claimed.tasks.map((task, index) => ({ id: task.id, token: task.token, status: 'failed', error: errorOf(index), retryDelayMs: 0 }));
    await api.agent.engine.acknowledge(queue, failures);
  };

  const groupsOf = async (queue: string) => (await api.client('viewer').call('deadLetters.groups', { query: { queue } })).groups;

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    browser = await launchChromium();
    const operator = api.client('operator');
    for (const name of [payments, imports]) await operator.call('queues.create', { body: { name, retry: { maxAttempts: 1 } } });
    await operator.call('queues.create', { body: { name: bank, retry: { maxAttempts: 2, backoff: { kind: 'fixed', delayMs: 0 } } } });
    const cards = [4242, 5555, 3782, 6011];
    await operator.call('tasks.enqueueBulk', { params: { name: payments }, body: { tasks: cards.map((card) => ({ type: 'charge', payload: { card } })) } });
    await operator.call('tasks.enqueue', { params: { name: bank }, body: { type: 'transfer', payload: { account: 'FR76-bad', amount: 10 } } });
    await operator.call('tasks.enqueueBulk', { params: { name: imports }, body: { tasks: [{ type: 'import' }, { type: 'import' }] } });

    await failClaimed(payments, cards.length, (index) => ({ message: `card ${cards[index]} declined`, stack: `Error: card declined\n    at charge (/srv/app/payments.js:${20 + index}:7)` }));
    await failClaimed(bank, 1, () => ({ message: 'bank timed out', stack: 'Error: bank timed out\n    at connect (/srv/app/bank.js:5:3)' }));
    await failClaimed(bank, 1, () => ({ message: 'account FR76-bad is closed', stack: 'Error: account closed\n    at transfer (/srv/app/bank.js:42:9)' }));
    await failClaimed(imports, 2, () => ({ message: 'corrupt record', stack: 'Error: corrupt record\n    at parse (/srv/app/import.js:3:1)' }));

    // The leader's archiver moves dead tasks to history, where the dead-letter groups are read.
    await until(async () => (await groupsOf(payments))[0]?.count === cards.length, { timeoutMs: 30_000, message: 'the payments group to hold 4 tasks' });
    await until(async () => (await groupsOf(bank)).length === 1 && (await groupsOf(imports))[0]?.count === 2, { timeoutMs: 30_000, message: 'the bank and imports groups' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** A signed-in page on the Dead letters view. */
  const deadLettersView = async (role: Role): Promise<{ page: Page; problems: string[] }> => {
    const opened = await openConsole(browser, api.url);
    await signIn(opened.page, role);
    await opened.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Dead letters', exact: true }).click();
    await opened.page.getByRole('heading', { name: 'Dead letters', exact: true }).waitFor();
    return opened;
  };

  const groupRow = (page: Page, queue: string) => page.locator(`tr.group-row[data-queue="${queue}"]`);

  it('shows a viewer the groups, their tasks and attempts, but no requeue, purge or edit control', async () => {
    const { page, problems } = await deadLettersView('viewer');
    const row = groupRow(page, payments);
    await row.waitFor();
    expect(await row.locator('.count').textContent()).toBe('4');
    expect(await row.textContent()).toContain('card <n> declined');
    await row.getByRole('button', { name: 'card <n> declined' }).click();
    const group = page.getByRole('region', { name: 'Dead-letter group' });
    // The group's tasks arrive after the panel opens; wait for the fourth row before counting.
    await group.locator('tr[data-task]').nth(3).waitFor();
    expect(await group.locator('tr[data-task]').count()).toBe(4);
    await group.locator('tr[data-task] button.link').first().click();
    await page.getByRole('table', { name: 'Attempts side by side' }).waitFor();
    await screenshot(page, 'dead-letters-viewer');
    expect(await page.getByRole('button', { name: /requeue|purge|undo/i }).count()).toBe(0);
    expect(await page.locator('textarea').count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('lets an operator see a group with its count and sample, and requeue it at a throttled rate', async () => {
    const { page, problems } = await deadLettersView('operator');
    const row = groupRow(page, payments);
    await row.waitFor();
    expect(await row.locator('.count').textContent()).toBe('4');
    expect(await row.textContent()).toContain('charge');
    // The sample is one of the group's tasks, with its own message (the title is normalised).
    const sample = row.locator('.sample');
    await sample.locator('.attempt-error').waitFor();
    const { tasks: dead } = await api.client('viewer').call('deadLetters.list', { query: { queue: payments } });
    const sampleId = await sample.locator('code').getAttribute('title');
    expect(await sample.locator('.attempt-error').textContent()).toBe(dead.find((task) => task.id === sampleId)?.error?.message);
    expect(await sample.locator('.attempt-error').textContent()).toMatch(/^card \d{4} declined$/);

    await row.getByRole('button', { name: 'Requeue group' }).click();
    const confirmation = page.getByRole('alertdialog', { name: 'Requeue card <n> declined' });
    expect(await confirmation.textContent()).toContain('4 dead tasks of queue e2e-payments');
    await confirmation.getByLabel('Tasks per second').fill('0');
    await confirmation.getByRole('alert').filter({ hasText: 'Tasks per second: a whole number' }).waitFor();
    await confirmation.getByLabel('Tasks per second').fill('2');
    const requeues: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/dead-letters/requeue')) requeues.push(request.postData() ?? '');
    });
    await confirmation.getByRole('button', { name: 'Requeue 4 dead tasks' }).click();
    await confirmation.getByRole('status').filter({ hasText: /Requeued \d of 4/ }).waitFor();
    await screenshot(page, 'dead-letters-requeue-progress');
    await page.getByRole('status').filter({ hasText: 'Requeued 4 of card <n> declined.' }).waitFor();
    await row.waitFor({ state: 'detached' });
    await screenshot(page, 'dead-letters-requeued');

    // One request per task, each naming its task (the throttled path), never the whole signature at once.
    expect(requeues.map((body) => Object.keys(JSON.parse(body) as object).sort())).toEqual(Array.from({ length: 4 }, () => ['queue', 'taskId']));
    const { tasks } = await api.client('viewer').call('tasks.search', { query: { queue: payments, state: 'queued' } });
    expect(tasks.map((task) => (task.payload as { card: number }).card).sort()).toEqual([3782, 4242, 5555, 6011]);
    expect(await groupsOf(payments)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("lets an operator compare a task's attempts, edit its payload and requeue it, and purge a group", async () => {
    const { page, problems } = await deadLettersView('operator');
    const row = groupRow(page, bank);
    await row.waitFor();
    await row.getByRole('button', { name: /account/ }).click();
    const group = page.getByRole('region', { name: 'Dead-letter group' });
    await group.locator('tr[data-task] button.link').click();
    const attempts = page.getByRole('table', { name: 'Attempts side by side' });
    await attempts.getByRole('columnheader', { name: 'Attempt 2' }).waitFor();
    expect(await attempts.locator('pre').allTextContents()).toEqual([
      'Error: bank timed out\n    at connect (/srv/app/bank.js:5:3)',
      'Error: account closed\n    at transfer (/srv/app/bank.js:42:9)',
    ]);
    expect(await attempts.locator('td[data-differs]').count()).toBeGreaterThanOrEqual(2);

    const editor = page.getByLabel('Payload (JSON)');
    expect(JSON.parse(await editor.inputValue())).toEqual({ account: 'FR76-bad', amount: 10 });
    await editor.fill('{ "account": "FR76-good", ');
    await page.getByRole('button', { name: 'Requeue with edited payload' }).click();
    await page.getByRole('alert').filter({ hasText: 'Payload: not valid JSON' }).waitFor();
    await editor.fill('{ "account": "FR76-good", "amount": 10 }');
    await screenshot(page, 'dead-letters-edit-payload');
    await page.getByRole('button', { name: 'Requeue with edited payload' }).click();
    await page.getByRole('status').filter({ hasText: 'with the edited payload' }).waitFor();
    const { tasks } = await api.client('viewer').call('tasks.search', { query: { queue: bank, state: 'queued' } });
    expect(tasks.map((task) => task.payload)).toEqual([{ account: 'FR76-good', amount: 10 }]);
    await row.waitFor({ state: 'detached' });

    const imported = groupRow(page, imports);
    await imported.getByRole('button', { name: 'Purge' }).click();
    const confirmation = page.getByRole('alertdialog', { name: 'Purge corrupt record' });
    expect(await confirmation.textContent()).toContain('Deletes 2 dead tasks of queue e2e-imports');
    await confirmation.getByRole('button', { name: 'Purge 2 dead tasks' }).click();
    await page.getByRole('status').filter({ hasText: 'Purged 2 dead tasks of corrupt record.' }).waitFor();
    await imported.waitFor({ state: 'detached' });
    expect(await groupsOf(imports)).toEqual([]);
    await screenshot(page, 'dead-letters-purged');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
