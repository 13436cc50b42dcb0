import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisLeaderLease } from '../../../agent/coordination/RedisLeaderLease.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

describe('RedisLeaderLease', () => {
  let redis: Redis;
  let prefix: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ redis, prefix, cleanup } = await isolatedRedis());
  });
  afterAll(async () => cleanup());

  it('elects one leader, hands over on close with a higher fencing token', async () => {
    const first = new RedisLeaderLease({ redis, prefix, holderId: 'agent-a', leaseMs: 300 });
    const second = new RedisLeaderLease({ redis, prefix, holderId: 'agent-b', leaseMs: 300 });
    await first.start();
    await second.start();
    expect(first.isLeader()).toBe(true);
    expect(second.isLeader()).toBe(false);
    const firstToken = first.token()!;
    await first.close();
    await until(() => second.isLeader(), { message: 'the second agent to take over' });
    expect(second.token()).toBeGreaterThan(firstToken);
    await second.close();
  });

  it('is taken over when the leader stops renewing', async () => {
    const stalled = new RedisLeaderLease({ redis, prefix: `${prefix}-stall`, holderId: 'agent-a', leaseMs: 200 });
    await stalled.start();
    expect(stalled.isLeader()).toBe(true);
    // Simulate a frozen leader: its lease key is given away behind its back.
    await redis.del(`${prefix}-stall:{leader}:lease`);
    const successor = new RedisLeaderLease({ redis, prefix: `${prefix}-stall`, holderId: 'agent-b', leaseMs: 200 });
    await successor.start();
    expect(successor.isLeader()).toBe(true);
    await until(() => !stalled.isLeader(), { message: 'the stalled leader to notice it lost the lease' });
    await stalled.close();
    await successor.close();
  });
});
