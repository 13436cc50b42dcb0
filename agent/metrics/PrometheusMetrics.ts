import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Task } from '../../shared/task.js';
import type { Engine } from '../engine/Engine.js';
import { taskTimings } from './taskTimings.js';

/** Bucket bounds of the wait and run histograms, in seconds: 5 ms to an hour. */
export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** States a task waits or runs in, reported as the `switchyard_queue_tasks` gauge. */
const liveStates = ['scheduled', 'queued', 'active', 'failed'] as const;
/** Finished states, reported as the `switchyard_tasks_finished_total` counter. */
const finishedStates = ['succeeded', 'dead', 'cancelled'] as const;

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event loop lag, GC, handles), collected once per process:
 * `collectDefaultMetrics` starts observers that cannot be stopped, so a process that starts
 * several agents (tests, the desktop app's restarts) shares one set. Not the global registry.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The agent's Prometheus metrics, in a registry of its own (never prom-client's global one):
 *
 * - `switchyard_queue_tasks{queue,state}` (gauge): tasks scheduled, queued, active and failed
 *   (backing off), read from the engine's counts at every scrape, on every agent;
 * - `switchyard_tasks_finished_total{queue,state}` and `switchyard_tasks_enqueued_total{queue}`
 *   (counters): the engine's totals since the queue was created, also read at every scrape;
 * - `switchyard_queue_wait_seconds{queue}` and `switchyard_run_seconds{queue}` (histograms): the
 *   queue wait and run time of every finished task, fed by the archiver, so on the leader only;
 * - `switchyard_leader` (gauge): 1 on the agent that leads;
 * - Node's process metrics.
 *
 * Every agent of a cluster reports the same queue gauges and counters: aggregate them with
 * `max by (queue, state)`, and the histograms with `sum by (queue, le)` (see docs/metrics.md).
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly tasks: Gauge<'queue' | 'state'>;
  private readonly finished: Counter<'queue' | 'state'>;
  private readonly enqueued: Counter<'queue'>;
  private readonly wait: Histogram<'queue'>;
  private readonly run: Histogram<'queue'>;
  private readonly leader: Gauge;
  /** Queues with histogram series, so a deleted queue's series can be removed. */
  private readonly observed = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly isLeader: () => boolean,
  ) {
    const registers = [this.registry];
    this.tasks = new Gauge({ name: 'switchyard_queue_tasks', help: 'Tasks of the queue per waiting or running state', labelNames: ['queue', 'state'], registers });
    this.finished = new Counter({ name: 'switchyard_tasks_finished_total', help: 'Tasks of the queue that finished, per final state, since the queue was created', labelNames: ['queue', 'state'], registers });
    this.enqueued = new Counter({ name: 'switchyard_tasks_enqueued_total', help: 'Tasks created in the queue since it was created', labelNames: ['queue'], registers });
    this.wait = new Histogram({
      name: 'switchyard_queue_wait_seconds',
      help: 'Time from when a task was due to the start of its first attempt (observed by the leader when the task is archived)',
      labelNames: ['queue'],
      buckets: durationBuckets,
      registers,
    });
    this.run = new Histogram({
      name: 'switchyard_run_seconds',
      help: 'Run time of the last attempt of each finished task (observed by the leader when the task is archived)',
      labelNames: ['queue'],
      buckets: durationBuckets,
      registers,
    });
    this.leader = new Gauge({ name: 'switchyard_leader', help: '1 while this agent leads its cluster (archives, and so observes the histograms)', registers });
  }

  /** Observes the wait and run times of finished tasks (a batch the archiver archived). */
  observe(tasks: readonly Task[]): void {
    for (const task of tasks) {
      const { waitMs, runMs } = taskTimings(task);
      if (waitMs !== null) this.wait.observe({ queue: task.queue }, waitMs / 1000);
      if (runMs !== null) this.run.observe({ queue: task.queue }, runMs / 1000);
      if (waitMs !== null || runMs !== null) this.observed.add(task.queue);
    }
  }

  /** The content type of `text()`: Prometheus text format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the text format, queue counts read fresh from the engine. */
  async text(): Promise<string> {
    await this.refresh();
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }

  private async refresh(): Promise<void> {
    const queues = await this.engine.listQueues();
    const counted = await Promise.all(queues.map(async (queue) => ({ name: queue.name, counts: await this.engine.counts(queue.name).catch(() => undefined) })));
    // Set in one synchronous pass, so two scrapes at once cannot interleave a reset and the values.
    this.tasks.reset();
    this.finished.reset();
    this.enqueued.reset();
    const present = new Set<string>();
    for (const { name, counts } of counted) {
      if (!counts) continue;
      present.add(name);
      for (const state of liveStates) this.tasks.set({ queue: name, state }, counts[state]);
      for (const state of finishedStates) this.finished.inc({ queue: name, state }, counts[state]);
      this.enqueued.inc({ queue: name }, Object.values(counts).reduce((sum, value) => sum + value, 0));
    }
    for (const name of this.observed) {
      if (present.has(name)) continue;
      this.wait.remove({ queue: name });
      this.run.remove({ queue: name });
      this.observed.delete(name);
    }
    this.leader.set(this.isLeader() ? 1 : 0);
  }
}
