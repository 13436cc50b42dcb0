import type { EngineKind, QueueDefinition } from '../../shared/queue.js';
import type { StateCounts, Task, TaskInput } from '../../shared/task.js';
import { taskErrorCodes } from '../../shared/taskErrors.js';
import type { Acknowledged, Claimed, ClaimRequest, Engine, Enqueued, LeaseRef, Outcome, SettledAndClaimed } from './Engine.js';
import { EngineError } from './EngineError.js';
import type { FinishedListener } from './finishedTasks.js';

/**
 * One `Engine` over the several engines an agent has (Redis, Postgres, or both), so the rest of
 * the agent (queue catalogue, API, worker runtime, archiver, sweeper, metrics, events) keeps
 * seeing one engine and both kinds of queue sit side by side in every answer.
 *
 * Each queue lives on the engine it was created on (`definition.engine`). Afterwards a queue is
 * found by name: the first call asks every engine which holds it, and the answer is remembered
 * until the queue is deleted through this router, or the remembered engine no longer knows it
 * (another agent deleted it and created it on the other engine). A queue no engine holds goes to
 * the default engine, so the refusal (`unknown_queue`) is the same as with one engine.
 *
 * `kind` is the default engine: the one a queue gets when its creator does not say (`redis` when
 * the agent has Redis, else `postgres`); `kinds` lists every engine this agent has.
 */
export class EngineRouter implements Engine {
  readonly kind: EngineKind;
  readonly kinds: readonly EngineKind[];
  readonly #engines: ReadonlyMap<EngineKind, Engine>;
  readonly #routes = new Map<string, Engine>();

  /** `engines`: one per kind, the default first. */
  constructor(engines: readonly Engine[]) {
    const [first] = engines;
    if (!first) throw new Error('an engine router needs at least one engine');
    this.#engines = new Map(engines.map((engine) => [engine.kind, engine]));
    if (this.#engines.size !== engines.length) throw new Error('an engine router takes one engine of each kind');
    this.kind = first.kind;
    this.kinds = engines.map((engine) => engine.kind);
  }

  /** The engine of `kind`; throws `EngineError` (invalid_input, field `engine`) when this agent has none. */
  engineOf(kind: EngineKind): Engine {
    const engine = this.#engines.get(kind);
    if (!engine) {
      throw new EngineError(
        taskErrorCodes.invalidInput,
        `this agent has no ${kind} engine (available: ${this.kinds.join(', ')})${kind === 'redis' ? '; start it with --redis (REDIS_URL) to use one' : ''}`,
        'engine',
      );
    }
    return engine;
  }

  async defineQueue(definition: QueueDefinition): Promise<void> {
    const engine = this.engineOf(definition.engine);
    let current = await this.#find(definition.name);
    if (current && current !== engine && !(await current.getQueue(definition.name))) {
      this.#routes.delete(definition.name);
      current = await this.#find(definition.name);
    }
    if (current && current !== engine) {
      throw new EngineError(taskErrorCodes.invalidInput, `queue ${definition.name} lives on the ${current.kind} engine; a queue's engine is fixed at creation`, 'engine');
    }
    await engine.defineQueue(definition);
    this.#routes.set(definition.name, engine);
  }

  async getQueue(name: string): Promise<QueueDefinition | undefined> {
    const remembered = this.#routes.get(name);
    const definition = await (await this.#find(name))?.getQueue(name);
    if (definition || !remembered || this.#engines.size === 1) return definition;
    this.#routes.delete(name);
    return (await this.#find(name))?.getQueue(name);
  }

  /** Every engine's queues, by name. */
  async listQueues(): Promise<QueueDefinition[]> {
    const lists = await Promise.all([...this.#engines.values()].map(async (engine) => ({ engine, queues: await engine.listQueues() })));
    for (const { engine, queues } of lists) for (const queue of queues) this.#routes.set(queue.name, engine);
    return lists.flatMap(({ queues }) => queues).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async deleteQueue(name: string): Promise<void> {
    const engine = await this.#route(name);
    this.#routes.delete(name);
    await engine.deleteQueue(name);
  }

  async pause(queue: string): Promise<void> {
    return this.#on(queue, (engine) => engine.pause(queue));
  }

  async resume(queue: string): Promise<void> {
    return this.#on(queue, (engine) => engine.resume(queue));
  }

  async isPaused(queue: string): Promise<boolean> {
    return this.#on(queue, (engine) => engine.isPaused(queue));
  }

  async enqueue(queue: string, task: TaskInput): Promise<Enqueued> {
    return this.#on(queue, (engine) => engine.enqueue(queue, task));
  }

  async enqueueBulk(queue: string, tasks: readonly TaskInput[]): Promise<Enqueued[]> {
    return this.#on(queue, (engine) => engine.enqueueBulk(queue, tasks));
  }

  async claim(queue: string, request: ClaimRequest): Promise<Claimed> {
    return this.#on(queue, (engine) => engine.claim(queue, request));
  }

  async acknowledge(queue: string, outcomes: readonly Outcome[]): Promise<Acknowledged[]> {
    return this.#on(queue, (engine) => engine.acknowledge(queue, outcomes));
  }

  async settleAndClaim(queue: string, outcomes: readonly Outcome[], request: ClaimRequest): Promise<SettledAndClaimed> {
    return this.#on(queue, (engine) => engine.settleAndClaim(queue, outcomes, request));
  }

  async extendLeases(queue: string, leases: readonly LeaseRef[], leaseMs: number): Promise<boolean[]> {
    return this.#on(queue, (engine) => engine.extendLeases(queue, leases, leaseMs));
  }

  async release(queue: string, leases: readonly LeaseRef[]): Promise<boolean[]> {
    return this.#on(queue, (engine) => engine.release(queue, leases));
  }

  async getTask(queue: string, id: string): Promise<Task | undefined> {
    return this.#on(queue, (engine) => engine.getTask(queue, id));
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    return this.#on(queue, (engine) => engine.cancel(queue, id));
  }

  async promote(queue: string, id: string): Promise<boolean> {
    return this.#on(queue, (engine) => engine.promote(queue, id));
  }

  async retry(queue: string, id: string): Promise<boolean> {
    return this.#on(queue, (engine) => engine.retry(queue, id));
  }

  async scanTasks(queue: string, request: { cursor: string | null; count: number }): Promise<{ tasks: Task[]; cursor: string | null }> {
    return this.#on(queue, (engine) => engine.scanTasks(queue, request));
  }

  async counts(queue: string): Promise<StateCounts> {
    return this.#on(queue, (engine) => engine.counts(queue));
  }

  async recoverExpiredLeases(queue: string, max: number): Promise<number> {
    return this.#on(queue, (engine) => engine.recoverExpiredLeases(queue, max));
  }

  async takeFinished(queue: string, max: number): Promise<Task[]> {
    return this.#on(queue, (engine) => engine.takeFinished(queue, max));
  }

  async forgetFinished(queue: string, ids: readonly string[]): Promise<void> {
    return this.#on(queue, (engine) => engine.forgetFinished(queue, ids));
  }

  async subscribe(queue: string, listener: () => void): Promise<() => Promise<void>> {
    return this.#on(queue, (engine) => engine.subscribe(queue, listener));
  }

  /** Passed to every engine (no route lookup, so it stays synchronous): only the queue's own has subscribers of it. */
  committed(queue: string): void {
    for (const engine of this.#engines.values()) engine.committed(queue);
  }

  /** Listens to every engine's announcements. */
  async onFinished(listener: FinishedListener): Promise<() => Promise<void>> {
    const stops = await Promise.all([...this.#engines.values()].map((engine) => engine.onFinished(listener)));
    return async () => void (await Promise.all(stops.map((stop) => stop())));
  }

  /** Closes every engine. */
  async close(): Promise<void> {
    this.#routes.clear();
    await Promise.all([...this.#engines.values()].map((engine) => engine.close()));
  }

  /** The engine holding `queue`, or the default one when none does (it refuses the same way a lone engine would). */
  async #route(queue: string): Promise<Engine> {
    return (await this.#find(queue)) ?? this.#engines.get(this.kind)!;
  }

  /**
   * Runs `call` on the engine of `queue`. A remembered route can go stale when another agent
   * deletes the queue and creates it again on the other engine: when the remembered engine says
   * the queue is unknown (a refusal that changed nothing), the route is looked up afresh and the
   * call made once more if it now leads elsewhere.
   */
  async #on<T>(queue: string, call: (engine: Engine) => Promise<T>): Promise<T> {
    const remembered = this.#routes.get(queue);
    const engine = remembered ?? (await this.#route(queue));
    try {
      return await call(engine);
    } catch (error) {
      if (!remembered || this.#engines.size === 1 || !(error instanceof EngineError) || error.code !== taskErrorCodes.unknownQueue) throw error;
      this.#routes.delete(queue);
      const current = await this.#route(queue);
      if (current === engine) throw error;
      return call(current);
    }
  }

  /** The engine holding `queue`; with one engine, that one (nothing to choose between). */
  async #find(queue: string): Promise<Engine | undefined> {
    const known = this.#routes.get(queue);
    if (known) return known;
    if (this.#engines.size === 1) return this.#engines.get(this.kind);
    const held = await Promise.all([...this.#engines.values()].map(async (engine) => ((await engine.getQueue(queue)) ? engine : undefined)));
    const engine = held.find((candidate) => candidate !== undefined);
    if (engine) this.#routes.set(queue, engine);
    return engine;
  }
}
