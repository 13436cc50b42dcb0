import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../../agent/engine/Engine.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { LogHistogram } from '../../../agent/metrics/LogHistogram.js';
import { MetricsRecorder, type MetricsRecorderOptions } from '../../../agent/metrics/MetricsRecorder.js';
import { MetricStore } from '../../../agent/metrics/MetricStore.js';
import { percentilesOf, type SecondPoint } from '../../../agent/metrics/QueuePoint.js';
import { Archiver } from '../../../agent/records/Archiver.js';
import { queueDefinition } from '../../../shared/queue.js';
import { defaultBackoff, type Task } from '../../../shared/task.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

const log = pino({ level: 'silent' });
const minute = 60_000;
/** A whole minute, far from now: the recorder's injected clock starts here. */
const start = Date.UTC(2030, 0, 1, 12, 0);

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
let engine: RedisEngine;
let store: MetricStore;
let clock: number;
const closing: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  database = await migratedDatabase();
  redis = await isolatedRedis();
  engine = new RedisEngine({ redis: redis.redis, prefix: redis.prefix });
  store = new MetricStore(database.pool);
});

afterEach(async () => {
  await Promise.all(closing.splice(0).map((closable) => closable.close()));
  for (const queue of await engine.listQueues()) await engine.deleteQueue(queue.name);
  await database.pool.query('truncate metric_points');
});

afterAll(async () => {
  await engine?.close();
  await redis?.cleanup();
  await database?.close();
});

function recorder(options: Partial<MetricsRecorderOptions> = {}): MetricsRecorder {
  const made = new MetricsRecorder({ engine, store, isLeader: () => true, log, now: () => clock, ...options });
  closing.push(made);
  return made;
}

/** An archiver on the same engine whose batches go to `recorder`. */
function archiverFor(made: MetricsRecorder): Archiver {
  const archiver = new Archiver({ pool: database.pool, engine, isLeader: () => true, log });
  archiver.addArchivedListener((_queue, tasks) => made.observe(tasks));
  closing.push(archiver);
  return archiver;
}

/** A finished task as the archiver would hand it over, with the given wait and run times. */
function finishedTask(queue: string, waitMs: number, runMs: number, state: 'succeeded' | 'dead' = 'succeeded'): Task {
  const createdAt = start - 3_600_000;
  const startedAt = createdAt + waitMs;
  const finishedAt = startedAt + runMs;
  return {
    id: `0193a4b2-0000-7000-8000-${String(waitMs).padStart(12, '0')}`,
    queue,
    type: 'report.render',
    payload: null,
    state,
    priority: 5,
    runAt: createdAt,
    attempts: 1,
    maxAttempts: 1,
    timeoutMs: 30_000,
    backoff: defaultBackoff,
    idempotencyKey: null,
    traceParent: null,
    createdAt,
    startedAt,
    finishedAt,
    result: null,
    error: null,
    history: [{ attempt: 1, workerId: 'w', startedAt, finishedAt, outcome: state === 'succeeded' ? 'succeeded' : 'failed', error: null }],
  };
}

/** A point without its histograms, as the store answers it. */
function stored({ wait: _wait, run: _run, ...point }: SecondPoint) {
  return point;
}

describe('MetricsRecorder', () => {
  it('the first sample sets the baseline; each later second has the counts since the previous one, and depth and active as sampled', async () => {
    await engine.defineQueue(queueDefinition({ name: 'counted' }));
    const made = recorder();
    const archiver = archiverFor(made);
    clock = start + 100;
    expect(await made.recordOnce()).toEqual([]);

    await engine.enqueueBulk('counted', Array.from({ length: 5 }, () => ({ type: 'report.render' })));
    clock += 1_000;
    const [first, ...none] = await made.recordOnce();
    expect(none).toEqual([]);
    expect(first).toMatchObject({ queue: 'counted', at: start + 1_000, enqueued: 5, succeeded: 0, failed: 0, dead: 0, depth: 5, depthMax: 5, active: 0, measured: 0, waitP50: null, runP99: null });

    const { tasks } = await engine.claim('counted', { workerId: 'w', max: 3, leaseMs: 60_000 });
    const outcomes: Outcome[] = [
      { id: tasks[0]!.id, token: tasks[0]!.token, status: 'succeeded' },
      { id: tasks[1]!.id, token: tasks[1]!.token, status: 'succeeded' },
      { id: tasks[2]!.id, token: tasks[2]!.token, status: 'failed', error: { message: 'no' }, retryDelayMs: 0, retryable: false },
    ];
    await engine.acknowledge('counted', outcomes);
    const [stillQueued] = (await engine.claim('counted', { workerId: 'w', max: 1, leaseMs: 60_000 })).tasks;
    expect(await archiver.archiveOnce()).toBe(3);
    clock += 1_000;
    const [second] = await made.recordOnce();
    expect(second).toMatchObject({ at: start + 2_000, enqueued: 0, succeeded: 2, failed: 1, dead: 1, cancelled: 0, depth: 1, active: 1, measured: 3 });
    expect(second!.waitP50).toEqual(expect.any(Number));
    expect(second!.runP99).toEqual(expect.any(Number));
    expect(stillQueued).toBeDefined();

    // Within the same second nothing more is written.
    clock += 400;
    expect(await made.recordOnce()).toEqual([]);
    expect(await store.points('counted', 'second', 0, Number.MAX_SAFE_INTEGER)).toEqual([first, second].map((point) => stored(point!)));
  });

  it('percentiles come from the finished tasks of the second, within 1 %', async () => {
    await engine.defineQueue(queueDefinition({ name: 'timed' }));
    const made = recorder();
    clock = start + 5;
    await made.recordOnce();
    // Waits of 0.1 s … 10 s and runs of 1 s … 100 s, one task each.
    made.observe(Array.from({ length: 100 }, (_, index) => finishedTask('timed', (index + 1) * 100, (index + 1) * 1_000)));
    clock += 1_000;
    const [point] = await made.recordOnce();
    expect(point!.measured).toBe(100);
    const expected = { waitP50: 5_000, waitP95: 9_500, waitP99: 9_900, runP50: 50_000, runP95: 95_000, runP99: 99_000 };
    for (const [key, value] of Object.entries(expected)) {
      expect(Math.abs(point![key as keyof typeof expected]! - value), key).toBeLessThanOrEqual(value * 0.01);
    }
    // Tasks finished in a second the recorder has passed go into the next point, not an old one.
    clock += 1_000;
    const [next] = await made.recordOnce();
    expect(next).toMatchObject({ measured: 0, waitP50: null });
  });

  it('timings reported before a queue’s baseline wait for its first point; those of unknown queues are dropped', async () => {
    await engine.defineQueue(queueDefinition({ name: 'early' }));
    const made = recorder();
    made.observe([finishedTask('early', 7, 9), finishedTask('never-defined', 1, 1)]);
    clock = start + 20;
    expect(await made.recordOnce()).toEqual([]);
    clock += 1_000;
    const points = await made.recordOnce();
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ queue: 'early', measured: 1, waitP50: 7, runP50: 9 });
  });

  it('rolls each minute up from its stored seconds in the first tick of the next minute', async () => {
    await engine.defineQueue(queueDefinition({ name: 'rolled' }));
    const made = recorder();
    clock = start;
    await made.recordOnce();
    const plan = [
      { second: 1, enqueue: 4, waits: [10, 20] },
      { second: 2, enqueue: 0, waits: [5_000] },
      { second: 30, enqueue: 7, waits: [30, 40, 50] },
      { second: 59, enqueue: 1, waits: [] },
    ];
    for (const step of plan) {
      if (step.enqueue > 0) await engine.enqueueBulk('rolled', Array.from({ length: step.enqueue }, () => ({ type: 'report.render' })));
      made.observe(step.waits.map((wait) => finishedTask('rolled', wait, wait * 2)));
      clock = start + step.second * 1_000 + 3;
      await made.recordOnce();
    }
    expect(await store.points('rolled', 'minute', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);

    clock = start + minute + 7;
    await made.recordOnce();
    const [rolled, ...more] = await store.points('rolled', 'minute', 0, Number.MAX_SAFE_INTEGER);
    expect(more).toEqual([]);
    expect(rolled).toMatchObject({ queue: 'rolled', at: start, enqueued: 12, depth: 12, depthMax: 12, active: 0, measured: 6 });
    // Six waits 10, 20, 30, 40, 50, 5000: nearest rank p50 is the 3rd (30), p95 and p99 the 6th.
    expect(rolled!.waitP50).toBe(30);
    expect(Math.abs(rolled!.waitP99! - 5_000)).toBeLessThanOrEqual(50);
    expect(rolled!.runP50).toBe(60);
    const seconds = await store.seconds('rolled', start, start + minute);
    expect(seconds.map((second) => second.at)).toEqual(plan.map((step) => start + step.second * 1_000));
    const merged = seconds.reduce((histogram, second) => histogram.merge(second.wait), new LogHistogram());
    expect(merged.count).toBe(6);
    expect(rolled).toMatchObject(percentilesOf(merged, seconds.reduce((histogram, second) => histogram.merge(second.run), new LogHistogram())));
  });

  it('a recorder that starts later (a restart, a new leader) catches up the minutes not rolled up, once', async () => {
    await engine.defineQueue(queueDefinition({ name: 'resumed' }));
    const before = recorder();
    for (const offset of [1_000, 2_000, minute + 1_000, minute + 2_000]) {
      await engine.enqueue('resumed', { type: 'report.render' });
      clock = start + offset;
      await before.recordOnce();
    }
    await before.close();
    expect((await store.points('resumed', 'minute', 0, Number.MAX_SAFE_INTEGER)).map((point) => point.at)).toEqual([start]);

    const after = recorder();
    clock = start + 3 * minute + 1_000;
    expect(await after.recordOnce()).toEqual([]);
    const minutes = await store.points('resumed', 'minute', 0, Number.MAX_SAFE_INTEGER);
    expect(minutes.map((point) => point.at)).toEqual([start, start + minute]);
    expect(minutes[1]).toMatchObject({ enqueued: 2, depth: 4 });
    clock += 1_000;
    await after.recordOnce();
    expect(await store.points('resumed', 'minute', 0, Number.MAX_SAFE_INTEGER)).toEqual(minutes);
  });

  it('prunes seconds older than an hour and minutes older than a week', async () => {
    const point = (at: number): SecondPoint => ({
      queue: 'old',
      at,
      enqueued: 1,
      succeeded: 1,
      failed: 0,
      dead: 0,
      cancelled: 0,
      depth: 0,
      depthMax: 0,
      active: 0,
      ...percentilesOf(new LogHistogram(), new LogHistogram()),
      wait: new LogHistogram(),
      run: new LogHistogram(),
    });
    clock = start + 10 * 86_400_000;
    const hourAgo = clock - 3_600_000;
    const weekAgo = clock - 7 * 86_400_000;
    await store.insertSeconds([point(hourAgo - 1_000), point(hourAgo + minute)]);
    await store.upsertMinutes([point(weekAgo - minute), point(weekAgo + minute)]);
    await recorder().recordOnce();
    expect((await store.points('old', 'second', 0, Number.MAX_SAFE_INTEGER)).map((kept) => kept.at)).toEqual([hourAgo + minute]);
    // The kept second's minute was rolled up on the way (it had none).
    expect((await store.points('old', 'minute', 0, Number.MAX_SAFE_INTEGER)).map((kept) => kept.at)).toEqual([weekAgo + minute, hourAgo + minute]);
  });

  it('records on its timer, and only while this agent leads', async () => {
    await engine.defineQueue(queueDefinition({ name: 'led' }));
    let leading = false;
    let asked = 0;
    const made = recorder({
      now: Date.now,
      isLeader: () => {
        asked += 1;
        return leading;
      },
    });
    made.start();
    await until(() => asked >= 2, { message: 'two ticks' });
    expect(await store.points('led', 'second', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    leading = true;
    const [point] = await until(async () => {
      const points = await store.points('led', 'second', 0, Number.MAX_SAFE_INTEGER);
      return points.length > 0 ? points : undefined;
    }, { message: 'a point once leading' });
    expect(point!.at % 1_000).toBe(0);
  });
});

describe('Archiver listeners', () => {
  it('hands each archived batch to every listener; a removed one hears nothing more', async () => {
    await engine.defineQueue(queueDefinition({ name: 'heard' }));
    const archiver = new Archiver({ pool: database.pool, engine, isLeader: () => true, log });
    closing.push(archiver);
    const first: string[] = [];
    const second: string[] = [];
    const remove = archiver.addArchivedListener((queue, tasks) => first.push(...tasks.map((task) => `${queue}:${task.state}`)));
    archiver.addArchivedListener((_queue, tasks) => second.push(...tasks.map((task) => task.id)));
    const finish = async () => {
      const { id } = await engine.enqueue('heard', { type: 'report.render' });
      expect(await engine.cancel('heard', id)).toBe(true);
      return id;
    };
    const one = await finish();
    await archiver.archiveOnce();
    remove();
    const two = await finish();
    await archiver.archiveOnce();
    expect(first).toEqual(['heard:cancelled']);
    expect(second).toEqual([one, two]);
  });
});
