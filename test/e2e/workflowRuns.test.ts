/**
 * The live run view of the web console in a real browser (Debian's Chromium through
 * playwright-core) against a real agent, with an SDK worker in this process running the node
 * tasks: a 5-node workflow (a task, a map over six items, its reduce, a task that fails while
 * `failing` says so after the reduce, and a join of it with the first task) is started through the API and followed live — nodes turn green
 * from `run` events, one fails red, the node detail shows its output and the task's log lines,
 * the map node its progress and items, the timeline its rows — then the failed node is retried
 * from its context menu (keyboard and right-click) and the run succeeds. Also pause, resume and
 * cancel of a run held at a gate, and what a viewer does not see (and the list's filters). Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { createWorker, type Worker } from '../../agent/worker/index.js';
import type { RunView } from '../../shared/api/schemas/workflowRuns.js';
import type { Role } from '../../shared/security/permissions.js';
import type { WorkflowDefinitionInput } from '../../shared/workflows/workflowDefinition.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { redisUrl } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/workflowRuns.test.ts skipped: ${browserSkipReason}`);

const queue = 'wf-e2e';

/** A gate a handler waits at until the test opens it (or the attempt is aborted). */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, wait: (signal: AbortSignal) => Promise.race([opened, new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))]) };
}

const task = (id: string, type: string, input: Record<string, unknown> = {}) => ({ id, kind: 'task' as const, queue, type, input: input as never, retry: { maxAttempts: 1 } });

const orders: WorkflowDefinitionInput = {
  name: 'e2e-orders',
  nodes: [
    task('fetch', 'order.fetch', { order: '{{ input.order }}' }),
    { id: 'lines', kind: 'map', queue, type: 'line.price', over: 'nodes.fetch.output.lines', input: { line: '{{ item }}' }, concurrency: 2, retry: { maxAttempts: 1 } },
    { id: 'total', kind: 'reduce', queue, type: 'order.sum', input: { parts: '{{ nodes.lines.output }}' }, retry: { maxAttempts: 1 } },
    task('charge', 'order.charge', { order: '{{ input.order }}' }),
    task('notify', 'order.notify', { total: '{{ nodes.total.output }}' }),
  ],
  edges: [
    { from: 'fetch', to: 'lines' },
    { from: 'lines', to: 'total' },
    { from: 'total', to: 'charge' },
    { from: 'charge', to: 'notify' },
    { from: 'fetch', to: 'notify' },
  ],
};

const held: WorkflowDefinitionInput = {
  name: 'e2e-held',
  nodes: [task('hold', 'step.hold'), task('after', 'step.after')],
  edges: [{ from: 'hold', to: 'after' }],
};

/** One node whose task fails its first attempt and holds its second at a gate (retried at once). */
const retried: WorkflowDefinitionInput = {
  name: 'e2e-retried',
  nodes: [{ ...task('again', 'step.again'), retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 0, jitter: 0 } } }],
  edges: [],
};

describe.skipIf(browserSkipReason !== null)(`the live run view in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;
  let worker: Worker;
  /** While true, `order.charge` fails. */
  let failing = true;
  let fetchGate = gate();
  let holdGate = gate();
  const againGate = gate();

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: queue } });
    worker = createWorker({
      redisUrl,
      prefix: api.redisPrefix,
      queues: [{ name: queue, concurrency: 10 }],
      log: pino({ level: 'silent' }),
      handlers: {
        'order.fetch': async (context) => {
          await fetchGate.wait(context.signal);
          context.log('fetched 6 lines');
          return { order: (context.payload as { order: string }).order, lines: [1, 2, 3, 4, 5, 6] };
        },
        'line.price': async (context) => (context.payload as { line: number }).line * 10,
        'order.sum': async (context) => (context.payload as { parts: number[] }).parts.reduce((sum, part) => sum + part, 0),
        'order.charge': async (context) => {
          context.log(`charging, failing=${failing}`);
          if (failing) throw new Error('card declined');
          return { charged: true };
        },
        'order.notify': async (context) => ({ sent: (context.payload as { total: number }).total }),
        'step.hold': async (context) => {
          await holdGate.wait(context.signal);
          return 'released';
        },
        'step.after': async () => 'after',
        'step.again': async (context) => {
          if (context.attempt === 1) throw new Error('first attempt fails');
          await againGate.wait(context.signal);
          return 'second attempt';
        },
      },
    });
    await worker.start();
    browser = await launchChromium();
    for (const definition of [orders, held, retried]) await api.client('operator').call('workflows.save', { body: { definition } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.close({ drainMs: 1_000 });
    await api?.close();
  });

  const startRun = (name: string, input: unknown = {}) => api.client('operator').call('runs.start', { params: { name }, body: { input } });
  const getRun = (id: string) => api.client('viewer').call('runs.get', { params: { id } });
  const runReaches = (id: string, state: RunView['state']) =>
    until(async () => ((await getRun(id)).state === state ? true : undefined), { timeoutMs: 30_000, message: `run ${id} to be ${state}` });

  /** A signed-in page with the run open from the Runs list. */
  const openRun = async (role: Role, runId: string): Promise<{ page: Page; problems: string[]; frames: string[] }> => {
    const opened = await openConsole(browser, api.url);
    const frames: string[] = [];
    opened.page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload))));
    await signIn(opened.page, role);
    await opened.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
    await opened.page.getByRole('table', { name: 'Runs' }).locator(`tr[data-run="${runId}"]`).getByRole('button').click();
    await opened.page.locator(`main.run-view[data-run="${runId}"]`).waitFor();
    return { ...opened, frames };
  };
  const node = (page: Page, id: string) => page.locator(`.react-flow [data-node-id="${id}"]`);
  const nodeIn = (page: Page, id: string, state: string) => page.locator(`.react-flow [data-node-id="${id}"][data-state="${state}"]`).waitFor({ timeout: 30_000 });

  it('follows a run live, shows a failed node, its detail, the map progress and timeline, and retries it from the context menu', async () => {
    failing = true;
    fetchGate = gate();
    const run = await startRun(orders.name, { order: 'A-1' });
    const { page, problems, frames } = await openRun('operator', run.id);
    await nodeIn(page, 'fetch', 'running');
    for (const id of ['lines', 'total', 'charge', 'notify']) expect(await node(page, id).getAttribute('data-state')).toBe('waiting');
    await page.getByRole('list', { name: 'Legend' }).waitFor();
    // Every edge is drawn, none decided yet.
    const edges = page.locator('svg.run-edges path[data-edge]');
    expect(await edges.evaluateAll((paths) => paths.map((path) => `${path.getAttribute('data-edge')} ${path.getAttribute('data-decision')}`))).toEqual(
      orders.edges!.map((edge) => `${edge.from}->${edge.to} undecided`),
    );
    await screenshot(page, 'workflow-runs-live-running');

    fetchGate.open();
    await nodeIn(page, 'fetch', 'succeeded');
    await nodeIn(page, 'total', 'succeeded');
    await nodeIn(page, 'charge', 'failed');
    await page.locator('main.run-view[data-run-state="failed"]').waitFor();
    // The states came over the event stream, as `run` frames.
    expect(frames.some((frame) => frame.includes('"kind":"run"') && frame.includes('"succeeded"'))).toBe(true);
    expect(await node(page, 'notify').getAttribute('data-state')).toBe('waiting');
    expect(await page.locator('.run-failure').textContent()).toContain('charge');
    await page.locator('svg.run-edges path[data-edge="total->charge"][data-decision="taken"]').waitFor({ state: 'attached' });
    expect(await page.locator('svg.run-edges path[data-edge="charge->notify"]').getAttribute('data-decision')).toBe('undecided');
    await screenshot(page, 'workflow-runs-failed');

    // Finished task nodes show their attempts from the frames alone; the map node has no task of its own.
    await node(page, 'total').locator('.run-node-attempts').filter({ hasText: /^1 attempt$/ }).waitFor();
    expect(await node(page, 'lines').locator('.run-node-attempts').count()).toBe(0);

    // The map node: six of six items, a full bar; its items expand in the detail.
    const progress = node(page, 'lines').locator('.run-node-progress');
    expect([await progress.getAttribute('data-finished'), await progress.getAttribute('data-total')]).toEqual(['6', '6']);
    expect(await progress.locator('.map-progress-count').textContent()).toBe('6/6');
    await node(page, 'lines').click();
    const detail = page.getByRole('complementary', { name: 'Node detail' });
    await detail.getByRole('button', { name: 'Show items' }).click();
    const items = detail.getByRole('table', { name: 'Items of lines' });
    await items.locator('tr[data-item="5"]').waitFor();
    expect(await items.locator('tr[data-item]').count()).toBe(6);
    expect(await items.locator('tr[data-item="2"] .item-value').textContent()).toBe('30');
    await screenshot(page, 'workflow-runs-map-items');

    // The node detail: output and the task's attempts with its log line.
    await node(page, 'fetch').click();
    await page.locator('aside.node-detail[data-node="fetch"]').waitFor();
    await detail.getByRole('heading', { name: 'fetch' }).waitFor();
    expect(JSON.parse((await detail.locator('pre.node-output').textContent())!)).toEqual({ order: 'A-1', lines: [1, 2, 3, 4, 5, 6] });
    await detail.locator('pre.logs').filter({ hasText: 'fetched 6 lines' }).waitFor();
    await node(page, 'fetch').locator('.run-node-attempts').filter({ hasText: '1 attempt' }).waitFor();
    await node(page, 'charge').click();
    await detail.getByRole('heading', { name: 'charge' }).waitFor();
    await detail.locator('.attempt-error').filter({ hasText: 'card declined' }).waitFor();
    expect(await detail.locator('pre.node-error').textContent()).toContain('card declined');
    await screenshot(page, 'workflow-runs-node-detail');

    // The timeline: one row per node that ran, in start order, fetch first.
    const rows = page.getByRole('list', { name: 'Node runs' }).locator('[data-gantt-node]');
    expect(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-gantt-node')))).toEqual(expect.arrayContaining(['fetch', 'lines', 'total', 'charge']));
    expect(await rows.first().getAttribute('data-gantt-node')).toBe('fetch');
    expect(await page.locator('[data-gantt-node="charge"]').getAttribute('data-state')).toBe('failed');

    // The context menu from the keyboard: Shift+F10 on the focused node, Escape gives focus back.
    await node(page, 'charge').focus();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Actions on charge' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Retry this node only', 'Retry this node and everything downstream', 'Retry failed nodes from here']);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-node-id'))).toBe('charge');
    await page.keyboard.press('ContextMenu');
    await menu.waitFor();
    await page.keyboard.press('Escape');

    // Right-click, retry this node only, confirmed, once the flag is cleared: the run succeeds.
    failing = false;
    await node(page, 'charge').click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Retry this node only' }).click();
    const confirmation = page.getByRole('alertdialog', { name: 'Confirm retry this node only' });
    expect(await confirmation.textContent()).toContain('Retry charge only?');
    await screenshot(page, 'workflow-runs-retry-confirm');
    await confirmation.getByRole('button', { name: 'Confirm' }).click();
    await nodeIn(page, 'charge', 'succeeded');
    await nodeIn(page, 'notify', 'succeeded');
    await page.locator('main.run-view[data-run-state="succeeded"]').waitFor({ timeout: 30_000 });
    expect(await node(page, 'charge').locator('.run-node-starts').textContent()).toBe('2 starts');
    const finished = await getRun(run.id);
    expect(finished.state).toBe('succeeded');
    expect(finished.nodes.find((each) => each.id === 'charge')).toMatchObject({ state: 'succeeded', starts: 2 });
    await screenshot(page, 'workflow-runs-succeeded');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('counts a running node task’s retries on its card, without a click', async () => {
    const run = await startRun(retried.name);
    const { page, problems } = await openRun('viewer', run.id);
    // The first attempt failed and the second is held: the card says so while the node still runs.
    await page.locator('.react-flow [data-node-id="again"][data-state="running"] .run-node-attempts').filter({ hasText: /^1 attempt$/ }).waitFor({ timeout: 30_000 });
    againGate.open();
    await nodeIn(page, 'again', 'succeeded');
    await node(page, 'again').locator('.run-node-attempts').filter({ hasText: /^2 attempts$/ }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('pauses, resumes and cancels a run from its header', async () => {
    holdGate = gate();
    const run = await startRun(held.name);
    const { page, problems } = await openRun('operator', run.id);
    await nodeIn(page, 'hold', 'running');
    const actions = page.getByRole('group', { name: 'Run actions' });
    await actions.getByRole('button', { name: 'Pause' }).click();
    // A waiting node of a paused run shows as paused.
    await nodeIn(page, 'after', 'paused');
    await page.locator('main.run-view[data-run-state="paused"]').waitFor();
    expect((await getRun(run.id)).state).toBe('paused');
    await screenshot(page, 'workflow-runs-paused');

    await actions.getByRole('button', { name: 'Resume' }).click();
    await nodeIn(page, 'after', 'waiting');
    expect((await getRun(run.id)).state).toBe('running');

    await actions.getByRole('button', { name: 'Cancel run' }).click();
    await actions.getByRole('group', { name: 'Confirm cancel run' }).getByRole('button', { name: 'Confirm' }).click();
    await page.locator('main.run-view[data-run-state="cancelled"]').waitFor();
    await runReaches(run.id, 'cancelled');
    await until(async () => (await getRun(run.id)).nodes.every((each) => each.state !== 'running'), { timeoutMs: 30_000, message: 'the held node to stop' });
    await nodeIn(page, 'hold', 'cancelled');
    expect(await actions.getByRole('button').count()).toBe(0);
    await screenshot(page, 'workflow-runs-cancelled');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('shows a viewer the run and its detail but no control that changes anything', async () => {
    failing = false;
    fetchGate = gate();
    fetchGate.open();
    const run = await startRun(orders.name, { order: 'V-1' });
    await runReaches(run.id, 'succeeded');
    const { page, problems } = await openRun('viewer', run.id);
    await nodeIn(page, 'notify', 'succeeded');
    await node(page, 'charge').click({ button: 'right' });
    await node(page, 'charge').focus();
    await page.keyboard.press('Shift+F10');
    await node(page, 'fetch').click();
    await page.getByRole('complementary', { name: 'Node detail' }).locator('pre.logs').waitFor();
    expect(await page.getByRole('menu').count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Run actions' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /pause|resume|cancel|retry|confirm/i }).count()).toBe(0);
    await screenshot(page, 'workflow-runs-viewer');

    // Back to the list: filters by workflow and state.
    await page.getByRole('button', { name: '← All runs' }).click();
    const filters = page.getByRole('form', { name: 'Filter runs' });
    await filters.getByLabel('Workflow').selectOption(orders.name);
    await filters.getByLabel('State').selectOption('failed');
    await page.getByText('No runs match.').waitFor();
    await filters.getByLabel('State').selectOption('succeeded');
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tr[data-run]');
    await page.locator(`tr[data-run="${run.id}"]`).waitFor();
    expect(new Set(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-state'))))).toEqual(new Set(['succeeded']));
    expect(await rows.first().locator('td').nth(0).textContent()).toBe(orders.name);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
