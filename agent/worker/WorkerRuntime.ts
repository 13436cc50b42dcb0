import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { ClaimedTask, Engine, LeaseRef, Outcome } from '../engine/Engine.js';
import { failedOutcome, succeededOutcome } from './attemptOutcome.js';
import { AttemptContext } from './AttemptContext.js';
import type { HandlerRegistry } from './HandlerRegistry.js';
import type { WorkerCommand, WorkerInfo, WorkerRegistry } from './WorkerRegistry.js';

export interface WorkerQueueOptions {
  name: string;
  /** Most handlers of this queue running at once in this process. */
  concurrency: number;
  /** Claimed tasks kept waiting for a free slot. Default: the runtime's `prefetch`. */
  prefetch?: number;
}

export interface WorkerRuntimeOptions {
  engine: Engine;
  queues: readonly WorkerQueueOptions[];
  handlers: HandlerRegistry;
  /** Default: `<host>:<pid>:<6 random hex>`. */
  workerId?: string;
  /** Lease of a claimed task; extended every `leaseMs / 3` while held. Default 30 000. */
  leaseMs?: number;
  /** Claimed tasks buffered per queue beyond the running ones. Default: the queue's concurrency. */
  prefetch?: number;
  /** Where the worker announces itself; none by default. */
  registry?: WorkerRegistry;
  /** Recorded in the registry. Default `agent`. */
  kind?: WorkerInfo['kind'];
  /** Registry heartbeat period. Default 5 000. */
  heartbeatMs?: number;
  /** An idle queue claims again after this long even without a wake-up. Default 1 000. */
  idlePollMs?: number;
  /** How long a `drain` command from an operator lets running tasks finish. Default 30 000. */
  drainMs?: number;
  /** Called when an operator's command (through the registry) makes the runtime close itself. */
  onCommand?: (command: WorkerCommand) => void;
  log: Logger;
}

export interface WorkerStats {
  workerId: string;
  queues: Record<string, { concurrency: number; slotsInUse: number; buffered: number; idle: boolean }>;
  slotsInUse: number;
  /** Attempts finished by this runtime (succeeded + failed). */
  processed: number;
  succeeded: number;
  failed: number;
}

/** Why a task's signal was aborted; handlers see it as `signal.reason`. */
function abortReason(name: 'TimeoutError' | 'LeaseLostError' | 'ShutdownError', message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** What every queue loop of one runtime shares. */
interface LoopShared {
  readonly engine: Engine;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly idlePollMs: number;
  count(outcome: Outcome): void;
}

/** The attempt's signal, made on first use: an AbortController per task would cost more than a no-op task. */
function signalOf(entry: Running): AbortSignal {
  if (!entry.controller) {
    entry.controller = new AbortController();
    if (entry.abortedBy) entry.controller.abort(entry.abortedBy);
  }
  return entry.controller.signal;
}

function abort(entry: Running, reason: Error): void {
  entry.abortedBy ??= reason;
  entry.controller?.abort(reason);
}

/** One attempt in progress. It holds its slot until the handler settles, even after `done`. */
interface Running {
  task: ClaimedTask;
  /** Made when the handler first reads its signal (see `signalOf`). */
  controller: AbortController | undefined;
  /** Why the attempt was aborted, kept for a signal made after the abort. */
  abortedBy: Error | undefined;
  /** Epoch ms when the attempt times out; Infinity when it has no timeout. */
  deadline: number;
  /** Its outcome is recorded, or its lease given up: nothing more to report or extend. */
  done: boolean;
  /** What the handler was given; holds the lines it logged. */
  context: AttemptContext | undefined;
}

/**
 * Runs handlers for tasks claimed from an engine. Per queue: a prefetch buffer fed by batch
 * claims, at most `concurrency` handlers at once, and outcomes sent with the next claim in one
 * `settleAndClaim` round trip. One settle per queue is in flight at a time (a second only for a
 * large batch), so outcomes that finish meanwhile batch up by themselves; a finished outcome
 * waits at most one event-loop turn plus the round trip in flight. An idle queue waits for an engine wake-up, the next due task,
 * or `idlePollMs`, whichever comes first. See docs/worker.md.
 */
export class WorkerRuntime {
  readonly workerId: string;
  readonly #options: WorkerRuntimeOptions;
  readonly #leaseMs: number;
  readonly #loops: QueueLoop[] = [];
  readonly #counters = { succeeded: 0, failed: 0 };
  readonly #shared: LoopShared;
  #startedAt = 0;
  #leaseTimer: NodeJS.Timeout | undefined;
  #registryTimer: NodeJS.Timeout | undefined;
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(options: WorkerRuntimeOptions) {
    const leaseMs = options.leaseMs ?? 30_000;
    if (!(leaseMs >= 30)) throw new Error(`leaseMs must be at least 30, got ${leaseMs}`);
    if (options.queues.length === 0) throw new Error('a worker needs at least one queue');
    this.#options = options;
    this.#leaseMs = leaseMs;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    const counters = this.#counters;
    this.#shared = {
      engine: options.engine,
      handlers: options.handlers,
      log: options.log,
      workerId: this.workerId,
      leaseMs,
      idlePollMs: options.idlePollMs ?? 1_000,
      count(outcome) {
        if (outcome.status === 'succeeded') counters.succeeded += 1;
        else counters.failed += 1;
      },
    };
    for (const queue of options.queues) this.#loops.push(this.#makeLoop(queue));
  }

  /**
   * Starts working one more queue (an agent takes on queues created after it started). The
   * registry entry is updated with it.
   */
  async addQueue(queue: WorkerQueueOptions): Promise<void> {
    if (this.#closing) throw new Error('the worker runtime is closing');
    const loop = this.#makeLoop(queue);
    this.#loops.push(loop);
    if (!this.#started) return;
    await loop.subscribe();
    loop.schedulePump();
    await this.#register();
  }

  #makeLoop(queue: WorkerQueueOptions): QueueLoop {
    if (this.#loops.some((loop) => loop.name === queue.name)) throw new Error(`queue ${queue.name} is listed twice`);
    if (!Number.isInteger(queue.concurrency) || queue.concurrency < 1) {
      throw new Error(`concurrency of queue ${queue.name} must be a positive integer, got ${queue.concurrency}`);
    }
    const prefetch = queue.prefetch ?? this.#options.prefetch ?? queue.concurrency;
    if (!Number.isInteger(prefetch) || prefetch < 0) {
      throw new Error(`prefetch of queue ${queue.name} must be a non-negative integer, got ${prefetch}`);
    }
    return new QueueLoop(this.#shared, queue.name, queue.concurrency, prefetch);
  }

  /** Registers the worker, subscribes to wake-ups and starts claiming. */
  async start(): Promise<void> {
    if (this.#started) throw new Error('the worker runtime was already started');
    this.#started = true;
    this.#startedAt = Date.now();
    try {
      await this.#register();
      await this.#listenForCommands();
      for (const loop of this.#loops) await loop.subscribe();
    } catch (error) {
      await this.close({ drainMs: 0 });
      throw error;
    }
    this.#leaseTimer = setInterval(() => {
      for (const loop of this.#loops) void loop.extendLeases();
    }, Math.floor(this.#leaseMs / 3));
    if (this.#options.registry) {
      this.#registryTimer = setInterval(() => void this.#heartbeat(), this.#options.heartbeatMs ?? 5_000);
    }
    for (const loop of this.#loops) loop.schedulePump();
    this.#options.log.info({ workerId: this.workerId, queues: this.#loops.map((loop) => loop.name) }, 'worker started');
  }

  /**
   * Graceful drain: stops claiming and releases buffered tasks at once, lets running handlers
   * finish for up to `drainMs`, then aborts the rest and releases them (their attempt is not
   * counted), sends every outcome, and deregisters. Safe to call more than once.
   */
  close({ drainMs = 30_000 }: { drainMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#close(drainMs);
    return this.#closing;
  }

  stats(): WorkerStats {
    const queues: WorkerStats['queues'] = {};
    for (const loop of this.#loops) queues[loop.name] = loop.stats();
    const { succeeded, failed } = this.#counters;
    return { workerId: this.workerId, queues, slotsInUse: this.#slotsInUse(), processed: succeeded + failed, succeeded, failed };
  }


  async #close(drainMs: number): Promise<void> {
    if (!this.#started) return;
    this.#options.log.info({ workerId: this.workerId, drainMs }, 'worker draining');
    await Promise.all(this.#loops.map((loop) => loop.stop()));
    let deadlineTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.#loops.map((loop) => loop.drained())),
      new Promise<void>((resolve) => (deadlineTimer = setTimeout(resolve, drainMs))),
    ]);
    clearTimeout(deadlineTimer);
    await Promise.all(this.#loops.map((loop) => loop.abandonRunning()));
    await Promise.all(this.#loops.map((loop) => loop.flush()));
    clearInterval(this.#leaseTimer);
    clearInterval(this.#registryTimer);
    await this.#stopListening?.();
    for (const loop of this.#loops) loop.dispose();
    if (this.#options.registry) {
      await this.#options.registry.deregister(this.workerId).catch((error: unknown) => {
        this.#options.log.warn({ err: error, workerId: this.workerId }, 'could not deregister the worker');
      });
    }
    this.#options.log.info({ workerId: this.workerId, ...this.#counters }, 'worker closed');
  }

  #slotsInUse(): number {
    let total = 0;
    for (const loop of this.#loops) total += loop.slotsInUse;
    return total;
  }

  #stopListening: (() => Promise<void>) | undefined;

  /** Operators drain or stop a worker through the registry (`POST /workers/:id/drain`, `…/stop`). */
  async #listenForCommands(): Promise<void> {
    const { registry, drainMs = 30_000, onCommand } = this.#options;
    if (!registry) return;
    this.#stopListening = await registry.listen(this.workerId, (command) => {
      this.#options.log.warn({ workerId: this.workerId, command }, 'an operator asked this worker to stop');
      onCommand?.(command);
      void this.close({ drainMs: command === 'drain' ? drainMs : 0 });
    });
  }

  async #register(): Promise<void> {
    const { registry, kind = 'agent' } = this.#options;
    if (!registry) return;
    const queues = this.#loops.map((loop) => loop.stats());
    await registry.register({
      id: this.workerId,
      host: hostname(),
      pid: process.pid,
      queues: this.#loops.map((loop) => loop.name),
      types: this.#options.handlers.types(),
      slots: queues.reduce((sum, queue) => sum + queue.concurrency, 0),
      startedAt: this.#startedAt,
      kind,
    });
  }

  async #heartbeat(): Promise<void> {
    try {
      const known = await this.#options.registry?.heartbeat(this.workerId, this.#slotsInUse());
      if (known === false && !this.#closing) await this.#register();
    } catch (error) {
      this.#options.log.warn({ err: error, workerId: this.workerId }, 'worker registry heartbeat failed');
    }
  }
}

/** The claim-run-settle loop of one queue. */
class QueueLoop {
  readonly #shared: LoopShared;
  readonly name: string;
  readonly #concurrency: number;
  /** Most tasks held at once: running plus buffered. */
  readonly #capacity: number;
  readonly #buffer: ClaimedTask[] = [];
  readonly #running = new Set<Running>();
  #outcomes: Outcome[] = [];
  /** Settle round trips in flight: at most two, the second only for a large batch. */
  readonly #settling = new Set<Promise<void>>();
  /** Tasks asked for by the claims in flight, so two claims never overfill the buffer. */
  #claiming = 0;
  #pumpScheduled = false;
  #idle = false;
  /** Counts wake-ups, so one that arrives while a claim is in flight is not lost. */
  #wakeups = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #errorDelayMs = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #timeoutTimer: NodeJS.Timeout | undefined;
  #timeoutAt = Infinity;
  #extending = false;
  #stopping = false;
  #unsubscribe: (() => Promise<void>) | undefined;
  readonly #pending = new Set<Promise<unknown>>();
  #drainWaiters: Array<() => void> = [];

  constructor(shared: LoopShared, name: string, concurrency: number, prefetch: number) {
    this.#shared = shared;
    this.name = name;
    this.#concurrency = concurrency;
    this.#capacity = concurrency + prefetch;
  }

  get slotsInUse(): number {
    return this.#running.size;
  }

  stats(): WorkerStats['queues'][string] {
    return { concurrency: this.#concurrency, slotsInUse: this.#running.size, buffered: this.#buffer.length, idle: this.#idle };
  }

  async subscribe(): Promise<void> {
    this.#unsubscribe = await this.#shared.engine.subscribe(this.name, () => this.#wake());
  }

  schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(this.#pump);
  }

  /** Starts what the slots allow, then settles outcomes and claims what the buffer has room for. */
  readonly #pump = (): void => {
    this.#pumpScheduled = false;
    while (this.#running.size < this.#concurrency && this.#buffer.length > 0) {
      this.#start(this.#buffer.shift() as ClaimedTask);
    }
    if (this.#settling.size >= 2 || this.#retryTimer) return;
    const room = this.#stopping ? 0 : this.#capacity - this.#running.size - this.#buffer.length - this.#claiming;
    const worthIt =
      this.#settling.size === 0
        ? this.#outcomes.length > 0 || (room > 0 && !this.#idle)
        : this.#outcomes.length >= 64 || (room >= this.#capacity / 2 && !this.#idle);
    if (!worthIt) return;
    const settle = this.#settle(room);
    this.#settling.add(settle);
    void settle.finally(() => {
      this.#settling.delete(settle);
      if (!this.#retryTimer) this.#pump();
    });
  };

  #wake(): void {
    this.#wakeups += 1;
    if (!this.#idle || this.#stopping) return;
    this.#idle = false;
    clearTimeout(this.#idleTimer);
    this.schedulePump();
  }

  #sleep(nextDueAt: number | null): void {
    this.#idle = true;
    clearTimeout(this.#idleTimer);
    const untilDue = nextDueAt === null ? Infinity : Math.max(25, nextDueAt - Date.now() + 1);
    this.#idleTimer = setTimeout(() => this.#wake(), Math.min(untilDue, this.#shared.idlePollMs));
  }

  async #settle(room: number): Promise<void> {
    const { engine, log } = this.#shared;
    const outcomes = this.#outcomes;
    this.#outcomes = [];
    const wakeups = this.#wakeups;
    this.#claiming += room;
    try {
      if (room > 0) {
        const request = { workerId: this.#shared.workerId, max: room, leaseMs: this.#shared.leaseMs };
        const claimed = await engine.settleAndClaim(this.name, outcomes, request);
        if (this.#stopping) {
          this.#release(claimed.tasks, 'claimed while stopping');
        } else {
          for (const task of claimed.tasks) this.#buffer.push(task);
          // Idle only on an empty claim: a short one may just be capped by the engine's batch limit.
          if (claimed.tasks.length === 0 && this.#wakeups === wakeups) {
            this.#sleep(claimed.nextDueAt);
          } else {
            this.#idle = false;
            clearTimeout(this.#idleTimer);
          }
        }
      } else if (outcomes.length > 0) {
        await engine.acknowledge(this.name, outcomes);
      }
      this.#errorDelayMs = 0;
    } catch (error) {
      // The round trip may or may not have applied; sending the outcomes again is safe, since an
      // acknowledgement of a lease that is no longer current is reported stale and ignored.
      this.#outcomes = outcomes.concat(this.#outcomes);
      this.#errorDelayMs = Math.min(Math.max(this.#errorDelayMs * 2, 100), 5_000);
      log.error({ err: error, queue: this.name, retryInMs: this.#errorDelayMs }, 'settle and claim failed');
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.schedulePump();
      }, this.#errorDelayMs);
    } finally {
      this.#claiming -= room;
    }
  }

  #start(task: ClaimedTask): void {
    const finite = Number.isFinite(task.timeoutMs) && task.timeoutMs > 0;
    const entry: Running = { task, controller: undefined, abortedBy: undefined, deadline: finite ? Date.now() + task.timeoutMs : Infinity, done: false, context: undefined };
    this.#running.add(entry);
    if (finite) this.#armTimeout(entry.deadline);
    const handler = this.#shared.handlers.get(task.type);
    if (!handler) {
      this.#finished(entry, failedOutcome(task, new Error(`no handler for task type "${task.type}" on worker ${this.#shared.workerId}`)));
      return;
    }
    let result: Promise<unknown>;
    try {
      entry.context = new AttemptContext(task, () => signalOf(entry), this.#shared.log);
      result = handler(entry.context);
    } catch (error) {
      result = Promise.reject(error);
    }
    Promise.resolve(result).then(
      (value) => this.#finished(entry, succeededOutcome(task, value)),
      (error: unknown) => this.#finished(entry, failedOutcome(task, error)),
    );
  }

  /** The handler settled: free its slot and, unless the attempt already ended, record the outcome. */
  #finished(entry: Running, outcome: Outcome): void {
    this.#running.delete(entry);
    if (!entry.done) this.#record(entry, outcome);
    if (this.#running.size === 0 && this.#drainWaiters.length > 0) {
      for (const resolve of this.#drainWaiters.splice(0)) resolve();
    }
    this.schedulePump();
  }

  #record(entry: Running, outcome: Outcome): void {
    entry.done = true;
    const lines = entry.context?.loggedLines;
    this.#outcomes.push(lines?.length ? { ...outcome, logs: { attempt: entry.task.attempt, lines } } : outcome);
    this.#shared.count(outcome);
  }

  /** One timer per queue, armed for the earliest deadline: no timer per task. */
  #armTimeout(deadline: number): void {
    if (deadline >= this.#timeoutAt) return;
    clearTimeout(this.#timeoutTimer);
    this.#timeoutAt = deadline;
    this.#timeoutTimer = setTimeout(this.#expireOverdue, Math.max(1, deadline - Date.now()));
  }

  readonly #expireOverdue = (): void => {
    this.#timeoutTimer = undefined;
    this.#timeoutAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const entry of this.#running) {
      if (entry.done) continue;
      if (entry.deadline <= now) {
        // The attempt fails now and its slot frees when the handler gives up, so a handler that
        // ignores its signal still counts against the concurrency it was promised.
        const message = `timed out after ${entry.task.timeoutMs} ms`;
        this.#record(entry, failedOutcome(entry.task, Object.assign(abortReason('TimeoutError', message), { code: 'timeout' })));
        abort(entry, abortReason('TimeoutError', message));
      } else if (entry.deadline < next) {
        next = entry.deadline;
      }
    }
    if (next < Infinity) this.#armTimeout(next);
    this.schedulePump();
  };

  /** Heartbeat: extends the leases of buffered and running tasks; a lost lease aborts its task. */
  async extendLeases(): Promise<void> {
    if (this.#extending) return;
    const held: Array<ClaimedTask | Running> = [...this.#buffer];
    for (const entry of this.#running) if (!entry.done) held.push(entry);
    if (held.length === 0) return;
    this.#extending = true;
    try {
      const refs = held.map((item) => leaseOf('deadline' in item ? item.task : item));
      const answers = await this.#shared.engine.extendLeases(this.name, refs, this.#shared.leaseMs);
      answers.forEach((stillHeld, index) => {
        const item = held[index];
        if (!stillHeld && item !== undefined) this.#loseLease(item);
      });
    } catch (error) {
      this.#shared.log.warn({ err: error, queue: this.name }, 'lease extension failed');
    } finally {
      this.#extending = false;
    }
  }

  /** Drops a buffered task, or aborts a running one, whose lease the engine no longer holds for us. */
  #loseLease(item: ClaimedTask | Running): void {
    let entry: Running | undefined;
    if ('deadline' in item) {
      entry = item;
    } else {
      const position = this.#buffer.indexOf(item);
      if (position >= 0) {
        this.#buffer.splice(position, 1);
        this.#shared.log.warn({ queue: this.name, taskId: item.id }, 'lease of a buffered task lost; dropped');
        return;
      }
      // It started while the extension was in flight.
      for (const running of this.#running) if (running.task === item) entry = running;
    }
    // A task that finished meanwhile answers false too: its outcome settled the lease.
    if (!entry || entry.done) return;
    entry.done = true;
    abort(entry, abortReason('LeaseLostError', 'lease lost: the task was cancelled, taken over or expired'));
    this.#shared.log.warn({ queue: this.name, taskId: entry.task.id }, 'lease lost; attempt aborted');
  }

  /** Stops claiming and gives buffered tasks back at once. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#idle = false;
    clearTimeout(this.#idleTimer);
    this.#release(this.#buffer.splice(0), 'drain');
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    await unsubscribe?.().catch((error: unknown) => {
      this.#shared.log.warn({ err: error, queue: this.name }, 'unsubscribe failed');
    });
  }

  /** Resolves when no handler is running. */
  drained(): Promise<void> {
    if (this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** The drain deadline passed: aborts the attempts still running and releases their tasks. */
  async abandonRunning(): Promise<void> {
    const abandoned: ClaimedTask[] = [];
    for (const entry of this.#running) {
      if (entry.done) continue;
      entry.done = true;
      abort(entry, abortReason('ShutdownError', 'the worker is shutting down'));
      abandoned.push(entry.task);
    }
    this.#release(abandoned, 'drain deadline');
  }

  /** Waits for in-flight engine calls, then sends the outcomes still held, once. */
  async flush(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    while (this.#settling.size > 0 || this.#pending.size > 0) {
      await Promise.all([...this.#settling, ...this.#pending]);
    }
    if (this.#outcomes.length === 0) return;
    const outcomes = this.#outcomes.splice(0);
    await this.#shared.engine.acknowledge(this.name, outcomes).catch((error: unknown) => {
      this.#shared.log.error({ err: error, queue: this.name, lost: outcomes.length }, 'final acknowledgement failed; those tasks will run again when their leases expire');
    });
  }

  dispose(): void {
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#timeoutTimer);
    this.#timeoutTimer = undefined;
    this.#timeoutAt = Infinity;
  }

  #release(tasks: ClaimedTask[], why: string): void {
    if (tasks.length === 0) return;
    const released = this.#shared.engine.release(this.name, tasks.map(leaseOf)).catch((error: unknown) => {
      this.#shared.log.warn({ err: error, queue: this.name, count: tasks.length, why }, 'release failed; the leases will expire instead');
    });
    this.#pending.add(released);
    void released.finally(() => this.#pending.delete(released));
  }
}

function leaseOf(task: ClaimedTask): LeaseRef {
  return { id: task.id, token: task.token };
}
