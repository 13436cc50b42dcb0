/**
 * The worker SDK (`switchyard/worker`): run your own handlers in your own process against a
 * cluster's Redis. See docs/worker.md.
 */
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { RedisEngine } from '../engine/redis/RedisEngine.js';
import type { Handler } from './Handler.js';
import { HandlerRegistry } from './HandlerRegistry.js';
import { RedisWorkerRegistry } from './RedisWorkerRegistry.js';
import { WorkerRuntime, type WorkerStats } from './WorkerRuntime.js';

export type { Handler, TaskContext } from './Handler.js';
export { PermanentError } from './PermanentError.js';
export type { WorkerStats } from './WorkerRuntime.js';

export interface CreateWorkerOptions {
  /** Where the cluster's Redis is, e.g. `redis://10.0.0.5:6379`. Give this or `redis`. */
  redisUrl?: string;
  /** An ioredis client (or Cluster-compatible instance) to use instead; the worker does not close it. */
  redis?: Redis;
  /** The agent's key prefix. Default `sy`. */
  prefix?: string;
  /** Queue names, or `{ name, concurrency?, prefetch? }` to override the defaults per queue. */
  queues: ReadonlyArray<string | { name: string; concurrency?: number; prefetch?: number }>;
  /** Handlers by task type. */
  handlers: Readonly<Record<string, Handler>>;
  /** Handlers of each queue running at once. Default 10. */
  concurrency?: number;
  /** Claimed tasks buffered per queue beyond the running ones. Default: the queue's concurrency. */
  prefetch?: number;
  /** Lease of a claimed task, extended while it runs. Default 30 000. */
  leaseMs?: number;
  /** Default `<host>:<pid>:<random>`. */
  workerId?: string;
  /** How long an operator's `drain` (and `close()` without options) lets running tasks finish. Default 30 000. */
  drainMs?: number;
  /** Default: a pino logger at `info` on stdout. */
  log?: Logger;
}

export interface Worker {
  readonly id: string;
  /** Connects, registers with the cluster and starts working. */
  start(): Promise<void>;
  /**
   * Stops claiming, gives back buffered tasks, lets running handlers finish for up to `drainMs`
   * (default 30 000), releases what is still running, and disconnects. Call it on SIGTERM.
   */
  close(options?: { drainMs?: number }): Promise<void>;
  /**
   * Resolves once the worker has closed, by `close()` or because an operator drained or stopped
   * it from the console or the API; a process that only runs this worker may exit then.
   */
  readonly closed: Promise<void>;
  stats(): WorkerStats;
}

/** A worker for your own handlers; it shows up in the console as an `sdk` worker. */
export function createWorker(options: CreateWorkerOptions): Worker {
  if (!options.redis && !options.redisUrl) throw new Error('createWorker needs redisUrl or redis');
  const ownsRedis = !options.redis;
  const redis = options.redis ?? new Redis(options.redisUrl as string, { lazyConnect: true });
  const prefix = options.prefix ?? 'sy';
  const concurrency = options.concurrency ?? 10;
  const engine = new RedisEngine({ redis, prefix });
  const runtime = new WorkerRuntime({
    engine,
    queues: options.queues.map((queue) =>
      typeof queue === 'string'
        ? { name: queue, concurrency }
        : { name: queue.name, concurrency: queue.concurrency ?? concurrency, prefetch: queue.prefetch },
    ),
    handlers: new HandlerRegistry().registerAll(options.handlers),
    registry: new RedisWorkerRegistry({ redis, prefix }),
    kind: 'sdk',
    log: options.log ?? pino({ name: 'switchyard-worker' }),
    workerId: options.workerId,
    leaseMs: options.leaseMs,
    prefetch: options.prefetch,
    drainMs: options.drainMs,
    onCommand: () => void worker.close({ drainMs: options.drainMs }),
  });
  let closed: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));

  const worker: Worker = {
    id: runtime.workerId,
    async start() {
      if (ownsRedis && redis.status === 'wait') await redis.connect();
      await runtime.start();
    },
    close(closeOptions) {
      closed ??= (async () => {
        await runtime.close(closeOptions);
        await engine.close();
        if (ownsRedis) {
          if (redis.status === 'wait') redis.disconnect();
          else await redis.quit().catch(() => redis.disconnect());
        }
        markClosed();
      })();
      return closed;
    },
    closed: closedPromise,
    stats: () => runtime.stats(),
  };
  return worker;
}
