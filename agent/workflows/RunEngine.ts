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
import { enqueueInTransaction } from '../engine/postgres/enqueueInTransaction.js';
import type { WorkflowStore } from './WorkflowStore.js';
import { planRetry, type RetryMode } from './planRetry.js';
import { planRun } from './planRun.js';
import type { LockedRun, RunNodeRow, RunStore } from './RunStore.js';
import { enqueueItems, startNode, type SubRunRequest } from './startNode.js';

/** One finished piece of work: a node's task or sub-run, or one item of a map node. */
export interface Completion {
  /** Null for a sub-run reported by its id alone (`workId`): the node running it is looked up. */
  nodeId: string | null;
  /** The map item, or null for the node's own task or sub-run. */
  index: number | null;
  /** The task or sub-run that finished; ignored when it is no longer the node's (a retry replaced it). */
  workId: string;
  outcome: { status: 'succeeded'; output: JsonValue } | { status: 'failed'; error: JsonValue };
  /** For a task: how many attempts it took, when known (an announcement from an older agent leaves it out). */
  attempts?: number;
}

/** A run that ended (succeeded, failed or cancelled), as `onRunEnded` reports it. */
export interface EndedRun {
  id: string;
  createdBy: string | null;
  state: 'succeeded' | 'failed' | 'cancelled';
  output: JsonValue | null;
  failure: { nodeIds: string[]; message: string } | null;
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

/** How long `#enqueuer` trusts what it learnt of a queue's engine. */
const queueKindCacheMs = 5_000;

/** Enqueues for one locked run (see `RunEngine.#enqueuer`). */
type Enqueuer = Pick<Engine, 'enqueueBulk'>;

interface LoadedDefinition {
  definition: WorkflowDefinition;
  graph: WorkflowGraph;
  nodes: Map<string, WorkflowNode>;
}

export class RunEngine {
  readonly #definitions = new Map<string, LoadedDefinition>();
  /** Whether a queue is on the `postgres` engine, by name, as last looked up. */
  readonly #queueKinds = new Map<string, { postgres: boolean; at: number }>();

  /** Called after a run started, resumed or was retried here, so this agent's driver looks for finished work at once. */
  onWorkStarted: () => void = () => undefined;

  /** Called after a run ended here (so the driver moves its parent on, when it is a sub-run). */
  onRunEnded: (run: EndedRun) => void = () => undefined;

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
    let ended: EndedRun | undefined;
    const enqueuedInTransaction = new Set<string>();
    await this.options.runs.withLockedRun(runId, async (locked) => {
      const loaded = await this.#definition(locked.run.workflow, locked.run.version, locked);
      const engine = this.#enqueuer(locked, enqueuedInTransaction);
      let changed = await this.#apply(locked, engine, loaded, completions);
      if (locked.run.state === 'cancelled' || locked.run.state === 'succeeded') return;
      if (planAll && locked.run.state === 'running') {
        // Items that finished while the run was paused started nothing: top running map nodes up.
        const rows = new Map((await locked.nodes()).map((row) => [row.nodeId, row]));
        for (const row of rows.values()) {
          const node = loaded.nodes.get(row.nodeId);
          if (row.state === 'running' && node?.kind === 'map' && (await this.#finishItems(locked, engine, node, row, [], rows))) changed.add(row.nodeId);
        }
      }
      let all = planAll;
      for (;;) {
        const rows = await locked.nodes();
        const snapshot = await locked.snapshot(rows);
        const plan = planRun(loaded.definition, snapshot, { graph: loaded.graph, changed: all ? undefined : changed });
        await locked.decideEdges(plan.decideEdges);
        await locked.changeNodes(plan.skip, { state: 'skipped', finished: true });
        const scope = { input: locked.run.input, nodes: outputsOf(rows) };
        const context = { locked, engine, scope, startSubRun: async (request: SubRunRequest) => void subRuns.push(request) };
        const finishedAtStart: string[] = [];
        const byId = new Map(rows.map((row) => [row.nodeId, row]));
        for (const id of plan.start) {
          const result = await startNode(context, loaded.nodes.get(id)!, byId.get(id)!);
          if (result.kind === 'finished') finishedAtStart.push(id);
        }
        if (plan.state !== locked.run.state || plan.output !== undefined || plan.failure) {
          await locked.changeRun({ state: plan.state, output: plan.output, failure: plan.failure });
          if (plan.state === 'succeeded' || plan.state === 'failed') {
            ended = { id: runId, createdBy: locked.run.createdBy, state: plan.state, output: plan.output ?? null, failure: plan.failure ?? null };
          }
        }
        if (finishedAtStart.length === 0) break;
        changed = new Set(finishedAtStart);
        all = false;
      }
    });
    // Committed: wake the workers of the tasks it enqueued (PGlite's wake-ups reach no one else).
    for (const queue of enqueuedInTransaction) this.options.engine.committed(queue);
    if (ended) this.onRunEnded(ended);
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
    let ended: EndedRun | undefined;
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
      ended = { id: runId, createdBy: locked.run.createdBy, state: 'cancelled', output: null, failure: locked.run.failure };
    });
    if (ended) this.onRunEnded(ended);
    await Promise.all(tasks.map((task) => this.options.engine.cancel(task.queue, task.id).catch(() => false)));
  }

  /** Retries from `nodeId` in `mode` (see planRetry); the run must not be running or paused with work under way on a node it resets. */
  async retry(runId: string, nodeId: string, mode: RetryMode): Promise<void> {
    await this.#change(runId, async (locked) => {
      const loaded = await this.#definition(locked.run.workflow, locked.run.version, locked);
      if (!loaded.nodes.has(nodeId)) throw new RunRefusal('not-found', `run ${runId} has no node ${nodeId}`, 'body.node');
      const rows = await locked.nodes();
      const plan = planRetry(loaded.definition, await locked.snapshot(rows), nodeId, mode, loaded.graph);
      const busy = rows.filter((row) => plan.reset.includes(row.nodeId) && row.state === 'running').map((row) => row.nodeId);
      if (busy.length > 0) throw new RunRefusal('conflict', `node${busy.length > 1 ? 's' : ''} ${busy.join(', ')} still running: wait for ${busy.length > 1 ? 'them' : 'it'} to finish, or cancel the run first`, 'body.node');
      if (plan.reset.length === 0) throw new RunRefusal('conflict', `nothing to retry from ${nodeId} in mode ${mode}`, 'body.mode');
      await locked.forgetEdges(plan.forgetEdges);
      await locked.deleteItems(plan.reset);
      await locked.changeNodes(plan.reset, { state: 'waiting', attempts: null, output: null, error: null, taskId: null, childRun: null, itemsTotal: null, itemsFinished: 0, finished: null });
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
  async #apply(locked: LockedRun, engine: Enqueuer, loaded: LoadedDefinition, completions: readonly Completion[]): Promise<Set<string>> {
    const changed = new Set<string>();
    if (completions.length === 0) return changed;
    const rows = new Map((await locked.nodes()).map((row) => [row.nodeId, row]));
    const itemsByNode = new Map<string, Completion[]>();
    for (const completion of completions) {
      const row = completion.nodeId === null ? [...rows.values()].find((candidate) => candidate.childRun === completion.workId) : rows.get(completion.nodeId);
      if (!row || row.state !== 'running') continue;
      if (completion.index !== null) {
        itemsByNode.set(row.nodeId, [...(itemsByNode.get(row.nodeId) ?? []), completion]);
      } else if (row.taskId === completion.workId || row.childRun === completion.workId) {
        await this.#finishNode(locked, row, completion.outcome, completion.attempts);
        changed.add(row.nodeId);
      }
    }
    for (const [nodeId, itemCompletions] of itemsByNode) {
      const node = loaded.nodes.get(nodeId);
      if (node?.kind === 'map' && (await this.#finishItems(locked, engine, node, rows.get(nodeId)!, itemCompletions, rows))) changed.add(nodeId);
    }
    return changed;
  }

  /** Records the node's end; `attempts` is its own task's attempt count when it ran one. */
  async #finishNode(locked: LockedRun, row: RunNodeRow, outcome: Completion['outcome'], attempts?: number): Promise<void> {
    if (outcome.status === 'succeeded') await locked.changeNodes([row.nodeId], { state: 'succeeded', output: outcome.output, attempts, finished: true });
    else await locked.changeNodes([row.nodeId], { state: 'failed', error: outcome.error, attempts, finished: true });
    row.state = outcome.status;
  }

  /**
   * Records finished items of a running map node and enqueues the next ones up to its concurrency;
   * answers true when the node finished (every item succeeded, or one failed). Items start in
   * index order, so the waiting ones are the last: the next to start follow `nextWaiting`.
   */
  async #finishItems(locked: LockedRun, engine: Enqueuer, node: Extract<WorkflowNode, { kind: 'map' }>, row: RunNodeRow, completions: readonly Completion[], rows: Map<string, RunNodeRow>): Promise<boolean> {
    const byIndex = new Map(completions.map((completion) => [completion.index!, completion]));
    const after = await locked.finishItems(
      row.nodeId,
      [...byIndex.values()].map((completion) => {
        const { outcome } = completion;
        return { index: completion.index!, taskId: completion.workId, state: outcome.status, value: outcome.status === 'succeeded' ? outcome.output : outcome.error };
      }),
    );
    const succeeded = after.finished.filter((item) => item.state === 'succeeded').length;
    if (succeeded > 0) await locked.changeNodes([row.nodeId], { itemsFinished: row.itemsFinished + succeeded });
    const failure = after.finished.find((item) => item.state === 'failed');
    if (failure) {
      const outcome = byIndex.get(failure.index)!.outcome;
      await this.#finishNode(locked, row, { status: 'failed', error: { message: `item ${failure.index} failed`, item: failure.index, error: outcome.status === 'failed' ? outcome.error : null } });
      return true;
    }
    if (after.running === 0 && after.waiting === 0) {
      await this.#finishNode(locked, row, { status: 'succeeded', output: await locked.itemOutputs(row.nodeId) });
      return true;
    }
    if (locked.run.state !== 'running' || after.nextWaiting === null) return false;
    const room = Math.min(Math.max(0, node.concurrency - after.running), after.waiting);
    const next = Array.from({ length: room }, (_, at) => after.nextWaiting! + at);
    await enqueueItems({ locked, engine, scope: { input: locked.run.input, nodes: outputsOf([...rows.values()]) } }, node, row.starts, row.input as JsonValue[], next);
    return false;
  }

  /**
   * Enqueues for a locked run. A queue of the `postgres` engine lives in the records' database,
   * so its tasks are enqueued with the run's own client, in its transaction (they exist exactly
   * when the move that started them commits; and on embedded PGlite, whose one session the pool
   * lends to one client at a time, a second client would wait for this transaction forever).
   * Other queues go through the engine. The postgres queues it enqueued into are added to
   * `inTransaction`, for the wake-up after the commit (`Engine.committed`).
   */
  #enqueuer(locked: LockedRun, inTransaction: Set<string>): Enqueuer {
    return {
      enqueueBulk: async (queue, tasks) => {
        let cached = this.#queueKinds.get(queue);
        if (!cached || Date.now() - cached.at > queueKindCacheMs) {
          const { rows } = await locked.client.query('select 1 from engine_queues where name = $1', [queue]);
          cached = { postgres: rows.length > 0, at: Date.now() };
          this.#queueKinds.set(queue, cached);
        }
        if (!cached.postgres) return this.options.engine.enqueueBulk(queue, tasks);
        // Under a savepoint: a refused enqueue fails the node, not the whole move.
        await locked.client.query('savepoint enqueue');
        try {
          const enqueued = await enqueueInTransaction(locked.client, queue, tasks);
          await locked.client.query('release savepoint enqueue');
          inTransaction.add(queue);
          return enqueued;
        } catch (error) {
          await locked.client.query('rollback to savepoint enqueue');
          throw error;
        }
      },
    };
  }

  /** The run's definition, cached; read with the run's client (a second pool client may never come, see `#enqueuer`). */
  async #definition(workflow: string, version: number, locked: LockedRun): Promise<LoadedDefinition> {
    const key = `${workflow}@${version}`;
    let loaded = this.#definitions.get(key);
    if (!loaded) {
      const stored = await this.options.workflows.get(workflow, version, locked.client);
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
