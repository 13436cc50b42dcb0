import type { LeaderLease } from './LeaderLease.js';

export interface InProcessLeaderLeaseOptions {
  /** This agent's id, named in the log line. */
  holderId: string;
  /** Told `true` at start and `false` at close. */
  onChange?: (leader: boolean) => void;
}

/**
 * The leader lease of a lone agent without Redis: there is no one to share the cluster with, so
 * it is the leader from `start()` until `close()`, with fencing token 1. Two agents without Redis
 * on one database would both lead: the embedded mode is one agent (its PGlite data directory is
 * not shared), and a cluster of agents needs Redis.
 */
export class InProcessLeaderLease implements LeaderLease {
  #leader = false;

  constructor(private readonly options: InProcessLeaderLeaseOptions) {}

  isLeader(): boolean {
    return this.#leader;
  }

  token(): number | null {
    return this.#leader ? 1 : null;
  }

  async start(): Promise<void> {
    if (this.#leader) return;
    this.#leader = true;
    this.options.onChange?.(true);
  }

  async close(): Promise<void> {
    if (!this.#leader) return;
    this.#leader = false;
    this.options.onChange?.(false);
  }
}
