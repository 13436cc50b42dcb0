import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../agent/engine/Engine.js';
import { EngineError } from '../../../agent/engine/EngineError.js';
import { EngineRouter } from '../../../agent/engine/EngineRouter.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { queueDefinition, type EngineKind } from '../../../shared/queue.js';
import { isolatedRedis } from '../../helpers/redis.js';

/**
 * The router over two real engines. The second stands in for the Postgres engine: a Redis engine
 * on keys of its own that calls itself `postgres`, so routing is checked against real storage
 * whichever engines exist (the Postgres engine itself passes the contract suite in test/agent/engine).
 */
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
let first: RedisEngine;
let second: Engine;

function calledKind(engine: RedisEngine, kind: EngineKind): Engine {
  return new Proxy(engine, {
    get(target, property) {
      if (property === 'kind') return kind;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function refusal(promise: Promise<unknown>): Promise<EngineError> {
  return promise.then(
    () => {
      throw new Error('expected an EngineError');
    },
    (error: unknown) => {
      if (error instanceof EngineError) return error;
      throw error;
    },
  );
}

beforeAll(async () => {
  redis = await isolatedRedis();
  first = new RedisEngine({ redis: redis.redis, prefix: `${redis.prefix}-r` });
  second = calledKind(new RedisEngine({ redis: redis.redis, prefix: `${redis.prefix}-p` }), 'postgres');
});
afterAll(async () => {
  await redis?.cleanup();
});

describe('EngineRouter', () => {
  it('defaults to its first engine and names every engine it has', () => {
    const router = new EngineRouter([first, second]);
    expect(router.kind).toBe('redis');
    expect(router.kinds).toEqual(['redis', 'postgres']);
    expect(new EngineRouter([second]).kind).toBe('postgres');
  });

  it('puts each queue on the engine it was created on, and works each one there', async () => {
    const router = new EngineRouter([first, second]);
    await router.defineQueue(queueDefinition({ name: 'fast', engine: 'redis' }));
    await router.defineQueue(queueDefinition({ name: 'durable', engine: 'postgres' }));
    expect(await first.getQueue('fast')).toMatchObject({ engine: 'redis' });
    expect(await first.getQueue('durable')).toBeUndefined();
    expect(await second.getQueue('durable')).toMatchObject({ engine: 'postgres' });

    await router.enqueue('fast', { type: 'a', payload: 1 });
    await router.enqueueBulk('durable', [{ type: 'b', payload: 2 }, { type: 'b', payload: 3 }]);
    expect((await first.counts('fast')).queued).toBe(1);
    expect((await second.counts('durable')).queued).toBe(2);
    expect((await router.counts('durable')).queued).toBe(2);

    const claimed = await router.claim('durable', { workerId: 'w', max: 5, leaseMs: 10_000 });
    expect(claimed.tasks).toHaveLength(2);
    const acknowledged = await router.acknowledge('durable', claimed.tasks.map(({ id, token }) => ({ id, token, status: 'succeeded' as const })));
    expect(acknowledged.map((ack) => ack.status)).toEqual(['succeeded', 'succeeded']);
    expect((await second.counts('durable')).succeeded).toBe(2);
  });

  it('lists the queues of every engine side by side, by name', async () => {
    const router = new EngineRouter([first, second]);
    await router.defineQueue(queueDefinition({ name: 'b-list', engine: 'postgres' }));
    await router.defineQueue(queueDefinition({ name: 'a-list', engine: 'redis' }));
    const listed = (await router.listQueues()).filter((queue) => queue.name.endsWith('-list'));
    expect(listed.map((queue) => [queue.name, queue.engine])).toEqual([
      ['a-list', 'redis'],
      ['b-list', 'postgres'],
    ]);
  });

  it('finds a queue defined before it existed (a restart) by asking its engines', async () => {
    await second.defineQueue(queueDefinition({ name: 'older', engine: 'postgres' }));
    await second.enqueue('older', { type: 'kept', payload: null });
    const router = new EngineRouter([first, second]);
    expect(await router.getQueue('older')).toMatchObject({ engine: 'postgres' });
    expect((await router.counts('older')).queued).toBe(1);
  });

  it('refuses a queue on an engine this agent does not have, naming what it has', async () => {
    const router = new EngineRouter([second]);
    const error = await refusal(router.defineQueue(queueDefinition({ name: 'nowhere', engine: 'redis' })));
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('engine');
    expect(error.message).toContain('available: postgres');
    expect(await second.getQueue('nowhere')).toBeUndefined();
  });

  it('refuses to move a queue to another engine', async () => {
    const router = new EngineRouter([first, second]);
    await router.defineQueue(queueDefinition({ name: 'fixed', engine: 'redis' }));
    const error = await refusal(new EngineRouter([first, second]).defineQueue(queueDefinition({ name: 'fixed', engine: 'postgres' })));
    expect(error).toMatchObject({ code: 'invalid_input', field: 'engine' });
    expect(await second.getQueue('fixed')).toBeUndefined();
  });

  it('refuses a queue no engine holds as its default engine would, and forgets a deleted queue', async () => {
    const router = new EngineRouter([first, second]);
    expect(await router.getQueue('missing')).toBeUndefined();
    expect((await refusal(router.enqueue('missing', { type: 'x', payload: null }))).code).toBe('unknown_queue');

    await router.defineQueue(queueDefinition({ name: 'brief', engine: 'postgres' }));
    await router.deleteQueue('brief');
    expect(await second.getQueue('brief')).toBeUndefined();
    // Free to be created again, on the other engine this time.
    await router.defineQueue(queueDefinition({ name: 'brief', engine: 'redis' }));
    expect(await first.getQueue('brief')).toMatchObject({ engine: 'redis' });
  });

  it('follows a queue another agent deleted and created again on the other engine', async () => {
    const mine = new EngineRouter([first, second]);
    const theirs = new EngineRouter([first, second]);
    await mine.defineQueue(queueDefinition({ name: 'moving', engine: 'redis' }));
    expect(await mine.isPaused('moving')).toBe(false);

    await theirs.deleteQueue('moving');
    await theirs.defineQueue(queueDefinition({ name: 'moving', engine: 'postgres' }));

    await mine.enqueue('moving', { type: 'moved', payload: null });
    expect((await second.counts('moving')).queued).toBe(1);
    expect(await mine.getQueue('moving')).toMatchObject({ engine: 'postgres' });

    await theirs.deleteQueue('moving');
    await theirs.defineQueue(queueDefinition({ name: 'moving', engine: 'redis' }));
    expect(await mine.getQueue('moving')).toMatchObject({ engine: 'redis' });
    await theirs.deleteQueue('moving');
    await mine.defineQueue(queueDefinition({ name: 'moving', engine: 'postgres', concurrency: 3 }));
    expect(await second.getQueue('moving')).toMatchObject({ concurrency: 3 });
  });
});
