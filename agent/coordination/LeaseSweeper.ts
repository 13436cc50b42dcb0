import type { Logger } from 'pino';
import type { Engine } from '../engine/Engine.js';

/**
 * On the leader, makes tasks whose lease ran out claimable again in every queue, so a queue whose
 * workers all died shows true counts and its tasks are ready the moment a worker returns. (Every
 * claim also recovers expired leases of its own queue; this covers queues nobody is claiming from.)
 */
export class LeaseSweeper {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly isLeader: () => boolean,
    private readonly log: Pick<Logger, 'info' | 'error'>,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.sweep().finally(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep over every queue; answers how many tasks were recovered. */
  async sweep(): Promise<number> {
    if (!this.isLeader()) return 0;
    let recovered = 0;
    try {
      for (const queue of await this.engine.listQueues()) {
        let batch: number;
        do {
          batch = await this.engine.recoverExpiredLeases(queue.name, 1_000);
          recovered += batch;
        } while (batch === 1_000 && !this.closed);
      }
    } catch (error) {
      this.log.error({ err: error }, 'lease sweep failed; retrying next interval');
    }
    if (recovered > 0) this.log.info({ recovered }, 'recovered tasks whose lease expired');
    return recovered;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
