import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedTask } from '../../../agent/engine/Engine.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { CronSchedule } from '../../../agent/schedules/CronSchedule.js';
import { Scheduler, type SchedulerOptions } from '../../../agent/schedules/Scheduler.js';
import { ScheduleStore, type ScheduleFields, type StoredSchedule, type TickPosition } from '../../../agent/schedules/ScheduleStore.js';
import { queueDefinition } from '../../../shared/queue.js';
import { scheduleTickKey } from '../../../shared/schedule.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis, redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

const silent = pino({ level: 'silent' });

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
let engine: RedisEngine;
let store: ScheduleStore;
const schedulers: Scheduler[] = [];
let queueNumber = 0;

beforeAll(async () => {
  database = await migratedDatabase();
  redis = await isolatedRedis();
  engine = new RedisEngine({ redis: redis.redis, prefix: redis.prefix });
  store = new ScheduleStore(database.pool);
});

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.close()));
  // Each test sees only its own schedule (clocks differ between tests).
  await database.pool.query('delete from schedules');
});

afterAll(async () => {
  await engine?.close();
  await redis?.cleanup();
  await database?.close();
});

function scheduler(options: Partial<SchedulerOptions> = {}): Scheduler {
  const made = new Scheduler({ store, engine, isLeader: () => true, log: silent, ...options });
  schedulers.push(made);
  return made;
}

/** A new queue and a schedule on it; every test has its own of both. */
async function scheduleOn(overrides: Partial<ScheduleFields> & Pick<ScheduleFields, 'cron' | 'nextTickAt'>): Promise<StoredSchedule> {
  queueNumber += 1;
  const queue = `ticks-${queueNumber}`;
  await engine.defineQueue(queueDefinition({ name: queue }));
  const created = await store.create({
    name: `schedule-${queueNumber}`,
    queue,
    timeZone: 'UTC',
    task: { type: 'tick', payload: { kept: 'as given' }, priority: 8 },
    missedTickPolicy: 'skip',
    enabled: true,
    ...overrides,
  });
  return created!;
}

/** Every task the queue holds, oldest tick first (claimed, so a queue is read once). */
async function drain(queue: string): Promise<ClaimedTask[]> {
  const { tasks } = await engine.claim(queue, { workerId: 'test', max: 10_000, leaseMs: 60_000 });
  return tasks.sort((a, b) => (a.idempotencyKey ?? '').localeCompare(b.idempotencyKey ?? ''));
}

const tickOf = (task: ClaimedTask, id: string) => Date.parse(task.idempotencyKey!.slice(`schedule:${id}:`.length));

async function queued(queue: string): Promise<number> {
  return (await engine.counts(queue)).queued;
}

describe('Scheduler', () => {
  it('enqueues one task per tick of a per-second schedule, keyed by the tick, payload as given', async () => {
    const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
    const schedule = await scheduleOn({ cron: '* * * * * *', nextTickAt: everySecond.nextAfter(Date.now()) });
    scheduler().start();
    await until(async () => (await queued(schedule.queue)) >= 2, { message: 'two ticks' });
    await Promise.all(schedulers.splice(0).map((running) => running.close()));

    const tasks = await drain(schedule.queue);
    const ticks = tasks.map((task) => tickOf(task, schedule.id));
    expect(new Set(tasks.map((task) => task.id)).size).toBe(tasks.length);
    expect(new Set(tasks.map((task) => task.idempotencyKey)).size).toBe(tasks.length);
    for (const [index, task] of tasks.entries()) {
      expect(task.idempotencyKey).toBe(scheduleTickKey(schedule.id, ticks[index]!));
      expect(task).toMatchObject({ type: 'tick', payload: { kept: 'as given' }, priority: 8 });
      if (index > 0) expect(ticks[index]! - ticks[index - 1]!).toBe(1000);
    }
    expect(ticks[0]).toBe(schedule.nextTickAt);
    const stored = (await store.get(schedule.id))!;
    expect(stored.lastTickAt).toBe(ticks.at(-1));
    expect(stored.nextTickAt).toBe(ticks.at(-1)! + 1000);
  });

  it('two schedulers that both believe they lead still make exactly one task per tick', async () => {
    const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
    const schedule = await scheduleOn({ cron: '* * * * * *', nextTickAt: everySecond.nextAfter(Date.now()) });
    // The second is a separate agent: its own Postgres pool, Redis connection and engine.
    const otherPool = new pg.Pool({ connectionString: database.url, max: 2 });
    const otherRedis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    const otherEngine = new RedisEngine({ redis: otherRedis, prefix: redis.prefix });
    try {
      scheduler().start();
      scheduler({ store: new ScheduleStore(otherPool), engine: otherEngine }).start();
      await until(async () => (await queued(schedule.queue)) >= 3, { message: 'three ticks' });
      await Promise.all(schedulers.splice(0).map((running) => running.close()));
    } finally {
      await otherEngine.close();
      otherRedis.disconnect();
      await otherPool.end();
    }

    const tasks = await drain(schedule.queue);
    const ticks = tasks.map((task) => tickOf(task, schedule.id));
    expect(new Set(tasks.map((task) => task.idempotencyKey)).size).toBe(tasks.length);
    // Every tick from the first to the last, each once.
    expect(ticks).toEqual(Array.from({ length: tasks.length }, (_, index) => ticks[0]! + index * 1000));
  });

  it('a leader that read a tick, then lost the race to another, makes no second task and does not move the schedule', async () => {
    const now = Date.UTC(2031, 0, 1, 0, 0, 0, 200);
    const schedule = await scheduleOn({ cron: '* * * * * *', nextTickAt: now - 200 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stalled!: () => void;
    const reachedAdvance = new Promise<void>((resolve) => (stalled = resolve));
    /** The old leader: it pauses between its enqueue and its conditional update. */
    class StallingStore extends ScheduleStore {
      override async advance(from: TickPosition, to: Pick<StoredSchedule, 'lastTickAt' | 'nextTickAt'>): Promise<boolean> {
        stalled();
        await gate;
        return super.advance(from, to);
      }
    }
    const oldLeader = scheduler({ store: new StallingStore(database.pool), now: () => now });
    const newLeader = scheduler({ now: () => now });

    const oldRound = oldLeader.runOnce();
    await reachedAdvance;
    const newRound = await newLeader.runOnce();
    release();
    const oldOutcome = await oldRound;

    expect(oldOutcome).toMatchObject({ enqueued: 1, lost: 1 });
    expect(newRound).toMatchObject({ enqueued: 0, deduplicated: 1, lost: 0 });
    const tasks = await drain(schedule.queue);
    expect(tasks.map((task) => task.idempotencyKey)).toEqual([scheduleTickKey(schedule.id, now - 200)]);
    expect(await store.get(schedule.id)).toMatchObject({ lastTickAt: now - 200, nextTickAt: now + 800 });
  });

  describe('missed ticks (the agent was down across ten ticks)', () => {
    /** 30 seconds past a minute, so the last tick is 30 s old: beyond the grace, missed too. */
    const now = Date.UTC(2031, 5, 1, 12, 0, 30);
    const minuteBefore = (count: number) => Date.UTC(2031, 5, 1, 12, 0) - count * 60_000;

    it('skip: enqueues nothing for them and moves to the next tick to come', async () => {
      const schedule = await scheduleOn({ cron: '* * * * *', missedTickPolicy: 'skip', nextTickAt: minuteBefore(10) });
      await database.pool.query('update schedules set last_tick_at = $2 where id = $1', [schedule.id, new Date(minuteBefore(11))]);
      const running = scheduler({ now: () => now, misfireGraceMs: 1000, pollMs: 20 });
      running.start();
      await until(async () => (await store.get(schedule.id))?.nextTickAt === minuteBefore(-1), { message: 'the schedule to move on' });
      expect(await running.runOnce()).toMatchObject({ enqueued: 0 });

      expect(await queued(schedule.queue)).toBe(0);
      expect(await store.get(schedule.id)).toMatchObject({ lastTickAt: minuteBefore(11), nextTickAt: minuteBefore(-1) });
    });

    it('run-once: enqueues exactly one task for all of them, then goes on', async () => {
      const schedule = await scheduleOn({ cron: '* * * * *', missedTickPolicy: 'run-once', nextTickAt: minuteBefore(10) });
      await database.pool.query('update schedules set last_tick_at = $2 where id = $1', [schedule.id, new Date(minuteBefore(11))]);
      const running = scheduler({ now: () => now, misfireGraceMs: 1000, pollMs: 20 });
      running.start();
      await until(async () => (await store.get(schedule.id))?.nextTickAt === minuteBefore(-1), { message: 'the schedule to move on' });
      expect(await running.runOnce()).toMatchObject({ enqueued: 0, deduplicated: 0 });

      const tasks = await drain(schedule.queue);
      expect(tasks.map((task) => task.idempotencyKey)).toEqual([scheduleTickKey(schedule.id, minuteBefore(10))]);
      expect(await store.get(schedule.id)).toMatchObject({ lastTickAt: minuteBefore(10), nextTickAt: minuteBefore(-1) });
    });
  });

  it('a tick whose queue is gone is logged and dropped; the schedule stays and moves on', async () => {
    const now = Date.UTC(2031, 0, 1, 0, 0, 0, 500);
    const lines: Array<{ msg: string; schedule?: string }> = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) });
    const schedule = await scheduleOn({ cron: '* * * * * *', nextTickAt: now - 500 });
    await engine.deleteQueue(schedule.queue);

    const outcome = await scheduler({ now: () => now, log }).runOnce();

    expect(outcome).toMatchObject({ enqueued: 0, failed: 0 });
    expect(lines).toEqual([expect.objectContaining({ msg: 'schedule ticks refused by the queue; dropped', schedule: schedule.name })]);
    expect(await store.get(schedule.id)).toMatchObject({ enabled: true, lastTickAt: null, nextTickAt: now + 500 });
  });

  it('does nothing while it is not the leader', async () => {
    const now = Date.UTC(2031, 0, 1, 0, 0, 0, 500);
    const schedule = await scheduleOn({ cron: '* * * * * *', nextTickAt: now - 500 });
    let asked = 0;
    scheduler({ now: () => now, pollMs: 10, isLeader: () => (asked += 1) < 0 }).start();
    await until(() => asked >= 3, { message: 'three rounds' });
    expect(await queued(schedule.queue)).toBe(0);
    expect((await store.get(schedule.id))?.nextTickAt).toBe(now - 500);
  });
});
