import type { Logger } from 'pino';
import type { Engine } from '../engine/Engine.js';
import type { HandlerRegistry } from './HandlerRegistry.js';
import type { WorkerRegistry } from './WorkerRegistry.js';
import { WorkerRuntime } from './WorkerRuntime.js';

export interface AgentWorkersOptions {
  engine: Engine;
  handlers: HandlerRegistry;
  registry: WorkerRegistry;
  /** Tasks of each queue this agent runs at once. */
  concurrency: number;
  workerId: string;
  log: Logger;
  /** How often the queue list is checked for new queues. Default 2 000. */
  refreshMs?: number;
  /** How long an operator's `drain` lets running tasks finish. Default 30 000. */
  drainMs?: number;
}

/**
 * The agent's own worker: one runtime that works every queue of its engine, and takes on a
 * queue created after start within `refreshMs`.
 */
export class AgentWorkers {
  private runtime: WorkerRuntime | undefined;
  private readonly working = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: AgentWorkersOptions) {}

  async start(): Promise<void> {
    await this.takeOnNewQueues();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? 2_000);
    this.timer.unref();
  }

  /** Starts working queues that appeared since the last look; one look at a time. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing
      .then(() => this.takeOnNewQueues())
      .catch((error: unknown) => {
        this.options.log.error({ err: error }, 'could not refresh the queues this agent works');
      });
    return this.refreshing;
  }

  private async takeOnNewQueues(): Promise<void> {
    if (this.closed) return;
    const fresh = (await this.options.engine.listQueues()).map((queue) => queue.name).filter((name) => !this.working.has(name));
    if (fresh.length === 0) return;
    for (const name of fresh) this.working.add(name);
    const queues = fresh.map((name) => ({ name, concurrency: this.options.concurrency }));
    if (!this.runtime) {
      this.runtime = new WorkerRuntime({
        engine: this.options.engine,
        queues,
        handlers: this.options.handlers,
        registry: this.options.registry,
        kind: 'agent',
        workerId: this.options.workerId,
        drainMs: this.options.drainMs,
        // Drained or stopped by an operator: this agent runs no more tasks until it restarts.
        onCommand: () => {
          this.closed = true;
          clearInterval(this.timer);
        },
        log: this.options.log,
      });
      await this.runtime.start();
    } else {
      for (const queue of queues) await this.runtime.addQueue(queue);
    }
  }

  stats() {
    return this.runtime?.stats();
  }

  async close(drainMs: number): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.refreshing;
    await this.runtime?.close({ drainMs });
  }
}
