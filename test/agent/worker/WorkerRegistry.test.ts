import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisWorkerRegistry } from '../../../agent/worker/RedisWorkerRegistry.js';
import type { WorkerInfo } from '../../../agent/worker/WorkerRegistry.js';
import { isolatedRedis } from '../../helpers/redis.js';

let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;
let registry: RedisWorkerRegistry;

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await isolatedRedis());
  registry = new RedisWorkerRegistry({ redis, prefix });
});
afterAll(() => cleanup());

function info(id: string, startedAt = Date.now()): WorkerInfo {
  return { id, host: 'host-a', pid: 42, queues: ['mail'], slots: 4, startedAt, kind: 'sdk' };
}

describe('RedisWorkerRegistry', () => {
  it('lists a registered worker with its heartbeat and slots in use, until it deregisters', async () => {
    await registry.register(info('w-list'));
    expect(await registry.heartbeat('w-list', 3)).toBe(true);
    const listed = (await registry.list()).find((worker) => worker.id === 'w-list');
    expect(listed).toMatchObject({ host: 'host-a', pid: 42, slots: 4, slotsInUse: 3, kind: 'sdk', queues: ['mail'] });
    expect(listed?.lastHeartbeatAt).toBeGreaterThanOrEqual(listed?.startedAt ?? Infinity);

    await registry.deregister('w-list');
    expect((await registry.list()).map((worker) => worker.id)).not.toContain('w-list');
  });

  it('keeps its keys under the prefix', async () => {
    await registry.register(info('w-keys'));
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([`${prefix}:{workers}`, `${prefix}:{workers}:seen`, `${prefix}:{workers}:slots`]);
    await registry.deregister('w-keys');
  });

  it('prunes workers silent for longer than the given age, and keeps the others', async () => {
    await registry.register(info('w-silent'));
    await redis.zadd(`${prefix}:{workers}:seen`, Date.now() - 60_000, 'w-silent');
    await registry.register(info('w-alive'));

    expect(await registry.prune(30_000)).toEqual(['w-silent']);
    const ids = (await registry.list()).map((worker) => worker.id);
    expect(ids).toContain('w-alive');
    expect(ids).not.toContain('w-silent');
    await registry.deregister('w-alive');
  });

  it('answers false to the heartbeat of a pruned worker and does not resurrect it', async () => {
    expect(await registry.heartbeat('w-gone', 1)).toBe(false);
    expect((await registry.list()).map((worker) => worker.id)).not.toContain('w-gone');
    expect(await redis.zscore(`${prefix}:{workers}:seen`, 'w-gone')).toBeNull();
    expect(await redis.hexists(`${prefix}:{workers}:slots`, 'w-gone')).toBe(0);
  });
});
