import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryWorkerRegistry } from '../../../agent/worker/InMemoryWorkerRegistry.js';
import { RedisWorkerRegistry } from '../../../agent/worker/RedisWorkerRegistry.js';
import type { WorkerCommand, WorkerInfo, WorkerRegistry } from '../../../agent/worker/WorkerRegistry.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await isolatedRedis());
});
afterAll(() => cleanup());

function info(id: string, startedAt = Date.now()): WorkerInfo {
  return { id, host: 'host-a', pid: 42, queues: ['mail'], types: ['send-receipt', 'send-welcome'], slots: 4, startedAt, kind: 'sdk' };
}

/** A registry, and a way to make one of its workers look silent for `ms`. */
interface Subject {
  registry: WorkerRegistry;
  silence(id: string, ms: number): Promise<void>;
}

function inMemory(): Subject {
  let offset = 0;
  const registry = new InMemoryWorkerRegistry({ now: () => Date.now() + offset });
  // Moving the clock on makes every worker older; the others heartbeat again to stay young.
  return {
    registry,
    silence: async (id, ms) => {
      offset += ms;
      for (const worker of await registry.list()) if (worker.id !== id) await registry.heartbeat(worker.id, worker.slotsInUse);
    },
  };
}

/** The same rules from both registries. */
describe.each([
  ['RedisWorkerRegistry', (): Subject => ({ registry: new RedisWorkerRegistry({ redis, prefix }), silence: async (id, ms) => void (await redis.zadd(`${prefix}:{workers}:seen`, Date.now() - ms, id)) })],
  ['InMemoryWorkerRegistry', inMemory],
])('%s', (_name, make) => {
  let registry: WorkerRegistry;
  let subject: Subject;
  beforeAll(() => {
    subject = make();
    registry = subject.registry;
  });

  it('lists a registered worker with its heartbeat and slots in use, until it deregisters', async () => {
    await registry.register(info('w-list'));
    expect(await registry.heartbeat('w-list', 3)).toBe(true);
    const listed = (await registry.list()).find((worker) => worker.id === 'w-list');
    expect(listed).toMatchObject({ host: 'host-a', pid: 42, slots: 4, slotsInUse: 3, kind: 'sdk', queues: ['mail'], types: ['send-receipt', 'send-welcome'] });
    expect(listed?.lastHeartbeatAt).toBeGreaterThanOrEqual(listed?.startedAt ?? Infinity);

    await registry.deregister('w-list');
    expect((await registry.list()).map((worker) => worker.id)).not.toContain('w-list');
  });

  it('prunes workers silent for longer than the given age, and keeps the others', async () => {
    await registry.register(info('w-silent'));
    await registry.register(info('w-alive'));
    await subject.silence('w-silent', 60_000);

    expect(await registry.prune(30_000)).toEqual(['w-silent']);
    const ids = (await registry.list()).map((worker) => worker.id);
    expect(ids).toContain('w-alive');
    expect(ids).not.toContain('w-silent');
    await registry.deregister('w-alive');
  });

  it('answers false to the heartbeat of a pruned worker and does not resurrect it', async () => {
    expect(await registry.heartbeat('w-gone', 1)).toBe(false);
    expect((await registry.list()).map((worker) => worker.id)).not.toContain('w-gone');
  });

  it('delivers a command to the listening worker, and answers false for a worker nobody listens for', async () => {
    await registry.register(info('w-told'));
    const heard: WorkerCommand[] = [];
    const stop = await registry.listen('w-told', (command) => heard.push(command));
    try {
      expect(await registry.send('w-told', 'drain')).toBe(true);
      await until(() => heard.length === 1, { message: 'the worker to hear the command' });
      expect(heard).toEqual(['drain']);
    } finally {
      await stop();
      await registry.deregister('w-told');
    }
    expect(await registry.send('w-nobody', 'stop')).toBe(false);
  });
});

describe('RedisWorkerRegistry keys', () => {
  it('keeps its keys under the prefix, and a pruned worker leaves none behind', async () => {
    const registry = new RedisWorkerRegistry({ redis, prefix });
    await registry.register(info('w-keys'));
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([`${prefix}:{workers}`, `${prefix}:{workers}:seen`, `${prefix}:{workers}:slots`]);
    await registry.deregister('w-keys');
    expect(await registry.heartbeat('w-keys', 1)).toBe(false);
    expect(await redis.zscore(`${prefix}:{workers}:seen`, 'w-keys')).toBeNull();
    expect(await redis.hexists(`${prefix}:{workers}:slots`, 'w-keys')).toBe(0);
  });
});

describe('RedisWorkerRegistry with a worker of an older version', () => {
  it('answers no task types for a registration written without them', async () => {
    const registry = new RedisWorkerRegistry({ redis, prefix });
    const { types: _types, ...older } = info('w-older');
    await redis.hset(`${prefix}:{workers}`, 'w-older', JSON.stringify(older));
    await redis.zadd(`${prefix}:{workers}:seen`, Date.now(), 'w-older');
    expect((await registry.list()).find((worker) => worker.id === 'w-older')?.types).toEqual([]);
    await registry.deregister('w-older');
  });
});
