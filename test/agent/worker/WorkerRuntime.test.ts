import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueDefinition } from '../../../shared/queue.js';
import type { TaskInput } from '../../../shared/task.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import type { Handler, TaskContext } from '../../../agent/worker/Handler.js';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';
import { PermanentError } from '../../../agent/worker/PermanentError.js';
import { RedisWorkerRegistry } from '../../../agent/worker/RedisWorkerRegistry.js';
import { WorkerRuntime, type WorkerRuntimeOptions } from '../../../agent/worker/WorkerRuntime.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;
let engine: RedisEngine;
let queueCount = 0;
const open: WorkerRuntime[] = [];
const gates: Gate[] = [];
const log = pino({ level: 'silent' });

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await isolatedRedis());
  engine = new RedisEngine({ redis, prefix });
});

afterEach(async () => {
  for (const gate of gates.splice(0)) gate.open();
  await Promise.all(open.splice(0).map((runtime) => runtime.close({ drainMs: 0 })));
});

afterAll(async () => {
  await engine.close();
  await cleanup();
});

/** A promise that handlers wait on until the test opens it. */
interface Gate {
  wait: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  const made = { wait, open };
  gates.push(made);
  return made;
}

/** A new queue for one test. */
async function newQueue(): Promise<string> {
  queueCount += 1;
  const name = `q${queueCount}`;
  await engine.defineQueue(queueDefinition({ name }));
  return name;
}

async function startRuntime(
  queue: string,
  handlers: Record<string, Handler>,
  options: Partial<WorkerRuntimeOptions> & { concurrency?: number } = {},
): Promise<WorkerRuntime> {
  const { concurrency = 4, ...rest } = options;
  const runtime = new WorkerRuntime({
    engine,
    queues: [{ name: queue, concurrency }],
    handlers: new HandlerRegistry().registerAll(handlers),
    log,
    ...rest,
  });
  open.push(runtime);
  await runtime.start();
  return runtime;
}

async function enqueue(queue: string, count: number, task: TaskInput): Promise<string[]> {
  const tasks = Array.from({ length: count }, (_, index) => ({ ...task, payload: task.payload ?? { n: index } }));
  return (await engine.enqueueBulk(queue, tasks)).map((enqueued) => enqueued.id);
}

async function succeeded(queue: string): Promise<number> {
  return (await engine.counts(queue)).succeeded;
}

/** Waits for an abort of the attempt's signal and fails with its reason. */
function untilAborted(signal: AbortSignal, reasons: unknown[]): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => {
      reasons.push(signal.reason);
      reject(signal.reason as Error);
    });
  });
}

describe('WorkerRuntime', () => {
  it('runs tasks and records their results', async () => {
    const queue = await newQueue();
    const ids = await enqueue(queue, 50, { type: 'double' });
    const runtime = await startRuntime(queue, { double: async ({ payload }) => (payload as { n: number }).n * 2 });

    await until(async () => (await succeeded(queue)) === 50, { message: '50 succeeded' });
    const task = await engine.getTask(queue, ids[7]!);
    expect(task).toMatchObject({ state: 'succeeded', result: 14, attempts: 1 });
    expect(runtime.stats()).toMatchObject({ processed: 50, succeeded: 50, failed: 0 });
  });

  it('acknowledges outcomes in batches, in the same round trips as the next claims', async () => {
    const queue = await newQueue();
    const calls = { settleAndClaim: 0, acknowledge: 0, outcomes: 0 };
    const counted = new Proxy(engine, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property === 'settleAndClaim' || property === 'acknowledge') {
          return (name: string, outcomes: readonly unknown[], ...rest: unknown[]) => {
            calls[property] += 1;
            calls.outcomes += outcomes.length;
            return (value as (...args: unknown[]) => unknown).call(target, name, outcomes, ...rest);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await enqueue(queue, 400, { type: 'noop' });
    await startRuntime(queue, { noop: async () => undefined }, { engine: counted, concurrency: 50 });

    await until(async () => (await succeeded(queue)) === 400, { message: '400 succeeded' });
    expect(calls.outcomes).toBe(400);
    expect(calls.acknowledge).toBe(0);
    expect(calls.settleAndClaim).toBeLessThan(400 / 5);
  });

  it('gives the handler its context', async () => {
    const queue = await newQueue();
    const contexts: TaskContext[] = [];
    const [keyed] = await engine.enqueueBulk(queue, [
      { type: 'look', payload: { a: 1 }, idempotencyKey: 'order-17', traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    ]);
    const [plain] = await engine.enqueueBulk(queue, [{ type: 'look', maxAttempts: 5 }]);
    await startRuntime(queue, {
      look: async (context) => {
        contexts.push(context);
        context.log('looked');
      },
    });

    await until(() => contexts.length === 2, { message: 'two attempts' });
    const byId = new Map(contexts.map((context) => [context.id, context]));
    expect(byId.get(keyed!.id)).toMatchObject({
      queue,
      type: 'look',
      payload: { a: 1 },
      attempt: 1,
      maxAttempts: 3,
      idempotencyKey: 'order-17',
      traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(byId.get(plain!.id)).toMatchObject({ idempotencyKey: plain!.id, maxAttempts: 5, traceParent: null });
    expect(byId.get(plain!.id)?.signal.aborted).toBe(false);
  });

  it('retries a failing task after its backoff and makes it dead after maxAttempts', async () => {
    const queue = await newQueue();
    const startedAt: number[] = [];
    const [id] = await enqueue(queue, 1, { type: 'flaky', maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 150, jitter: 0 } });
    // No fallback poll within the test's deadline: the retries must come from `nextDueAt`.
    await startRuntime(
      queue,
      {
        flaky: async () => {
          startedAt.push(Date.now());
          throw new Error(`boom ${startedAt.length}`);
        },
      },
      { idlePollMs: 60_000 },
    );

    const task = await until(async () => {
      const current = await engine.getTask(queue, id!);
      return current?.state === 'dead' ? current : undefined;
    }, { message: 'dead task' });
    expect(task.attempts).toBe(3);
    expect(task.error?.message).toBe('boom 3');
    expect(startedAt).toHaveLength(3);
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(140);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(140);
  });

  it('makes a task dead at once on PermanentError', async () => {
    const queue = await newQueue();
    const [id] = await enqueue(queue, 1, { type: 'refuse', maxAttempts: 5 });
    const runtime = await startRuntime(queue, {
      refuse: async () => {
        throw new PermanentError('no such customer', { code: 'unknown_customer' });
      },
    });

    const task = await until(async () => {
      const current = await engine.getTask(queue, id!);
      return current?.state === 'dead' ? current : undefined;
    }, { message: 'dead task' });
    expect(task.attempts).toBe(1);
    expect(task.error).toMatchObject({ message: 'no such customer', code: 'unknown_customer' });
    expect(runtime.stats()).toMatchObject({ failed: 1, succeeded: 0 });
  });

  it('fails a task whose type has no handler, without crashing', async () => {
    const queue = await newQueue();
    const [unknown] = await enqueue(queue, 1, { type: 'nobody.handles.this', maxAttempts: 1 });
    const [known] = await enqueue(queue, 1, { type: 'fine' });
    await startRuntime(queue, { fine: async () => 'ok' });

    const task = await until(async () => {
      const current = await engine.getTask(queue, unknown!);
      return current?.state === 'dead' ? current : undefined;
    }, { message: 'dead task' });
    expect(task.error?.message).toContain('no handler for task type "nobody.handles.this"');
    await until(async () => (await engine.getTask(queue, known!))?.state === 'succeeded', { message: 'known type succeeded' });
  });

  it('aborts the signal at the timeout and fails the attempt', async () => {
    const queue = await newQueue();
    const reasons: unknown[] = [];
    const [id] = await enqueue(queue, 1, { type: 'slow', timeoutMs: 100, maxAttempts: 1 });
    await startRuntime(queue, { slow: ({ signal }) => untilAborted(signal, reasons) });

    const task = await until(async () => {
      const current = await engine.getTask(queue, id!);
      return current?.state === 'dead' ? current : undefined;
    }, { message: 'dead task' });
    expect(task.error).toMatchObject({ message: 'timed out after 100 ms', code: 'timeout' });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ name: 'TimeoutError', message: 'timed out after 100 ms' });
  });

  it('never runs more handlers of a queue at once than its concurrency', async () => {
    const queue = await newQueue();
    let running = 0;
    let most = 0;
    await enqueue(queue, 40, { type: 'work' });
    const runtime = await startRuntime(
      queue,
      {
        work: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 5)); // stands for the handler's own I/O
          running -= 1;
        },
      },
      { concurrency: 3, prefetch: 5 },
    );

    await until(async () => (await succeeded(queue)) === 40, { message: '40 succeeded' });
    expect(most).toBe(3);
    expect(runtime.stats().queues[queue]).toMatchObject({ concurrency: 3, slotsInUse: 0, buffered: 0 });
  });

  it('wakes an idle worker on enqueue, without waiting for its poll', async () => {
    const queue = await newQueue();
    const runtime = await startRuntime(queue, { ping: async () => 'pong' }, { idlePollMs: 60_000 });
    await until(() => runtime.stats().queues[queue]?.idle, { message: 'idle worker' });

    await enqueue(queue, 1, { type: 'ping' });
    await until(async () => (await succeeded(queue)) === 1, { message: 'woken worker ran the task' });
  });

  it('sleeps until the next scheduled task is due, without waiting for its poll', async () => {
    const queue = await newQueue();
    const runAt = Date.now() + 300;
    const [id] = await enqueue(queue, 1, { type: 'later', runAt });
    // The first claim finds nothing due and learns `nextDueAt`; the poll is far beyond the deadline.
    await startRuntime(queue, { later: async () => Date.now() }, { idlePollMs: 60_000 });
    const task = await until(async () => {
      const current = await engine.getTask(queue, id!);
      return current?.state === 'succeeded' ? current : undefined;
    }, { message: 'scheduled task ran' });
    expect(task.result as number).toBeGreaterThanOrEqual(runAt - 5);
  });

  it('drains on close: finishes running tasks and releases buffered ones to another worker at once', async () => {
    const queue = await newQueue();
    const ranBy = new Map<string, string>();
    const held = gate();
    const ids = await enqueue(queue, 10, { type: 'job' });
    const first = await startRuntime(
      queue,
      {
        job: async ({ id }) => {
          ranBy.set(id, 'first');
          await held.wait;
        },
      },
      { concurrency: 2, prefetch: 8 },
    );
    await until(() => ranBy.size === 2 && first.stats().queues[queue]?.buffered === 8, { message: '2 running, 8 buffered' });
    const second = await startRuntime(queue, { job: async ({ id }) => void ranBy.set(id, 'second') }, { idlePollMs: 60_000 });
    await until(() => second.stats().queues[queue]?.idle, { message: 'idle second worker' });

    const closing = first.close({ drainMs: 10_000 });
    await until(() => ranBy.size === 10, { message: 'the second worker ran the released tasks' });
    expect([...ranBy.values()].filter((by) => by === 'second')).toHaveLength(8);
    expect(first.stats().queues[queue]?.slotsInUse).toBe(2);

    held.open();
    await closing;
    expect(await succeeded(queue)).toBe(10);
    const tasks = await Promise.all(ids.map((id) => engine.getTask(queue, id)));
    expect(tasks.map((task) => task?.state)).toEqual(Array(10).fill('succeeded'));
    expect(tasks.filter((task) => ranBy.get(task!.id) === 'first').map((task) => task?.attempts)).toEqual([1, 1]);
  });

  it('aborts and releases tasks still running at the drain deadline', async () => {
    const queue = await newQueue();
    const reasons: unknown[] = [];
    const [id] = await enqueue(queue, 1, { type: 'stuck', maxAttempts: 1 });
    let started = false;
    const first = await startRuntime(queue, {
      stuck: ({ signal }) => {
        started = true;
        return untilAborted(signal, reasons);
      },
    });
    await until(() => started, { message: 'started' });

    await first.close({ drainMs: 50 });
    expect(reasons[0]).toMatchObject({ name: 'ShutdownError' });
    expect((await engine.getTask(queue, id!))?.state).toBe('queued');

    await startRuntime(queue, { stuck: async () => 'done this time' });
    const task = await until(async () => {
      const current = await engine.getTask(queue, id!);
      return current?.state === 'succeeded' ? current : undefined;
    }, { message: 'second worker ran it' });
    expect(task.result).toBe('done this time');
  });

  it('aborts the signal of a task whose lease is lost', async () => {
    const queue = await newQueue();
    const reasons: unknown[] = [];
    const [id] = await enqueue(queue, 1, { type: 'long' });
    let started = false;
    await startRuntime(
      queue,
      {
        long: ({ signal }) => {
          started = true;
          return untilAborted(signal, reasons);
        },
      },
      { leaseMs: 300 },
    );
    await until(() => started, { message: 'started' });

    expect(await engine.cancel(queue, id!)).toBe(true);
    await until(() => reasons.length === 1, { message: 'aborted signal' });
    expect(reasons[0]).toMatchObject({ name: 'LeaseLostError' });
    expect((await engine.getTask(queue, id!))?.state).toBe('cancelled');
  });

  it('keeps leases of long tasks alive with heartbeats', async () => {
    const queue = await newQueue();
    const held = gate();
    let runs = 0;
    const [id] = await enqueue(queue, 1, { type: 'long' });
    const runtime = await startRuntime(
      queue,
      {
        long: async () => {
          runs += 1;
          await held.wait;
        },
      },
      { leaseMs: 300 },
    );
    await until(() => runs === 1, { message: 'started' });
    // Several lease lengths pass; recovery must find nothing expired, and the lease stays ours.
    const untilLater = Date.now() + 1_000;
    await until(async () => {
      expect(await engine.recoverExpiredLeases(queue, 10)).toBe(0);
      return Date.now() > untilLater;
    }, { message: 'a second of heartbeats' });
    held.open();
    await until(async () => (await engine.getTask(queue, id!))?.state === 'succeeded', { message: 'succeeded' });
    expect(runs).toBe(1);
    expect(runtime.stats().succeeded).toBe(1);
  });

  it('takes on a queue added after start, and announces it', async () => {
    const first = await newQueue();
    const second = await newQueue();
    const registry = new RedisWorkerRegistry({ redis, prefix });
    const runtime = await startRuntime(first, { job: async () => 'ok' }, { concurrency: 2, registry });

    await runtime.addQueue({ name: second, concurrency: 3 });
    await enqueue(second, 5, { type: 'job' });
    await until(async () => (await succeeded(second)) === 5, { message: 'tasks of the added queue succeeded' });
    const listed = (await registry.list()).find((worker) => worker.id === runtime.workerId);
    expect(listed).toMatchObject({ queues: [first, second], slots: 5 });
    await expect(runtime.addQueue({ name: second, concurrency: 1 })).rejects.toThrow(/listed twice/);
  });

  it('shows up in the worker registry with its slots and heartbeat, and leaves it on close', async () => {
    const queue = await newQueue();
    const registry = new RedisWorkerRegistry({ redis, prefix });
    const held = gate();
    await enqueue(queue, 2, { type: 'job' });
    const runtime = await startRuntime(queue, { job: () => held.wait }, { concurrency: 4, registry, heartbeatMs: 50 });

    const listed = await until(async () => {
      const worker = (await registry.list()).find((candidate) => candidate.id === runtime.workerId);
      return worker && worker.slotsInUse === 2 ? worker : undefined;
    }, { message: 'registered worker with 2 slots in use' });
    expect(listed).toMatchObject({ kind: 'agent', slots: 4, queues: [queue], pid: process.pid });
    expect(listed.lastHeartbeatAt).toBeGreaterThanOrEqual(listed.startedAt);

    held.open();
    await runtime.close({ drainMs: 5_000 });
    expect((await registry.list()).map((worker) => worker.id)).not.toContain(runtime.workerId);
  });
});
