/**
 * The workflow builder of the web console in a real browser (Debian's Chromium through
 * playwright-core) against a real agent, with an SDK worker in this process that registers the
 * task types the palette offers. An operator draws a 5-node workflow by dragging palette entries
 * onto the canvas (HTML5 drag and drop) and connecting ports, fixes the validation error shown on
 * a node, saves version 1, changes a node and saves version 2, sees the changed node in the
 * diff, uses undo/redo and copy/paste, exports and imports the JSON (a broken file changes
 * nothing), and starts a run. A viewer sees the same drawing with no control that changes
 * anything. Screenshots go to test-results/.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { createWorker, type Worker } from '../../agent/worker/index.js';
import type { Role } from '../../shared/security/permissions.js';
import { startApiTestAgent, type ApiTestAgent } from '../helpers/apiAgent.js';
import { browserSkipReason, ensureRendererBuilt, launchChromium, openConsole, screenshot, signIn } from '../helpers/consoleBrowser.js';
import { redisUrl } from '../helpers/redis.js';
import { builderNode as node, canvasNodes, connectNodes as connect, dropFromPalette, nodeSettings as settings } from '../helpers/workflowCanvas.js';
import { until } from '../helpers/until.js';

if (browserSkipReason) console.warn(`test/e2e/workflowBuilder.test.ts skipped: ${browserSkipReason}`);

const jobs = 'build-jobs';
const mail = 'build-mail';
const workflow = 'e2e-built';

describe.skipIf(browserSkipReason !== null)(`the workflow builder in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ''}`, () => {
  let api: ApiTestAgent;
  let browser: Browser;
  let worker: Worker;

  beforeAll(async () => {
    await ensureRendererBuilt();
    api = await startApiTestAgent();
    for (const name of [jobs, mail]) await api.client('operator').call('queues.create', { body: { name } });
    worker = createWorker({
      redisUrl,
      prefix: api.redisPrefix,
      queues: [jobs],
      log: pino({ level: 'silent' }),
      handlers: {
        'order.fetch': async () => ({ total: 12, paid: true }),
        'order.charge': async () => ({ charged: true }),
        'order.pack': async () => 'packed',
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

  /**
   * A signed-in page on the Workflows view. `problems` also collects every console error (React's,
   * React Flow's), not only CSP reports — except Chromium's note on the API answer the test
   * provokes and checks on the page (the refused save).
   */
  const workflowsView = async (role: Role): Promise<{ page: Page; problems: string[] }> => {
    const opened = await openConsole(browser, api.url);
    opened.page.on('console', (message) => {
      if (message.type() !== 'error' || /Content Security Policy/i.test(message.text())) return;
      const { url } = message.location();
      if (message.text().startsWith('Failed to load resource') && url.endsWith('/api/v1/workflows')) return;
      opened.problems.push(`${message.text()} (${message.location().url})`);
    });
    // Room for the palette, a canvas that holds five nodes side by side, and the settings panel.
    await opened.page.setViewportSize({ width: 1600, height: 1000 });
    await signIn(opened.page, role);
    await opened.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Workflows', exact: true }).click();
    await opened.page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    return opened;
  };

  it('lets an operator draw, fix, save, change, compare, export, import and run a workflow', async () => {
    const { page, problems } = await workflowsView('operator');
    await page.getByRole('form', { name: 'New workflow' }).getByLabel('Name').fill(workflow);
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByRole('toolbar', { name: 'Builder' }).waitFor();
    // The palette offers what the SDK worker registered, grouped by its queue.
    await page.getByRole('region', { name: `Queue ${jobs}` }).getByRole('button', { name: `Add task order.fetch on ${jobs}` }).waitFor();

    await dropFromPalette(page, `Add task order.fetch on ${jobs}`, 30, 200);
    await dropFromPalette(page, 'Add Branch node', 290, 80);
    await dropFromPalette(page, `Add task order.pack on ${jobs}`, 290, 330);
    await dropFromPalette(page, `Add task order.charge on ${jobs}`, 550, 80);
    await dropFromPalette(page, 'Add Task node', 550, 330);
    await until(async () => (await canvasNodes(page).count()) === 5, { message: 'five nodes on the canvas' });
    expect(await page.locator('.workflow-builder [data-kind]').evaluateAll((elements) => elements.map((element) => `${element.getAttribute('data-node-id')}:${element.getAttribute('data-kind')}`))).toEqual([
      'fetch:task',
      'branch:branch',
      'pack:task',
      'charge:task',
      'task:task',
    ]);
    // Each landed where it was dropped: left to right as dropped.
    const fetchBox = (await node(page, 'fetch').boundingBox())!;
    const chargeBox = (await node(page, 'charge').boundingBox())!;
    expect(chargeBox.x).toBeGreaterThan(fetchBox.x + 300);

    // The free Task has no queue or type yet: the validator says so on the node and in the panel.
    const freeTask = node(page, 'task');
    await expect.poll(() => freeTask.getAttribute('class')).toContain('has-problems');
    expect(await freeTask.locator('.problem-badge').textContent()).toBe('2');
    const problemsPanel = page.getByRole('region', { name: 'Problems' });
    expect(await problemsPanel.textContent()).toContain('nodes[4].queue');

    await connect(page, 'fetch', 'branch');
    await connect(page, 'branch', 'charge');
    await connect(page, 'branch', 'pack');
    await connect(page, 'charge', 'task');
    await connect(page, 'pack', 'task');
    await screenshot(page, 'workflow-builder-drawn');

    // Fix it: the problem list focuses the node; its settings take a queue and a type, and an id.
    await problemsPanel.getByRole('button', { name: /nodes\[4\]\.queue/ }).click();
    await settings(page).getByLabel('Queue', { exact: true }).fill(mail);
    await settings(page).getByLabel('Task type', { exact: true }).fill('mail.send');
    await until(async () => !(await freeTask.getAttribute('class'))?.includes('has-problems'), { message: 'the task node to lose its problems' });
    await settings(page).getByLabel('Id', { exact: true }).fill('notify');
    await settings(page).getByLabel('Id', { exact: true }).press('Enter');
    await node(page, 'notify').waitFor();
    // A condition on the branch's edge to charge, typed on the selected edge; a broken one is named first.
    await page.locator('.react-flow__edge[data-id="branch->charge"]').click();
    const edgeSettings = page.getByRole('region', { name: 'Edge settings' });
    await edgeSettings.getByLabel('Condition (when)').fill('nodes.fetch.output.paid ==');
    await edgeSettings.getByRole('alert').filter({ hasText: 'bad expression' }).waitFor();
    await edgeSettings.getByLabel('Condition (when)').fill('nodes.fetch.output.paid == true');
    await problemsPanel.getByRole('status').filter({ hasText: 'No problems' }).waitFor();
    await screenshot(page, 'workflow-builder-valid');

    await page.getByLabel('Version message').fill('first drawing');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved version 1.' }).waitFor();
    const first = await api.client('viewer').call('workflows.get', { params: { name: workflow }, query: {} });
    expect(first.version).toBe(1);
    expect(first.message).toBe('first drawing');
    expect(first.definition.nodes.map((saved) => `${saved.id}:${saved.kind}`).sort()).toEqual(['branch:branch', 'charge:task', 'fetch:task', 'notify:task', 'pack:task']);
    expect(first.definition.nodes.find((saved) => saved.id === 'notify')).toMatchObject({ queue: mail, type: 'mail.send' });
    expect(first.definition.edges.map((edge) => `${edge.from}->${edge.to}${edge.when ? ` if ${edge.when}` : ''}`).sort()).toEqual([
      'branch->charge if nodes.fetch.output.paid == true',
      'branch->pack',
      'charge->notify',
      'fetch->branch',
      'pack->notify',
    ]);

    // Version 2: charge gets a timeout.
    await node(page, 'charge').click();
    await settings(page).getByLabel('Timeout (ms)').fill('5000');
    await page.getByLabel('Version message').fill('charge times out');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved version 2.' }).waitFor();
    const second = await api.client('viewer').call('workflows.get', { params: { name: workflow }, query: {} });
    expect(second.version).toBe(2);
    expect(second.definition.nodes.find((saved) => saved.id === 'charge')).toMatchObject({ timeoutMs: 5000 });

    // The diff of v1 and v2 highlights charge as changed and nothing else.
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Compare v1 with v2' }).click();
    const diff = page.getByRole('region', { name: 'Version diff' });
    await diff.locator('[data-node-id="charge"]').waitFor();
    expect(await diff.locator('[data-node-id="charge"]').getAttribute('data-diff')).toBe('changed');
    expect(await diff.locator('[data-diff="same"]').count()).toBe(4);
    expect(await diff.getByRole('list', { name: 'Changes' }).textContent()).toContain('changed node charge: timeoutMs');
    expect(await diff.getByRole('list', { name: 'Legend' }).textContent()).toContain('removed (drawn from the older version)');
    await screenshot(page, 'workflow-builder-diff');
    await diff.getByRole('button', { name: 'Close diff' }).click();
    await canvasNodes(page).nth(4).waitFor();

    // Opening a version over unsaved changes asks first; Cancel keeps them, and undo takes the change back.
    await node(page, 'charge').click();
    await settings(page).getByLabel('Timeout (ms)').fill('6000');
    const history = page.getByRole('region', { name: 'Version history' });
    await history.getByRole('button', { name: 'Open v1' }).click();
    await history.getByText('Open v1? The unsaved changes on the canvas are lost.').waitFor();
    await history.getByRole('button', { name: 'Cancel' }).click();
    expect(await settings(page).getByLabel('Timeout (ms)').inputValue()).toBe('6000');
    await page.keyboard.press('Control+Z');
    await until(async () => (await settings(page).getByLabel('Timeout (ms)').inputValue()) === '5000', { message: 'the timeout change undone' });
    await page.getByRole('button', { name: 'Versions' }).click();

    // A node added from the keyboard: focus a palette entry and press Enter.
    await page.getByRole('button', { name: 'Add Sub-workflow node', exact: true }).focus();
    await page.keyboard.press('Enter');
    await node(page, 'subworkflow').waitFor();
    expect(await node(page, 'subworkflow').getAttribute('data-kind')).toBe('workflow');
    // It names a workflow the agent does not have; only the agent knows, and its refusal lists every problem.
    await settings(page).getByLabel('Workflow', { exact: true }).fill('missing-flow');
    await problemsPanel.getByRole('status').filter({ hasText: 'No problems' }).waitFor();
    await page.getByLabel('Version message').fill('with a sub-workflow');
    await page.getByRole('button', { name: 'Save version' }).click();
    const refusal = page.getByRole('list', { name: 'Save problems' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('unknown workflow missing-flow');
    expect((await api.client('viewer').call('workflows.versions', { params: { name: workflow } })).versions).toHaveLength(2);
    await settings(page).getByRole('button', { name: 'Delete node' }).click();
    await node(page, 'subworkflow').waitFor({ state: 'detached' });

    // Copy and paste (fresh id), undo and redo, multi-select and delete.
    await node(page, 'fetch').click();
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    await node(page, 'fetch_2').waitFor();
    await page.keyboard.press('Control+Z');
    await node(page, 'fetch_2').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+Z');
    await node(page, 'fetch_2').waitFor();
    await page.keyboard.press('Control+Z');
    await node(page, 'fetch_2').waitFor({ state: 'detached' });
    // The copy went on the system clipboard too: it pastes into another workflow in another tab.
    const other = await workflowsView('operator');
    await other.page.getByRole('form', { name: 'New workflow' }).getByLabel('Name').fill('e2e-pasted');
    await other.page.getByRole('button', { name: 'New workflow' }).click();
    await other.page.locator('.workflow-canvas .react-flow__pane').click({ position: { x: 20, y: 20 } });
    await other.page.keyboard.press('Control+V');
    await node(other.page, 'fetch').waitFor();
    expect(await canvasNodes(other.page).count()).toBe(1);
    expect(other.problems).toEqual([]);
    await other.page.context().close();
    await node(page, 'pack').click();
    await node(page, 'notify').click({ modifiers: ['Shift'] });
    const twoSelected = page.getByRole('region', { name: 'Selection' }).filter({ hasText: '2 nodes and 0 edges selected' });
    await twoSelected.waitFor();
    // The same two, with the three edges touching them, by drawing a box around them on the empty canvas.
    const pane = page.locator('.workflow-canvas .react-flow__pane');
    await pane.click({ position: { x: 20, y: 20 } });
    await twoSelected.waitFor({ state: 'detached' });
    const paneBox = (await pane.boundingBox())!;
    const [packBox, notifyBox] = [(await node(page, 'pack').boundingBox())!, (await node(page, 'notify').boundingBox())!];
    // From below the left one (above it, the edge into pack passes) to above the right one.
    await page.mouse.move(packBox.x - 10, packBox.y + packBox.height + 10);
    await page.mouse.down();
    await page.mouse.move(notifyBox.x + notifyBox.width + 10, notifyBox.y - 10, { steps: 8 });
    await page.mouse.up();
    expect(packBox.x - 10).toBeGreaterThan(paneBox.x);
    await page.getByRole('region', { name: 'Selection' }).filter({ hasText: '2 nodes and 3 edges selected' }).waitFor();
    await page.keyboard.press('Delete');
    await until(async () => (await canvasNodes(page).count()) === 3, { message: 'two nodes deleted' });

    // Export writes the draft; importing a broken file changes nothing; importing the export brings the nodes back.
    await page.keyboard.press('Control+Z');
    await until(async () => (await canvasNodes(page).count()) === 5, { message: 'the deletion undone' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    expect(download.suggestedFilename()).toBe(`${workflow}.workflow.json`);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as typeof second.definition;
    expect(exported.nodes.map((saved) => saved.id)).toEqual(['fetch', 'branch', 'pack', 'charge', 'notify']);
    expect(exported.nodes.find((saved) => saved.id === 'charge')).toMatchObject({ timeoutMs: 5000, position: { x: expect.any(Number), y: expect.any(Number) } });
    expect(exported.edges).toHaveLength(5);

    await node(page, 'pack').click();
    await page.keyboard.press('Delete');
    await until(async () => (await canvasNodes(page).count()) === 4, { message: 'pack deleted' });
    const importInput = page.getByRole('toolbar', { name: 'Builder' }).getByLabel('Import JSON');
    await importInput.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"name": "e2e-built", "nodes": [') });
    await page.getByRole('alert').filter({ hasText: 'broken.json is not JSON' }).waitFor();
    await importInput.setInputFiles({ name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ name: workflow, nodes: [{ id: 'x', kind: 'rocket' }] })) });
    await page.getByRole('alert').filter({ hasText: 'wrong.json is not a workflow definition — nodes[0].kind' }).waitFor();
    expect(await canvasNodes(page).count()).toBe(4);
    await importInput.setInputFiles({ name: 'exported.json', mimeType: 'application/json', buffer: await readFile((await download.path())!) });
    await until(async () => (await canvasNodes(page).count()) === 5, { message: 'the imported nodes' });
    await node(page, 'pack').waitFor();
    await problemsPanel.getByRole('status').filter({ hasText: 'No problems' }).waitFor();

    // Run version 2 with an input; a broken input is named before anything is sent.
    await page.getByRole('button', { name: 'Run…' }).click();
    const runForm = page.getByRole('region', { name: 'Run workflow' });
    await runForm.getByLabel('Run input (JSON)').fill('{"order": ');
    await runForm.getByRole('alert').filter({ hasText: 'Run input: not valid JSON' }).waitFor();
    expect(await runForm.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);
    await runForm.getByLabel('Run input (JSON)').fill('{"order": 7}');
    await screenshot(page, 'workflow-builder-run');
    await runForm.getByRole('button', { name: 'Start run' }).click();
    const runs = await until(async () => {
      const { runs: found } = await api.client('viewer').call('runs.list', { query: { workflow } });
      return found.length === 1 ? found : undefined;
    }, { message: `a run of ${workflow}` });
    expect(runs[0]).toMatchObject({ workflow, version: 2 });
    expect((await api.client('viewer').call('runs.get', { params: { id: runs[0]!.id } })).input).toEqual({ order: 7 });
    // The console moved on to the run.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true, pressed: true }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows a viewer the workflow and its settings with no control that changes anything', async () => {
    const { page, problems } = await workflowsView('viewer');
    const row = page.locator(`tr[data-workflow="${workflow}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('v2');
    expect(await page.getByRole('button', { name: 'New workflow' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await page.getByLabel('Import JSON').count()).toBe(0);
    await row.getByRole('button', { name: `Open ${workflow}` }).click();
    await until(async () => (await canvasNodes(page).count()) === 5, { message: 'the five nodes' });
    await node(page, 'charge').click();
    const readOnly = page.getByRole('region', { name: 'Node settings' });
    await readOnly.filter({ hasText: '5000' }).waitFor();
    await screenshot(page, 'workflow-builder-viewer');
    const builder = page.locator('.workflow-builder');
    expect(await builder.locator('input, textarea, select').count()).toBe(0);
    expect(await builder.getByRole('button', { name: /save|run|undo|redo|delete|paste|copy|import|auto-layout|^add /i }).count()).toBe(0);
    expect(await page.getByRole('complementary', { name: 'Palette' }).count()).toBe(0);
    expect(await builder.locator('.react-flow__handle.connectable').count()).toBe(0);
    // Dragging a node moves nothing (it pans the view; the node keeps its place in the drawing).
    const placed = () => page.locator('.react-flow__node[data-id="charge"]').evaluate((element) => (element as HTMLElement).style.transform);
    const before = await placed();
    await node(page, 'charge').dragTo(page.locator('.workflow-canvas .react-flow__pane'), { targetPosition: { x: 20, y: 20 } });
    expect(await placed()).toBe(before);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
