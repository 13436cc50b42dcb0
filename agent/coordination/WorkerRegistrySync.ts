import type { Logger } from 'pino';
import type { WorkerStore } from '../records/WorkerStore.js';
import type { WorkerRegistry } from '../worker/WorkerRegistry.js';

/**
 * On the leader, copies the live worker registry (Redis, heartbeats every few seconds) into the
 * Postgres `workers` table, the record that outlives Redis: running workers are upserted, and
 * workers that left the registry are marked stopped. Workers silent for `maxSilentMs` (crashed
 * without deregistering) are pruned from the live registry first.
 */
export class WorkerRegistrySync {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly registry: WorkerRegistry,
    private readonly store: WorkerStore,
    private readonly isLeader: () => boolean,
    private readonly log: Pick<Logger, 'error'>,
    private readonly intervalMs = 5_000,
    private readonly maxSilentMs = 60_000,
  ) {}

  start(): void {
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.sync().finally(() => this.schedule(this.intervalMs)), delay);
    this.timer.unref();
  }

  async sync(): Promise<void> {
    if (!this.isLeader()) return;
    try {
      await this.registry.prune(this.maxSilentMs);
      const live = await this.registry.list();
      const liveIds = new Set(live.map((worker) => worker.id));
      for (const worker of live) {
        await this.store.upsert(worker);
      }
      for (const recorded of await this.store.list()) {
        if (recorded.stoppedAt === null && !liveIds.has(recorded.id)) await this.store.markStopped(recorded.id);
      }
    } catch (error) {
      this.log.error({ err: error }, 'worker registry sync failed; retrying next interval');
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
