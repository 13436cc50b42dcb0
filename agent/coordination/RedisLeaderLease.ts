import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import type { LeaderLease } from './LeaderLease.js';

export interface RedisLeaderLeaseOptions {
  redis: Redis | Cluster;
  /** Prefix of the lease keys. */
  prefix: string;
  /** This agent's id, stored with the token. */
  holderId: string;
  /** Lease length in ms; renewed every third of it. Default 10 000. */
  leaseMs?: number;
  onChange?: (leader: boolean) => void;
}

const lua = (name: string) => readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');

type LeaseCommands = {
  switchyardAcquireLease(leaseKey: string, fenceKey: string, holderId: string, leaseMs: number): Promise<number>;
  switchyardRenewLease(leaseKey: string, holder: string, leaseMs: number): Promise<number>;
  switchyardReleaseLease(leaseKey: string, holder: string): Promise<number>;
};

/** A leader lease kept in Redis (SET NX PX), renewed by its holder. */
export class RedisLeaderLease implements LeaderLease {
  private readonly redis: (Redis | Cluster) & LeaseCommands;
  private readonly leaseKey: string;
  private readonly fenceKey: string;
  private readonly leaseMs: number;
  private held: { value: string; token: number } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: RedisLeaderLeaseOptions) {
    const redis = options.redis as (Redis | Cluster) & Partial<LeaseCommands>;
    if (!redis.switchyardAcquireLease) {
      redis.defineCommand('switchyardAcquireLease', { numberOfKeys: 2, lua: lua('acquireLease-2') });
      redis.defineCommand('switchyardRenewLease', { numberOfKeys: 1, lua: lua('renewLease-1') });
      redis.defineCommand('switchyardReleaseLease', { numberOfKeys: 1, lua: lua('releaseLease-1') });
    }
    this.redis = redis as (Redis | Cluster) & LeaseCommands;
    this.leaseKey = `${options.prefix}:{leader}:lease`;
    this.fenceKey = `${options.prefix}:{leader}:fence`;
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  isLeader(): boolean {
    return this.held !== null;
  }

  token(): number | null {
    return this.held?.token ?? null;
  }

  async start(): Promise<void> {
    await this.tick();
  }

  private async tick(): Promise<void> {
    try {
      if (this.held) {
        const renewed = await this.redis.switchyardRenewLease(this.leaseKey, this.held.value, this.leaseMs);
        if (renewed !== 1) this.change(null);
      } else {
        const token = await this.redis.switchyardAcquireLease(this.leaseKey, this.fenceKey, this.options.holderId, this.leaseMs);
        if (token > 0) this.change({ value: `${this.options.holderId}:${token}`, token });
      }
    } catch {
      // Redis unreachable: a leader that cannot renew must assume it lost the lease.
      if (this.held) this.change(null);
    }
    if (!this.closed) {
      this.timer = setTimeout(() => void this.tick(), this.held ? this.leaseMs / 3 : this.leaseMs / 2);
      this.timer.unref();
    }
  }

  private change(held: { value: string; token: number } | null): void {
    this.held = held;
    this.options.onChange?.(held !== null);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.held) {
      const value = this.held.value;
      this.change(null);
      await this.redis.switchyardReleaseLease(this.leaseKey, value).catch(() => undefined);
    }
  }
}
