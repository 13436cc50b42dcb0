import type { EventData } from '../../../shared/api/events.js';
import type { QueueDefinition } from '../../../shared/queue.js';
import type { Engine } from '../../engine/Engine.js';
import type { WorkerRegistry, WorkerStatus } from '../../worker/WorkerRegistry.js';
import type { EventSource } from './EventSource.js';
import type { Subscription } from './Subscription.js';
import type { TickSnapshot } from './TickSnapshot.js';

interface Watch {
  subscription: Subscription<'workers'>;
  /** What the last event showed, heartbeat times left out. */
  sent: string;
  sentAt: number;
}

/**
 * `workers`: the worker registry as `GET /workers` answers it. The list at once; then, reading
 * the registry each tick (once for every subscriber), again whenever a worker came or went or
 * changed its queues, slots or slots in use (written at each heartbeat, every 5 s by default),
 * and at least every `refreshMs` so heartbeat ages stay current.
 */
export class WorkerSource implements EventSource<'workers'> {
  readonly #watches = new Map<Subscription<'workers'>, Watch>();

  constructor(
    private readonly registry: WorkerRegistry,
    private readonly engine: Engine,
    private readonly refreshMs = 10_000,
  ) {}

  get ticking(): boolean {
    return this.#watches.size > 0;
  }

  async add(subscription: Subscription<'workers'>): Promise<void> {
    const [workers, queues] = await Promise.all([this.registry.list(), this.engine.listQueues()]);
    const data = workersData(workers, queues, Date.now());
    this.#watches.set(subscription, { subscription, sent: fingerprint(data), sentAt: Date.now() });
    subscription.deliver(data);
  }

  remove(subscription: Subscription<'workers'>): void {
    this.#watches.delete(subscription);
  }

  async tick(snapshot: TickSnapshot): Promise<void> {
    const [workers, queues] = await Promise.all([this.registry.list(), snapshot.queues()]);
    const data = workersData(workers, queues, snapshot.at);
    const seen = fingerprint(data);
    for (const watch of [...this.#watches.values()]) {
      if (!this.#watches.has(watch.subscription)) continue;
      if (seen === watch.sent && snapshot.at - watch.sentAt < this.refreshMs) continue;
      watch.sent = seen;
      watch.sentAt = snapshot.at;
      watch.subscription.deliver(data);
    }
  }
}

/** The same answer as `GET /workers`. */
function workersData(workers: WorkerStatus[], queues: QueueDefinition[], now: number): EventData<'workers'> {
  const consumed = new Set(workers.flatMap((worker) => worker.queues));
  return {
    workers: workers.map((worker) => ({ ...worker, heartbeatAgeMs: Math.max(0, now - worker.lastHeartbeatAt) })),
    queuesWithoutWorkers: queues.map((queue) => queue.name).filter((name) => !consumed.has(name)),
  };
}

function fingerprint(data: EventData<'workers'>): string {
  return JSON.stringify({
    workers: data.workers.map(({ id, queues, slots, slotsInUse, kind }) => ({ id, queues, slots, slotsInUse, kind })),
    queuesWithoutWorkers: data.queuesWithoutWorkers,
  });
}
