import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventBus } from '../../../../agent/api/events/RedisEventBus.js';
import { EventHub } from '../../../../agent/api/events/EventHub.js';
import type { Subscription } from '../../../../agent/api/events/Subscription.js';
import type { Engine } from '../../../../agent/engine/Engine.js';
import { RedisEngine } from '../../../../agent/engine/redis/RedisEngine.js';
import type { AuditEntry } from '../../../../agent/security/AuditLog.js';
import { RedisWorkerRegistry } from '../../../../agent/worker/RedisWorkerRegistry.js';
import type { EventData, EventKind, TopicOf } from '../../../../shared/api/events.js';
import { queueDefinition } from '../../../../shared/queue.js';
import { isolatedRedis } from '../../../helpers/redis.js';
import { until } from '../../../helpers/until.js';

const log = pino({ level: 'silent' });

/** A subscription that records what it is sent. */
function recorder<K extends EventKind>(id: string, topic: TopicOf<K>): Subscription<K> & { received: Array<EventData<K>> } {
  const received: Array<EventData<K>> = [];
  return { id, topic, received, deliver: (data) => void received.push(data) };
}

describe('EventHub', () => {
  let redis: Awaited<ReturnType<typeof isolatedRedis>>;
  let engine: RedisEngine;
  let countReads = 0;
  /** The engine, counting its `counts` reads. */
  let counted: Engine;
  const closing: Array<() => Promise<void>> = [];

  const hubOn = (options: { engine?: Engine; tickMs?: number } = {}) => {
    const bus = new RedisEventBus({ publisher: redis.redis, subscriber: redis.redis.duplicate(), prefix: redis.prefix, log });
    const hub = new EventHub({ engine: options.engine ?? engine, workers: new RedisWorkerRegistry({ redis: redis.redis, prefix: redis.prefix }), bus, log, tickMs: options.tickMs ?? 50 });
    closing.push(() => hub.close(), () => bus.close());
    return { hub, bus };
  };

  beforeAll(async () => {
    redis = await isolatedRedis();
    engine = new RedisEngine({ redis: redis.redis, prefix: redis.prefix });
    await engine.defineQueue(queueDefinition({ name: 'a' }));
    await engine.defineQueue(queueDefinition({ name: 'b' }));
    counted = new Proxy(engine, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property === 'counts') return (queue: string) => ((countReads += 1), engine.counts(queue));
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    });
  });
  afterAll(async () => {
    for (const close of closing.splice(0).reverse()) await close();
    await engine?.close();
    await redis?.cleanup();
  });

  it('reads each queue’s counts once a tick, however many subscriptions want them', async () => {
    const { hub } = hubOn({ engine: counted });
    const subscriptions = Array.from({ length: 40 }, (_, index) => recorder(`s${index}`, index % 2 ? { kind: 'queueStats' } : { kind: 'queueStats', queue: 'a' }));
    for (const subscription of subscriptions) await hub.add(subscription);
    await until(() => subscriptions.every((subscription) => subscription.received.length >= 3), { message: 'three ticks' });
    await hub.close();
    const ticks = subscriptions[0]!.received.length;
    // Two queues, one read each per tick: not one per subscription.
    expect(countReads).toBe(2 * ticks);
    expect(subscriptions[1]!.received.at(-1)!.queues.map((queue) => queue.name)).toEqual(['a', 'b']);
    expect(subscriptions[0]!.received.at(-1)!.queues.map((queue) => queue.name)).toEqual(['a']);
  });

  it('ticks only while a polled subscription exists', async () => {
    const { hub } = hubOn();
    const audit = recorder('audit', { kind: 'audit' });
    await hub.add(audit);
    expect(hub.running).toBe(false);
    const stats = recorder('stats', { kind: 'queueStats' });
    await hub.add(stats);
    expect(hub.running).toBe(true);
    await until(() => stats.received.length >= 2, { message: 'two ticks' });
    hub.remove(stats);
    await until(() => !hub.running, { message: 'the ticker to stop' });
    const delivered = stats.received.length;
    const again = recorder('again', { kind: 'queueStats', queue: 'b' });
    await hub.add(again);
    await until(() => again.received.length >= 1, { message: 'the ticker to start again' });
    expect(stats.received).toHaveLength(delivered);
    hub.remove(again);
    hub.remove(audit);
  });

  it('fans audit entries and archived tasks out to the hubs of every agent', async () => {
    const first = hubOn();
    const second = hubOn();
    const audit = recorder('audit', { kind: 'audit' });
    await second.hub.add(audit);
    const entry: AuditEntry = { id: '1', at: Date.now(), actor: { kind: 'system', id: 'test', name: 'test', role: null }, action: 'queue.create', target: 'queue:a', before: null, after: null, address: null };
    first.bus.publishAudit(entry);
    await until(() => audit.received.length === 1, { message: 'the entry on the other agent' });
    expect(audit.received[0]).toEqual(entry);

    const filter = recorder('filter', { kind: 'tasks', queue: 'a', states: ['dead'] });
    await second.hub.add(filter);
    const { id } = await engine.enqueue('a', { type: 'doomed', maxAttempts: 1 });
    const { tasks } = await engine.claim('a', { workerId: 'test', max: 1, leaseMs: 10_000 });
    await engine.acknowledge('a', [{ id, token: tasks[0]!.token, status: 'failed', error: { message: 'no' }, retryDelayMs: 0 }]);
    const dead = (await engine.takeFinished('a', 10)).filter((task) => task.id === id);
    first.bus.publishArchived('a', dead);
    const finished = await until(() => filter.received.find((data) => data.change === 'finished'), { message: 'the dead task on the other agent' });
    expect(finished).toEqual({ change: 'finished', tasks: [expect.objectContaining({ id, state: 'dead', error: { message: 'no' } })] });
    second.hub.remove(filter);
    second.hub.remove(audit);
  });
});
