/**
 * Moves workflow runs on: starts a run, applies what finished (tasks, map items, sub-runs), plans
 * with `planRun`, starts what became ready, and pauses, resumes, cancels and retries runs. Every
 * change to a run happens inside its row lock (`RunStore.withLockedRun`), so any agent may call
 * any method; the leader's `RunDriver` finds what finished and calls `advance`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import type { WorkflowDefinition, WorkflowNode } from '../../shared/workflows/workflowDefinition.js';
import { WorkflowGraph } from '../../shared/workflows/workflowGraph.js';
import type { Engine } from '../engine/Engine.js';
import type { WorkflowStore } from './WorkflowStore.js';
import { planRetry, type RetryMode } from './planRetry.js';
import { planRun } from './planRun.js';
import type { LockedRun, RunNodeRow, RunStore } from './RunStore.js';
import { enqueueItems, startNode, type SubRunRequest } from './startNode.js';

/** One finished piece of work: a node's task or sub-run, or one item of a map node. */
export interface Completion {
  nodeId: string;
  /** The map item, or null for the node's own task or sub-run. */
  index: number | null;
  /** The task or sub-run that finished; ignored when it is no longer the node's (a retry replaced it). */
  workId: string;
  outcome: { status: 'succeeded'; output: JsonValue } | { status: 'failed'; error: JsonValue };
}

/** A refusal the API answers with 404 or 409. */
export class RunRefusal extends Error {
  constructor(
    readonly kind: 'not-found' | 'conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RunRefusal';
  }
}

interface LoadedDefinition {
  definition: WorkflowDefinition;
  graph: WorkflowGraph;
  nodes: Map<string, WorkflowNode>;
}

export class RunEngine {
  readonly #definitions = new Map<string, LoadedDefinition>();

  /** Called after a run started, resumed or was retried here, so this agent's driver looks for finished work at once. */
  onWorkStarted: () => void = () => undefined;

  constructor(
    private readonly options: { runs: RunStore; workflows: WorkflowStore; engine: Engine; log: Logger },
  ) {}

  /** Starts a run of the workflow (the latest version unless `version` says) and its entry nodes. */
  async start(request: { workflow: string; version?: number; input: JsonValue; createdBy: string | null; id?: string }): Promise<string> {
    const stored = await this.options.workflows.get(request.workflow, request.version);
    if (!stored) throw new RunRefusal('not-found', request.version === undefined ? `no workflow ${request.workflow}` : `workflow ${request.workflow} has no version ${request.version}`);
    const id = request.id ?? randomUUID();
    const created = await this.options.runs.create({ id, workflow: stored.name, version: stored.version, input: request.input, createdBy: request.createdBy }, stored.definition.nodes.map((node) => node.id));
    if (created) await this.advance(id, [], { planAll: true });
    this.onWorkStarted();
    return id;
  }

  /** Applies completions, then plans and starts what is ready; with `planAll`, looks at every node. */
  async advance(runId: string, completions: readonly Completion[], { planAll = false } = {}): Promise<void> {
    const subRuns: SubRunRequest[] = [];
    await this.options.runs.withLockedRun(runId, async (locked) => {
      const loaded = await this.#definition(locked.run.workflow, locked.run.version);
      let changed = await this.#apply(locked, loaded, completions);
      if (locked.run.state === 'cancelled' || locked.run.state === 'succeeded') return;
      let all = planAll;
      for (;;) {
        const rows = await locked.nodes();
        const snapshot = await locked.snapshot(rows);
        const plan = planRun(loaded.definition, snapshot, { graph: loaded.graph, changed: all ? undefined : changed });
        await locked.decideEdges(plan.decideEdges);
        await locked.changeNodes(plan.skip, { state: 'skipped', finished: true });
        const scope = { input: locked.run.input, nodes: outputsOf(rows) };
        const context = { locked, engine: this.options.engine, scope, startSubRun: async (request: SubRunRequest) => void subRuns.push(request) };
        const finishedAtStart: string[] = [];
        const byId = new Map(rows.map((row) => [row.nodeId, row]));
        for (const id of plan.start) {
          const result = await startNode(context, loaded.nodes.get(id)!, byId.get(id)!);
          if (result.kind === 'finished') finishedAtStart.push(id);
        }
        if (plan.state !== locked.run.state || plan.output !== undefined || plan.failure) {
          await locked.changeRun({ state: plan.state, output: plan.output, failure: plan.failure });
        }
        if (finishedAtStart.length === 0) break;
        changed = new Set(finishedAtStart);
        all = false;
      }
    });
    for (const request of subRuns) {
      await this.start({ id: request.id, workflow: request.workflow, version: request.version, input: request.input, createdBy: `run:${runId}` }).catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.warn({ runId, subRun: request.id, err: error }, 'a sub-run could not start');
        const failed: Completion = { nodeId: '', index: null, workId: request.id, outcome: { status: 'failed', error: { message: `sub-run could not start: ${message}` } } };
        const node = (await this.options.runs.get(runId))?.nodes.find((row) => row.childRun === request.id);
        if (node) await this.advance(runId, [{ ...failed, nodeId: node.nodeId }]);
      });
    }
  }

  async pause(runId: string): Promise<void> {
    await this.#change(runId, async (locked) => {
      if (locked.run.state !== 'running') throw new RunRefusal('conflict', `run ${runId} is ${locked.run.state}, not running`);
      await locked.changeRun({ state: 'paused' });
    });
  }

  async resume(runId: string): Promise<void> {
    await this.#change(runId, async (locked) => {
      if (locked.run.state !== 'paused') throw new RunRefusal('conflict', `run ${runId} is ${locked.run.state}, not paused`);
      await locked.changeRun({ state: 'running' });
    });
    await this.advance(runId, [], { planAll: true });
    this.onWorkStarted();
  }

  /** Cancels the run: its waiting and running nodes are cancelled, and their tasks with them. */
  async cancel(runId: string): Promise<void> {
    const tasks: Array<{ queue: string; id: string }> = [];
    await this.#change(runId, async (locked) => {
      if (!['running', 'paused', 'failed'].includes(locked.run.state)) throw new RunRefusal('conflict', `run ${runId} has ${locked.run.state}`);
      const rows = await locked.nodes();
      const open = rows.filter((row) => row.state === 'waiting' || row.state === 'running');
      for (const row of open.filter((candidate) => candidate.state === 'running' && candidate.taskQueue)) {
        if (row.taskId) tasks.push({ queue: row.taskQueue!, id: row.taskId });
        for (const item of await locked.items(row.nodeId)) if (item.state === 'running' && item.taskId) tasks.push({ queue: row.taskQueue!, id: item.taskId });
      }
      await locked.changeNodes(
        open.map((row) => row.nodeId),
        { state: 'cancelled', finished: true },
      );
      await locked.changeRun({ state: 'cancelled' });
    });
    await Promise.all(tasks.map((task) => this.options.engine.cancel(task.queue, task.id).catch(() => false)));
  }

  /** Retries from `nodeId` in `mode` (see planRetry); the run must not be running or paused with work under way on a node it resets. */
  async retry(runId: string, nodeId: string, mode: RetryMode): Promise<void> {
    await this.#change(runId, async (locked) => {
      const loaded = await this.#definition(locked.run.workflow, locked.run.version);
      if (!loaded.nodes.has(nodeId)) throw new RunRefusal('not-found', `run ${runId} has no node ${nodeId}`, 'body.node');
      const rows = await locked.nodes();
      const plan = planRetry(loaded.definition, await locked.snapshot(rows), nodeId, mode, loaded.graph);
      const busy = rows.filter((row) => plan.reset.includes(row.nodeId) && row.state === 'running').map((row) => row.nodeId);
      if (busy.length > 0) throw new RunRefusal('conflict', `node${busy.length > 1 ? 's' : ''} ${busy.join(', ')} still running: wait for ${busy.length > 1 ? 'them' : 'it'} to finish, or cancel the run first`, 'body.node');
      if (plan.reset.length === 0) throw new RunRefusal('conflict', `nothing to retry from ${nodeId} in mode ${mode}`, 'body.mode');
      await locked.forgetEdges(plan.forgetEdges);
      await locked.deleteItems(plan.reset);
      await locked.changeNodes(plan.reset, { state: 'waiting', output: null, error: null, taskId: null, childRun: null, itemsTotal: null, itemsFinished: 0, finished: null });
      await locked.changeRun({ state: 'running', output: null, failure: null });
    });
    await this.advance(runId, [], { planAll: true });
    this.onWorkStarted();
  }

  async #change(runId: string, work: (locked: LockedRun) => Promise<void>): Promise<void> {
    const found = await this.options.runs.withLockedRun(runId, async (locked) => {
      await work(locked);
      return true;
    });
    if (!found) throw new RunRefusal('not-found', `no run ${runId}`, 'params.id');
  }

  /** Records completions that still belong to their nodes; answers the nodes that finished. */
  async #apply(locked: LockedRun, loaded: LoadedDefinition, completions: readonly Completion[]): Promise<Set<string>> {
    const changed = new Set<string>();
    if (completions.length === 0) return changed;
    const rows = new Map((await locked.nodes()).map((row) => [row.nodeId, row]));
    const itemsByNode = new Map<string, Completion[]>();
    for (const completion of completions) {
      const row = rows.get(completion.nodeId);
      if (!row || row.state !== 'running') continue;
      if (completion.index !== null) {
        itemsByNode.set(row.nodeId, [...(itemsByNode.get(row.nodeId) ?? []), completion]);
      } else if (row.taskId === completion.workId || row.childRun === completion.workId) {
        await this.#finishNode(locked, row, completion.outcome);
        changed.add(row.nodeId);
      }
    }
    for (const [nodeId, itemCompletions] of itemsByNode) {
      const node = loaded.nodes.get(nodeId);
      if (node?.kind === 'map' && (await this.#finishItems(locked, node, rows.get(nodeId)!, itemCompletions, rows))) changed.add(nodeId);
    }
    return changed;
  }

  async #finishNode(locked: LockedRun, row: RunNodeRow, outcome: Completion['outcome']): Promise<void> {
    if (outcome.status === 'succeeded') await locked.changeNodes([row.nodeId], { state: 'succeeded', output: outcome.output, finished: true });
    else await locked.changeNodes([row.nodeId], { state: 'failed', error: outcome.error, finished: true });
    row.state = outcome.status;
  }

  /**
   * Records finished items of a running map node and enqueues the next ones up to its concurrency;
   * answers true when the node finished (every item succeeded, or one failed).
   */
  async #finishItems(locked: LockedRun, node: Extract<WorkflowNode, { kind: 'map' }>, row: RunNodeRow, completions: readonly Completion[], rows: Map<string, RunNodeRow>): Promise<boolean> {
    const items = await locked.items(row.nodeId);
    const finished = completions.flatMap((completion) => {
      const item = items[completion.index!];
      if (!item || item.state !== 'running' || item.taskId !== completion.workId) return [];
      const { outcome } = completion;
      item.state = outcome.status;
      item.output = outcome.status === 'succeeded' ? outcome.output : null;
      return [{ index: item.index, state: outcome.status, value: outcome.status === 'succeeded' ? outcome.output : outcome.error }];
    });
    await locked.changeNodes([row.nodeId], { itemsFinished: row.itemsFinished + finished.filter((item) => item.state === 'succeeded').length });
    await locked.finishItems(row.nodeId, finished);
    const failure = finished.find((item) => item.state === 'failed');
    if (failure) {
      await this.#finishNode(locked, row, { status: 'failed', error: { message: `item ${failure.index} failed`, item: failure.index, error: failure.value } });
      return true;
    }
    if (items.every((item) => item.state === 'succeeded')) {
      await this.#finishNode(locked, row, { status: 'succeeded', output: items.map((item) => item.output ?? null) });
      return true;
    }
    if (locked.run.state !== 'running') return false;
    const running = items.filter((item) => item.state === 'running').length;
    const next = items.filter((item) => item.state === 'waiting').slice(0, Math.max(0, node.concurrency - running)).map((item) => item.index);
    await enqueueItems({ locked, engine: this.options.engine, scope: { input: locked.run.input, nodes: outputsOf([...rows.values()]) } }, node, row.starts, row.input as JsonValue[], next);
    return false;
  }

  async #definition(workflow: string, version: number): Promise<LoadedDefinition> {
    const key = `${workflow}@${version}`;
    let loaded = this.#definitions.get(key);
    if (!loaded) {
      const stored = await this.options.workflows.get(workflow, version);
      if (!stored) throw new Error(`workflow ${key} is missing: its run cannot move on`);
      loaded = { definition: stored.definition, graph: new WorkflowGraph(stored.definition), nodes: new Map(stored.definition.nodes.map((node) => [node.id, node])) };
      if (this.#definitions.size >= 200) this.#definitions.delete(this.#definitions.keys().next().value!);
      this.#definitions.set(key, loaded);
    }
    return loaded;
  }
}

/** The `nodes` scope of expressions: each succeeded node's output. */
function outputsOf(rows: readonly RunNodeRow[]): Record<string, JsonValue> {
  return Object.fromEntries(rows.filter((row) => row.state === 'succeeded').map((row) => [row.nodeId, { output: row.output }]));
}
