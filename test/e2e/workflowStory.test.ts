/**
 * A workflow author's whole story in the web console, in a real browser (Debian's Chromium through
 * playwright-core) against a real agent, with an SDK worker in this process running the tasks:
 * draw a 5-node workflow by dragging task types from the palette, connect it, save it, run it from
 * the builder, watch it turn green live in the run view, see the node that fails turn red, and
 * retry from it (it and everything downstream) once its cause is gone — the run succeeds; then
 * from the node to its task in the Tasks view and from the task back to its run.
 * The builder's and the run view's own tests go into each part; this one checks they join up.
 * Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { createWorker, type Worker } from '../../agent/worker/index.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { redisUrl } from '../helpers/redis.js';
import { until } from '../helpers/until.js';
import { canvasNodes, connectNodes, dropFromPalette } from '../helpers/workflowCanvas.js';

if (browserSkipReason) console.warn(`test/e2e/workflowStory.test.ts skipped: ${browserSkipReason}`);

const queue = 'story';
const workflow = 'story-orders';

describe.skipIf(browserSkipReason !== null)(`a workflow drawn, run, failed and retried in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;
  let worker: Worker;
  /** While true, `order.charge` fails. */
  let failing = true;
  /** What each task type ran with, in order. */
  const ran: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: queue } });
    const step = (type: string, result: unknown) => async () => {
      ran.push(type);
      return result;
    };
    worker = createWorker({
      redisUrl,
      prefix: api.redisPrefix,
      queues: [{ name: queue, concurrency: 5 }],
      log: pino({ level: 'silent' }),
      handlers: {
        'order.fetch': step('order.fetch', { total: 42 }),
        'order.charge': async () => {
          ran.push('order.charge');
          if (failing) throw new Error('card declined');
          return { charged: 42 };
        },
        'order.pack': step('order.pack', 'packed'),
        'order.ship': step('order.ship', 'shipped'),
        'order.notify': step('order.notify', 'sent'),
      },
    });
    await worker.start();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.close({ drainMs: 1_000 });
    await api?.close();
  });

  const runNode = (page: Page, id: string) => page.locator(`main.run-view .react-flow [data-node-id="${id}"]`);
  const runNodeIn = (page: Page, id: string, state: string) => page.locator(`main.run-view .react-flow [data-node-id="${id}"][data-state="${state}"]`).waitFor({ timeout: 30_000 });

  it('draws five nodes, saves, runs, turns green, fails at charge and succeeds after a retry from it', async () => {
    const { page, problems } = await openConsole(browser, api.url);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await signIn(page, 'operator');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Workflows', exact: true }).click();
    await page.getByRole('form', { name: 'New workflow' }).getByLabel('Name').fill(workflow);
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByRole('toolbar', { name: 'Builder' }).waitFor();

    // Draw: five task types from the palette, dropped where they go.
    const entry = (type: string) => `Add task ${type} on ${queue}`;
    await page.getByRole('button', { name: entry('order.notify') }).waitFor();
    await dropFromPalette(page, entry('order.fetch'), 30, 200);
    await dropFromPalette(page, entry('order.charge'), 290, 60);
    await dropFromPalette(page, entry('order.pack'), 290, 340);
    await dropFromPalette(page, entry('order.ship'), 550, 200);
    await dropFromPalette(page, entry('order.notify'), 550, 420);
    await until(async () => (await canvasNodes(page).count()) === 5, { message: 'five nodes on the canvas' });
    await connectNodes(page, 'fetch', 'charge');
    await connectNodes(page, 'fetch', 'pack');
    await connectNodes(page, 'charge', 'ship');
    await connectNodes(page, 'pack', 'ship');
    await connectNodes(page, 'ship', 'notify');
    await page.getByRole('region', { name: 'Problems' }).getByRole('status').filter({ hasText: 'No problems' }).waitFor();
    await screenshot(page, 'workflow-story-drawn');

    // Save version 1 and run it from the builder with an input.
    await page.getByLabel('Version message').fill('orders, first cut');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved version 1.' }).waitFor();
    await page.getByRole('button', { name: 'Run…' }).click();
    const runForm = page.getByRole('region', { name: 'Run workflow' });
    await runForm.getByLabel('Run input (JSON)').fill('{"order": "A-7"}');
    await runForm.getByRole('button', { name: 'Start run' }).click();

    // The run view opens on the new run and follows it: fetch, pack green; charge red; the run failed.
    const view = page.locator('main.run-view');
    await view.waitFor();
    const runId = (await view.getAttribute('data-run'))!;
    expect((await api.client('viewer').call('runs.get', { params: { id: runId } })).input).toEqual({ order: 'A-7' });
    await runNodeIn(page, 'fetch', 'succeeded');
    await runNodeIn(page, 'pack', 'succeeded');
    await runNodeIn(page, 'charge', 'failed');
    await page.locator('main.run-view[data-run-state="failed"]').waitFor({ timeout: 30_000 });
    for (const id of ['ship', 'notify']) expect(await runNode(page, id).getAttribute('data-state')).toBe('waiting');
    await screenshot(page, 'workflow-story-failed');
    // Charge used up its attempts (the queue's retry policy) before the node failed.
    const chargeAttempts = ran.filter((type) => type === 'order.charge').length;
    // Each finished card shows how many attempts its task took, without being opened.
    await runNode(page, 'charge').locator('.run-node-attempts').filter({ hasText: new RegExp(`^${chargeAttempts} attempts?$`) }).waitFor();
    await runNode(page, 'fetch').locator('.run-node-attempts').filter({ hasText: /^1 attempt$/ }).waitFor();

    // The cause is gone; retry charge and everything after it from its context menu.
    failing = false;
    await runNode(page, 'charge').click({ button: 'right' });
    await page.getByRole('menu', { name: 'Actions on charge' }).getByRole('menuitem', { name: 'Retry this node and everything downstream' }).click();
    await page.getByRole('alertdialog', { name: /Confirm retry/ }).getByRole('button', { name: 'Confirm' }).click();
    for (const id of ['charge', 'ship', 'notify']) await runNodeIn(page, id, 'succeeded');
    await page.locator('main.run-view[data-run-state="succeeded"]').waitFor({ timeout: 30_000 });
    // The retried charge is a new task: its card counts that task's one attempt.
    await runNode(page, 'charge').locator('.run-node-attempts').filter({ hasText: /^1 attempt$/ }).waitFor();
    await screenshot(page, 'workflow-story-succeeded');

    const finished = await api.client('viewer').call('runs.get', { params: { id: runId } });
    expect(finished).toMatchObject({ workflow, version: 1, state: 'succeeded' });
    expect(Object.fromEntries(finished.nodes.map((each) => [each.id, [each.state, each.starts]]))).toEqual({
      charge: ['succeeded', 2],
      fetch: ['succeeded', 1],
      notify: ['succeeded', 1],
      pack: ['succeeded', 1],
      ship: ['succeeded', 1],
    });
    // Charge ran once more (the retry); the others once each: nothing upstream ran again.
    expect(ran.filter((type) => type === 'order.charge')).toHaveLength(chargeAttempts + 1);
    expect(ran.filter((type) => type === 'order.fetch')).toHaveLength(1);

    // From the node to its task in the Tasks view, and from the task back to the run that made it.
    await runNode(page, 'charge').click();
    const detail = page.getByRole('complementary', { name: 'Node detail' });
    await detail.getByRole('heading', { name: 'charge' }).waitFor();
    const charge = finished.nodes.find((each) => each.id === 'charge')!;
    await detail.getByRole('button', { name: `${queue} / ${charge.task!.id.slice(-12)}` }).click();
    const taskDetail = page.locator(`section.task-detail[data-task="${charge.task!.id}"]`);
    await taskDetail.waitFor();
    await taskDetail.getByRole('button', { name: 'node charge, start 2' }).click();
    await page.locator(`main.run-view[data-run="${runId}"]`).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
