import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultRetention, queueDefinition, type RetentionPolicy } from '../../../shared/queue.js';
import type { TaskInput } from '../../../shared/task.js';
import type { Outcome } from '../../../agent/engine/Engine.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { Archiver } from '../../../agent/records/Archiver.js';
import { insertHistory } from '../../../agent/records/insertHistory.js';
import { migrate } from '../../../agent/records/migrate.js';
import { scratchDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

const log = pino({ level: 'silent' });

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;
let redis: Awaited<ReturnType<typeof isolatedRedis>>;
let engine: RedisEngine;
const archivers: Archiver[] = [];

beforeAll(async () => {
  database = await scratchDatabase();
  pool = new pg.Pool({ connectionString: database.url });
  await migrate(pool, { log });
  redis = await isolatedRedis();
  engine = new RedisEngine({ redis: redis.redis, prefix: redis.prefix });
});

afterEach(async () => {
  await Promise.all(archivers.splice(0).map((archiver) => archiver.close()));
  for (const queue of await engine.listQueues()) await engine.deleteQueue(queue.name);
});

afterAll(async () => {
  await engine?.close();
  await redis?.cleanup();
  await pool?.end();
  await database?.drop();
});

function archiver(options: Partial<ConstructorParameters<typeof Archiver>[0]> = {}): Archiver {
  const made = new Archiver({ pool, engine, isLeader: () => true, log, ...options });
  archivers.push(made);
  return made;
}

interface Plan {
  succeed?: number;
  fail?: number;
  cancel?: number;
}

/**
 * Defines the queue and brings tasks to an end through the engine the way a worker would:
 * `succeed` tasks succeed, `fail` tasks (one attempt allowed) fail and go dead, `cancel` are
 * cancelled while queued. Payloads say what each was meant for.
 */
async function finishTasks(queue: string, { succeed = 0, fail = 0, cancel = 0 }: Plan, retention?: Partial<RetentionPolicy>) {
  await engine.defineQueue(queueDefinition({ name: queue, retention: { ...defaultRetention, ...retention } }));
  const inputs: TaskInput[] = [
    ...Array.from({ length: succeed }, (_, n) => ({ type: 'report.render', payload: { plan: 'succeed', n }, traceParent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })),
    ...Array.from({ length: fail }, (_, n) => ({ type: 'report.render', payload: { plan: 'fail', n }, maxAttempts: 1 })),
  ];
  const enqueued = await engine.enqueueBulk(queue, inputs);
  const cancelled = await engine.enqueueBulk(queue, Array.from({ length: cancel }, (_, n) => ({ type: 'report.render', payload: { plan: 'cancel', n } })));
  for (const { id } of cancelled) expect(await engine.cancel(queue, id)).toBe(true);

  const outcomes: Outcome[] = [];
  while (outcomes.length < enqueued.length) {
    const { tasks } = await engine.claim(queue, { workerId: 'worker-1', max: 100, leaseMs: 60_000 });
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      const { plan, n } = task.payload as { plan: string; n: number };
      outcomes.push(
        plan === 'succeed'
          ? { id: task.id, token: task.token, status: 'succeeded', result: { rendered: n } }
          : { id: task.id, token: task.token, status: 'failed', error: { message: `render ${n} failed`, code: 'E_RENDER' }, retryDelayMs: 0 },
      );
    }
  }
  const acknowledged = await engine.acknowledge(queue, outcomes);
  expect(acknowledged.map((ack) => ack.status).sort()).toEqual([...Array(fail).fill('dead'), ...Array(succeed).fill('succeeded')].sort());
  return { ids: [...enqueued, ...cancelled].map((task) => task.id) };
}

async function history(queue: string) {
  const { rows } = await pool.query(`select * from task_history where queue = $1 order by finished_at, id`, [queue]);
  return rows as Array<Record<string, unknown> & { id: string; state: string; payload: { plan: string; n: number } | null }>;
}

describe('Archiver', () => {
  it('moves succeeded, dead and cancelled tasks into history and out of the engine', async () => {
    const { ids } = await finishTasks('mixed', { succeed: 3, fail: 2, cancel: 1 });

    expect(await archiver().archiveOnce()).toBe(6);

    const rows = await history('mixed');
    expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    const byPlan = (plan: string) => rows.filter((row) => row.payload?.plan === plan);
    expect(byPlan('succeed').map((row) => row.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(byPlan('fail').map((row) => row.state)).toEqual(['dead', 'dead']);
    expect(byPlan('cancel').map((row) => row.state)).toEqual(['cancelled']);

    const succeeded = byPlan('succeed')[0]!;
    expect(succeeded).toMatchObject({
      type: 'report.render',
      priority: 5,
      result: { rendered: succeeded.payload!.n },
      error: null,
      attempts: 1,
      max_attempts: 3,
      trace_parent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      started_at: expect.any(Date),
      finished_at: expect.any(Date),
    });
    expect(succeeded.attempt_history).toEqual([expect.objectContaining({ attempt: 1, workerId: 'worker-1', outcome: 'succeeded', error: null })]);

    const dead = byPlan('fail')[0]!;
    const deadError = { message: `render ${dead.payload!.n} failed`, code: 'E_RENDER' };
    expect(dead).toMatchObject({ attempts: 1, max_attempts: 1, error: deadError, result: null });
    expect(dead.attempt_history).toEqual([expect.objectContaining({ attempt: 1, workerId: 'worker-1', outcome: 'failed', error: deadError })]);

    expect(byPlan('cancel')[0]).toMatchObject({ attempts: 0, started_at: null, attempt_history: [] });

    expect(await engine.takeFinished('mixed', 100)).toEqual([]);
  });

  it('archives nothing twice', async () => {
    await finishTasks('twice', { succeed: 2, fail: 1 });
    const once = archiver();

    expect(await once.archiveOnce()).toBe(3);
    expect(await once.archiveOnce()).toBe(0);
    expect(await history('twice')).toHaveLength(3);
  });

  it('finishes a batch that was inserted but not forgotten before a crash, without duplicates', async () => {
    await finishTasks('crashed', { succeed: 4 });
    const taken = await engine.takeFinished('crashed', 100);
    await insertHistory(pool, taken.slice(0, 2), 'all');

    expect(await archiver().archiveOnce()).toBe(4);

    const rows = await history('crashed');
    expect(rows.map((row) => row.id).sort()).toEqual(taken.map((task) => task.id).sort());
    expect(await engine.takeFinished('crashed', 100)).toEqual([]);
  });

  it('keeps taking batches while they come back full', async () => {
    await finishTasks('batched', { succeed: 5, fail: 2 });

    expect(await archiver({ batchSize: 2 }).archiveOnce()).toBe(7);
    expect(await history('batched')).toHaveLength(7);
    expect(await engine.takeFinished('batched', 100)).toEqual([]);
  });

  it('keeps payloads as each queue retention says', async () => {
    await finishTasks('keep-all', { succeed: 1, fail: 1, cancel: 1 });
    await finishTasks('keep-failed', { succeed: 1, fail: 1, cancel: 1 }, { payload: 'failed' });
    await finishTasks('keep-none', { succeed: 1, fail: 1, cancel: 1 }, { payload: 'none' });

    expect(await archiver().archiveOnce()).toBe(9);

    const kept = async (queue: string) =>
      Object.fromEntries((await history(queue)).map((row) => [row.state, row.payload !== null]));
    expect(await kept('keep-all')).toEqual({ succeeded: true, dead: true, cancelled: true });
    expect(await kept('keep-failed')).toEqual({ succeeded: false, dead: true, cancelled: true });
    expect(await kept('keep-none')).toEqual({ succeeded: false, dead: false, cancelled: false });
  });

  it('archives on its own timer only while it leads', async () => {
    await finishTasks('timed', { succeed: 2, cancel: 1 });
    let leader = false;
    let asked = 0;
    archiver({
      intervalMs: 10,
      isLeader: () => {
        asked += 1;
        return leader;
      },
    }).start();

    await until(() => asked >= 3, { message: 'the archiver to ask for leadership a few times' });
    expect(await history('timed')).toHaveLength(0);
    expect(await engine.takeFinished('timed', 100)).toHaveLength(3);

    leader = true;
    await until(async () => (await history('timed')).length === 3, { message: 'the leader to archive' });
    await until(async () => (await engine.takeFinished('timed', 100)).length === 0, { message: 'the engine to forget' });
  });

  it('prunes history to the queue retention as it archives', async () => {
    await finishTasks('pruned', { succeed: 5 }, { maxCount: 2 });
    archiver({ intervalMs: 10 }).start();

    await until(async () => (await engine.takeFinished('pruned', 100)).length === 0, { message: 'archiving' });
    await until(async () => (await history('pruned')).length === 2, { message: 'pruning to two rows' });
  });

  it('logs a failing tick and tries again next tick instead of throwing', async () => {
    await finishTasks('unreachable', { succeed: 2 });
    const lines: string[] = [];
    const capture = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const brokenPool = new pg.Pool({ connectionString: database.url, options: '-c search_path=no_such_schema' });
    const failing = archiver({ pool: brokenPool, intervalMs: 10, log: capture });
    failing.start();

    await until(() => lines.filter((line) => line.includes('archiving failed')).length >= 2, { message: 'two failed ticks logged' });
    await failing.close();
    await brokenPool.end();

    expect(JSON.parse(lines[0]!)).toMatchObject({ queue: 'unreachable', msg: 'archiving failed; retrying next tick' });
    expect(lines[0]).toMatch(/task_history/);
    expect(await engine.takeFinished('unreachable', 100)).toHaveLength(2);
  });
});
