import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Outcome } from '../../../agent/engine/Engine.js';
import { EngineError } from '../../../agent/engine/EngineError.js';
import { queueDefinition, type QueueDefinition } from '../../../shared/queue.js';
import type { TaskInput } from '../../../shared/task.js';
import { until } from '../../helpers/until.js';

/** What a contract run needs from the engine under test. */
export interface EngineUnderTest {
  engine: Engine;
  /** Releases everything the engine and its test set-up hold. */
  cleanup(): Promise<void>;
}

let queueNumber = 0;

/**
 * The contract every `Engine` keeps. Each engine's test file calls this with a factory; the same
 * tests run against Redis now and Postgres (real server and PGlite) later.
 */
export function engineContract(name: string, create: () => Promise<EngineUnderTest>): void {
  describe(`${name} engine contract`, () => {
    let underTest: EngineUnderTest;
    let engine: Engine;

    beforeAll(async () => {
      underTest = await create();
      engine = underTest.engine;
    });
    afterAll(async () => {
      await underTest.cleanup();
    });

    async function newQueue(settings: Partial<QueueDefinition> = {}): Promise<string> {
      queueNumber += 1;
      const queue = `contract-${queueNumber}`;
      await engine.defineQueue(queueDefinition({ name: queue, engine: engine.kind, ...settings }));
      return queue;
    }

    const worker = { workerId: 'worker-1', max: 100, leaseMs: 30_000 };

    async function claimAll(queue: string, max = 100) {
      return (await engine.claim(queue, { ...worker, max })).tasks;
    }

    function succeed(task: { id: string; token: number }, result?: unknown): Outcome {
      return { id: task.id, token: task.token, status: 'succeeded', result };
    }

    function fail(task: { id: string; token: number }, retryDelayMs = 0, retryable = true): Outcome {
      return { id: task.id, token: task.token, status: 'failed', error: { message: 'boom', stack: 'Error: boom\n    at handler' }, retryDelayMs, retryable };
    }

    async function expectEngineError(action: Promise<unknown>, code: string, field?: string): Promise<void> {
      const error = await action.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe(code);
      if (field !== undefined) expect((error as EngineError).field).toBe(field);
    }

    describe('queues', () => {
      it('defines, reads, lists, updates and deletes a queue', async () => {
        const queue = await newQueue({ concurrency: 4 });
        expect(await engine.getQueue(queue)).toMatchObject({ name: queue, concurrency: 4, engine: engine.kind });
        expect((await engine.listQueues()).map((definition) => definition.name)).toContain(queue);
        await engine.defineQueue(queueDefinition({ name: queue, engine: engine.kind, concurrency: 8 }));
        expect((await engine.getQueue(queue))?.concurrency).toBe(8);
        await engine.deleteQueue(queue);
        expect(await engine.getQueue(queue)).toBeUndefined();
        expect((await engine.listQueues()).map((definition) => definition.name)).not.toContain(queue);
      });

      it('refuses a definition with a bad field, naming it', async () => {
        await expectEngineError(engine.defineQueue(queueDefinition({ name: 'bad name!' })), 'invalid_input', 'name');
        await expectEngineError(engine.defineQueue(queueDefinition({ name: 'ok', concurrency: 0 })), 'invalid_input', 'concurrency');
        await expectEngineError(
          engine.defineQueue(queueDefinition({ name: 'ok', rateLimit: { max: 5, intervalMs: -1 } })),
          'invalid_input',
          'rateLimit.intervalMs',
        );
        expect(await engine.getQueue('ok')).toBeUndefined();
      });

      it('starts with zero counts', async () => {
        const queue = await newQueue();
        expect(await engine.counts(queue)).toEqual({ scheduled: 0, queued: 0, active: 0, failed: 0, succeeded: 0, dead: 0, cancelled: 0 });
      });
    });

    describe('enqueue', () => {
      it('enqueues one task and reads it back', async () => {
        const queue = await newQueue();
        const { id, deduplicated } = await engine.enqueue(queue, { type: 'email.send', payload: { to: 'a@example.com' }, priority: 7, maxAttempts: 4, timeoutMs: 5_000 });
        expect(deduplicated).toBe(false);
        const task = await engine.getTask(queue, id);
        expect(task).toMatchObject({ id, queue, type: 'email.send', payload: { to: 'a@example.com' }, state: 'queued', priority: 7, attempts: 0, maxAttempts: 4, timeoutMs: 5_000, history: [] });
        expect((await engine.counts(queue)).queued).toBe(1);
      });

      it('enqueues in bulk, every task with its own id', async () => {
        const queue = await newQueue();
        const tasks: TaskInput[] = Array.from({ length: 1_000 }, (_, index) => ({ type: 'noop', payload: { index } }));
        const enqueued = await engine.enqueueBulk(queue, tasks);
        expect(new Set(enqueued.map((task) => task.id)).size).toBe(1_000);
        expect((await engine.counts(queue)).queued).toBe(1_000);
      });

      it('runs higher priorities first, and first come first served within a priority', async () => {
        const queue = await newQueue();
        const low = await engine.enqueue(queue, { type: 't', priority: 1 });
        const firstNormal = await engine.enqueue(queue, { type: 't' });
        const secondNormal = await engine.enqueue(queue, { type: 't' });
        const high = await engine.enqueue(queue, { type: 't', priority: 9 });
        const claimed = await claimAll(queue);
        expect(claimed.map((task) => task.id)).toEqual([high.id, firstNormal.id, secondNormal.id, low.id]);
      });

      it('holds a delayed task until its time, then hands it out', async () => {
        const queue = await newQueue();
        // Long enough that the first claim comes before it on a loaded machine.
        const { id } = await engine.enqueue(queue, { type: 't', delayMs: 1_500 });
        expect((await engine.getTask(queue, id))?.state).toBe('scheduled');
        const first = await engine.claim(queue, worker);
        expect(first.tasks).toEqual([]);
        expect(first.nextDueAt).toBeGreaterThan(Date.now() - 1_000);
        const claimed = await until(async () => (await claimAll(queue))[0], { message: 'the delayed task to become claimable' });
        expect(claimed.id).toBe(id);
      });

      it('queues at once a task whose run-at has passed', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', runAt: Date.now() - 60_000 });
        expect((await engine.getTask(queue, id))?.state).toBe('queued');
      });

      it('deduplicates enqueues with the same idempotency key, also within one batch', async () => {
        const queue = await newQueue();
        const first = await engine.enqueue(queue, { type: 't', idempotencyKey: 'order-42' });
        const second = await engine.enqueue(queue, { type: 't', idempotencyKey: 'order-42' });
        expect(second).toEqual({ id: first.id, deduplicated: true });
        const batch = await engine.enqueueBulk(queue, [
          { type: 't', idempotencyKey: 'order-43' },
          { type: 't', idempotencyKey: 'order-43' },
        ]);
        expect(batch[1]).toEqual({ id: batch[0]!.id, deduplicated: true });
        expect((await engine.counts(queue)).queued).toBe(2);
      });

      it('deduplicates only within the queue window', async () => {
        const queue = await newQueue({ deduplicationWindowMs: 100 });
        const first = await engine.enqueue(queue, { type: 't', idempotencyKey: 'k' });
        const later = await until(
          async () => {
            const again = await engine.enqueue(queue, { type: 't', idempotencyKey: 'k' });
            return again.deduplicated ? undefined : again;
          },
          { message: 'the deduplication window to pass', intervalMs: 50 },
        );
        expect(later.id).not.toBe(first.id);
      });
    });

    describe('the queue’s default retry policy', () => {
      it('gives tasks what their enqueue does not say; a task’s own settings win', async () => {
        const queue = await newQueue({ retry: { maxAttempts: 7, timeoutMs: 1_500, backoff: { kind: 'fixed', delayMs: 25, maxDelayMs: 25, jitter: 0 } } });
        const plain = await engine.enqueue(queue, { type: 't' });
        const own = await engine.enqueue(queue, { type: 't', maxAttempts: 2, timeoutMs: 9_000, backoff: { delayMs: 50 } });
        expect(await engine.getTask(queue, plain.id)).toMatchObject({ maxAttempts: 7, timeoutMs: 1_500, backoff: { kind: 'fixed', delayMs: 25, maxDelayMs: 25, jitter: 0 } });
        expect(await engine.getTask(queue, own.id)).toMatchObject({ maxAttempts: 2, timeoutMs: 9_000, backoff: { kind: 'fixed', delayMs: 50, maxDelayMs: 25, jitter: 0 } });
        const claimed = await claimAll(queue);
        expect(claimed.find((task) => task.id === plain.id)).toMatchObject({ maxAttempts: 7, timeoutMs: 1_500, backoff: { kind: 'fixed', delayMs: 25 } });
      });

      it('refuses a bad retry policy, naming the field', async () => {
        await expectEngineError(
          engine.defineQueue(queueDefinition({ name: 'bad-retry', engine: engine.kind, retry: { maxAttempts: 0 } })),
          'invalid_input',
          'retry.maxAttempts',
        );
        await expectEngineError(
          engine.defineQueue(queueDefinition({ name: 'bad-retry', engine: engine.kind, retry: { backoff: { jitter: 3 } } })),
          'invalid_input',
          'retry.backoff.jitter',
        );
      });
    });

    describe('bad input changes nothing', () => {
      it('refuses an unknown queue', async () => {
        await expectEngineError(engine.enqueue('no-such-queue', { type: 't' }), 'unknown_queue', 'queue');
        await expectEngineError(engine.counts('no-such-queue'), 'unknown_queue');
        await expectEngineError(engine.pause('no-such-queue'), 'unknown_queue');
      });

      it('refuses an oversized payload', async () => {
        const queue = await newQueue({ maxPayloadBytes: 1_024 });
        await expectEngineError(engine.enqueue(queue, { type: 't', payload: 'x'.repeat(2_000) }), 'payload_too_large', 'tasks[0].payload');
        expect((await engine.counts(queue)).queued).toBe(0);
      });

      it('refuses the default 1 MiB payload limit plus one byte', async () => {
        const queue = await newQueue();
        const exactly = 'x'.repeat(1024 * 1024 - 2);
        await engine.enqueue(queue, { type: 't', payload: exactly });
        await expectEngineError(engine.enqueue(queue, { type: 't', payload: `${exactly}x` }), 'payload_too_large');
        expect((await engine.counts(queue)).queued).toBe(1);
      });

      it.each([
        [{ type: 't', priority: 10 }, 'tasks[0].priority'],
        [{ type: 't', priority: 2.5 }, 'tasks[0].priority'],
        [{ type: 't', delayMs: -5 }, 'tasks[0].delayMs'],
        [{ type: '' }, 'tasks[0].type'],
        [{ type: 't', maxAttempts: 0 }, 'tasks[0].maxAttempts'],
        [{ type: 't', timeoutMs: -1 }, 'tasks[0].timeoutMs'],
        [{ type: 't', runAt: 1, delayMs: 1 }, 'tasks[0].runAt'],
        [{ type: 't', traceParent: 'nonsense' }, 'tasks[0].traceParent'],
        [{ type: 't', backoff: { jitter: 2 } }, 'tasks[0].backoff.jitter'],
        [{ type: 'a\u0000b' }, 'tasks[0].type'],
        [{ type: 't', idempotencyKey: '\ud800' }, 'tasks[0].idempotencyKey'],
        [{ type: 't', payload: { note: 'nul \u0000 inside' } }, 'tasks[0].payload'],
        [{ type: 't', payload: ['half a pair \udc00'] }, 'tasks[0].payload'],
      ])('refuses %j naming %s', async (input, field) => {
        const queue = await newQueue();
        await expectEngineError(engine.enqueue(queue, input as TaskInput), 'invalid_input', field);
        expect((await engine.counts(queue)).queued).toBe(0);
      });

      it('takes text that merely looks like an escape, and whole surrogate pairs', async () => {
        const queue = await newQueue();
        const payload = { literal: '\\u0000 is six characters here', emoji: '🚂', escaped: '\\\\ud800' };
        const { id } = await engine.enqueue(queue, { type: 't', payload });
        expect((await engine.getTask(queue, id))?.payload).toEqual(payload);
      });

      it('refuses a payload that is not JSON', async () => {
        const queue = await newQueue();
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await expectEngineError(engine.enqueue(queue, { type: 't', payload: cyclic }), 'invalid_input', 'tasks[0].payload');
        await expectEngineError(engine.enqueue(queue, { type: 't', payload: { big: 10n } }), 'invalid_input', 'tasks[0].payload');
        await expectEngineError(engine.enqueue(queue, { type: 't', payload: () => 1 }), 'invalid_input', 'tasks[0].payload');
        expect((await engine.counts(queue)).queued).toBe(0);
      });

      it('refuses a whole batch when one task is bad, naming its index', async () => {
        const queue = await newQueue();
        await expectEngineError(
          engine.enqueueBulk(queue, [{ type: 't' }, { type: 't' }, { type: 't', priority: -1 }]),
          'invalid_input',
          'tasks[2].priority',
        );
        expect((await engine.counts(queue)).queued).toBe(0);
      });
    });

    describe('claim and acknowledge', () => {
      it('claims a batch under one lease, with a fencing token that rises with every claim', async () => {
        const queue = await newQueue();
        await engine.enqueueBulk(queue, [{ type: 't' }, { type: 't' }, { type: 't' }]);
        const { tasks } = await engine.claim(queue, { ...worker, max: 2 });
        expect(tasks).toHaveLength(2);
        expect(tasks[1]!.token).toBe(tasks[0]!.token);
        const [later] = (await engine.claim(queue, { ...worker, max: 1 })).tasks;
        expect(later!.token).toBeGreaterThan(tasks[0]!.token);
        expect(await engine.counts(queue)).toMatchObject({ queued: 0, active: 3 });
        await engine.release(queue, [later!]);
        expect(tasks[0]!.attempt).toBe(1);
        expect(tasks[0]!.leaseUntil).toBeGreaterThan(Date.now());
        expect(await engine.counts(queue)).toMatchObject({ queued: 1, active: 2 });
        expect((await engine.getTask(queue, tasks[0]!.id))?.state).toBe('active');
      });

      it('records success with its result and history', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't' });
        const [task] = await claimAll(queue);
        expect(await engine.acknowledge(queue, [succeed(task!, { sent: true })])).toEqual([{ id, status: 'succeeded' }]);
        const stored = await engine.getTask(queue, id);
        expect(stored).toMatchObject({ state: 'succeeded', result: { sent: true }, attempts: 1 });
        expect(stored?.history).toEqual([expect.objectContaining({ attempt: 1, workerId: 'worker-1', outcome: 'succeeded' })]);
        expect(await engine.counts(queue)).toMatchObject({ active: 0, succeeded: 1 });
      });

      it('acknowledges and claims the next batch in one call', async () => {
        const queue = await newQueue();
        await engine.enqueueBulk(queue, [{ type: 't' }, { type: 't' }]);
        const [first] = (await engine.claim(queue, { ...worker, max: 1 })).tasks;
        const next = await engine.settleAndClaim(queue, [succeed(first!)], { ...worker, max: 5 });
        expect(next.acknowledged).toEqual([{ id: first!.id, status: 'succeeded' }]);
        expect(next.tasks).toHaveLength(1);
        expect(await engine.counts(queue)).toMatchObject({ queued: 0, active: 1, succeeded: 1 });
      });

      it('retries a failure after its delay, then goes dead after the last attempt', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', maxAttempts: 2 });
        const [first] = await claimAll(queue);
        expect(await engine.acknowledge(queue, [fail(first!, 100)])).toEqual([{ id, status: 'retrying' }]);
        expect(await engine.getTask(queue, id)).toMatchObject({ state: 'failed', error: { message: 'boom' } });
        expect((await engine.counts(queue)).failed).toBe(1);
        const second = await until(async () => (await claimAll(queue))[0], { message: 'the retry to become claimable' });
        expect(second.attempt).toBe(2);
        expect(await engine.acknowledge(queue, [fail(second, 100)])).toEqual([{ id, status: 'dead' }]);
        const dead = await engine.getTask(queue, id);
        expect(dead).toMatchObject({ state: 'dead', attempts: 2 });
        expect(dead?.history.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed']);
        expect(await engine.counts(queue)).toMatchObject({ failed: 0, active: 0, dead: 1 });
      });

      it('sends a task dead at once when its error is not retryable', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', maxAttempts: 5 });
        const [task] = await claimAll(queue);
        expect(await engine.acknowledge(queue, [fail(task!, 0, false)])).toEqual([{ id, status: 'dead' }]);
      });

      it('rejects a late acknowledgement from a holder whose lease expired', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't' });
        const [late] = (await engine.claim(queue, { ...worker, leaseMs: 50 })).tasks;
        await until(() => Date.now() > late!.leaseUntil + 20, { message: 'the lease to expire' });
        expect(await engine.acknowledge(queue, [succeed(late!)])).toEqual([{ id, status: 'stale' }]);
        const [taken] = (await engine.claim(queue, { ...worker, workerId: 'worker-2' })).tasks;
        expect(taken).toMatchObject({ id, attempt: 2 });
        expect(taken!.token).toBeGreaterThan(late!.token);
        expect(await engine.acknowledge(queue, [succeed(late!)])).toEqual([{ id, status: 'stale' }]);
        expect(await engine.acknowledge(queue, [succeed(taken!)])).toEqual([{ id, status: 'succeeded' }]);
        expect(await engine.counts(queue)).toMatchObject({ active: 0, succeeded: 1 });
      });

      it('recovers an expired lease, counting the attempt, and goes dead after the last one', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', maxAttempts: 2 });
        const [first] = (await engine.claim(queue, { ...worker, leaseMs: 30 })).tasks;
        await until(() => Date.now() > first!.leaseUntil + 20, { message: 'the lease to expire' });
        expect(await engine.recoverExpiredLeases(queue, 100)).toBe(1);
        expect(await engine.getTask(queue, id)).toMatchObject({ state: 'queued', attempts: 1 });
        const [second] = (await engine.claim(queue, { ...worker, leaseMs: 30 })).tasks;
        expect(second?.attempt).toBe(2);
        await until(() => Date.now() > second!.leaseUntil + 20, { message: 'the lease to expire' });
        expect(await engine.recoverExpiredLeases(queue, 100)).toBe(1);
        const dead = await engine.getTask(queue, id);
        expect(dead?.state).toBe('dead');
        expect(dead?.history.map((attempt) => attempt.outcome)).toEqual(['lease-expired', 'lease-expired']);
        expect(await engine.counts(queue)).toMatchObject({ queued: 0, active: 0, dead: 1 });
      });

      it('extends a held lease and reports a lost one', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't' });
        const [task] = (await engine.claim(queue, { ...worker, leaseMs: 1_000 })).tasks;
        expect(await engine.extendLeases(queue, [task!], 60_000)).toEqual([true]);
        expect(await engine.extendLeases(queue, [{ id, token: task!.token + 1 }], 60_000)).toEqual([false]);
        await engine.cancel(queue, id);
        expect(await engine.extendLeases(queue, [task!], 60_000)).toEqual([false]);
      });

      it('releases a task without counting the attempt, claimable at once', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't' });
        await engine.enqueue(queue, { type: 't' });
        const [task] = (await engine.claim(queue, { ...worker, max: 1 })).tasks;
        expect(await engine.release(queue, [task!])).toEqual([true]);
        expect(await engine.release(queue, [task!])).toEqual([false]);
        expect(await engine.getTask(queue, id)).toMatchObject({ state: 'queued', attempts: 0 });
        const [again] = (await engine.claim(queue, { ...worker, max: 1 })).tasks;
        expect(again).toMatchObject({ id, attempt: 1 });
      });
    });

    describe('operator actions', () => {
      it('cancels queued, scheduled and active tasks, and not finished ones', async () => {
        const queue = await newQueue();
        const queued = await engine.enqueue(queue, { type: 't' });
        const scheduled = await engine.enqueue(queue, { type: 't', delayMs: 60_000 });
        expect(await engine.cancel(queue, queued.id)).toBe(true);
        expect(await engine.cancel(queue, scheduled.id)).toBe(true);
        const active = await engine.enqueue(queue, { type: 't' });
        const [task] = await claimAll(queue);
        expect(await engine.cancel(queue, active.id)).toBe(true);
        expect(await engine.acknowledge(queue, [succeed(task!)])).toEqual([{ id: active.id, status: 'stale' }]);
        expect(await engine.cancel(queue, active.id)).toBe(false);
        expect(await engine.counts(queue)).toMatchObject({ queued: 0, scheduled: 0, active: 0, cancelled: 3 });
        await expectEngineError(engine.cancel(queue, '00000000-0000-7000-8000-000000000000'), 'not_found');
      });

      it('promotes a scheduled task to run now', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', delayMs: 3_600_000 });
        expect(await engine.promote(queue, id)).toBe(true);
        expect(await engine.promote(queue, id)).toBe(false);
        expect((await claimAll(queue)).map((task) => task.id)).toEqual([id]);
      });

      it('retries a dead task under the same id with a fresh set of attempts, keeping its history', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', maxAttempts: 1 });
        const [first] = await claimAll(queue);
        expect(await engine.acknowledge(queue, [fail(first!)])).toEqual([{ id, status: 'dead' }]);
        expect(await engine.retry(queue, id)).toBe(true);
        expect(await engine.retry(queue, id)).toBe(false);
        expect(await engine.getTask(queue, id)).toMatchObject({ state: 'queued', attempts: 1, maxAttempts: 2, finishedAt: null });
        expect(await engine.counts(queue)).toMatchObject({ queued: 1, dead: 1 });
        const [second] = await claimAll(queue);
        expect(second).toMatchObject({ id, attempt: 2, maxAttempts: 2 });
        await engine.acknowledge(queue, [succeed(second!, 'fine')]);
        const finished = await engine.getTask(queue, id);
        expect(finished).toMatchObject({ state: 'succeeded', result: 'fine' });
        expect(finished?.history.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
          [1, 'failed'],
          [2, 'succeeded'],
        ]);
        // Retried before archiving: the archiver sees the task once, at its final finish.
        const archived = await engine.takeFinished(queue, 10);
        expect(archived.map((task) => [task.id, task.state])).toEqual([[id, 'succeeded']]);
      });

      it('keeps the lines a handler logged with their attempt, and drops those of a stale acknowledgement', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't', maxAttempts: 3 });
        const [first] = await claimAll(queue);
        await engine.acknowledge(queue, [{ ...fail(first!), logs: { attempt: 1, lines: ['fetching', 'gave up'] } }]);
        await engine.promote(queue, id);
        const [second] = await claimAll(queue);
        expect(await engine.acknowledge(queue, [{ ...succeed(first!), logs: { attempt: 1, lines: ['late'] } }])).toEqual([{ id, status: 'stale' }]);
        await engine.acknowledge(queue, [{ ...succeed(second!, 'ok'), logs: { attempt: 2, lines: ['fetching', 'done 🚂'] } }]);
        const task = await engine.getTask(queue, id);
        expect(task?.history.map((attempt) => [attempt.attempt, attempt.outcome, attempt.logs])).toEqual([
          [1, 'failed', ['fetching', 'gave up']],
          [2, 'succeeded', ['fetching', 'done 🚂']],
        ]);
        const [archived] = await engine.takeFinished(queue, 10);
        expect(archived?.history.map((attempt) => attempt.logs)).toEqual([['fetching', 'gave up'], ['fetching', 'done 🚂']]);
        await engine.forgetFinished(queue, [id]);
        expect(await engine.getTask(queue, id)).toBeUndefined();
      });

      it('retries a cancelled task; refuses live ones and unknown ids', async () => {
        const queue = await newQueue();
        const { id } = await engine.enqueue(queue, { type: 't' });
        expect(await engine.retry(queue, id)).toBe(false);
        await engine.cancel(queue, id);
        expect(await engine.retry(queue, id)).toBe(true);
        expect((await claimAll(queue)).map((task) => task.id)).toEqual([id]);
        await expectEngineError(engine.retry(queue, '00000000-0000-7000-8000-000000000000'), 'not_found');
      });

      it('scans every task it holds, page by page', async () => {
        const queue = await newQueue();
        const enqueued = await engine.enqueueBulk(queue, Array.from({ length: 700 }, (_, n) => ({ type: n % 2 ? 'odd' : 'even', payload: { n } })));
        await engine.cancel(queue, enqueued[0]!.id);
        const seen = new Map<string, string>();
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: { tasks: { id: string; state: string }[]; cursor: string | null } = await engine.scanTasks(queue, { cursor, count: 100 });
          for (const task of page.tasks) seen.set(task.id, task.state);
          cursor = page.cursor;
          pages += 1;
        } while (cursor !== null && pages < 1_000);
        // Past 512 entries Redis keeps a hash as a table, which a scan walks in pages.
        expect(seen.size).toBe(700);
        expect(seen.get(enqueued[0]!.id)).toBe('cancelled');
        expect(pages).toBeGreaterThan(1);
        await expectEngineError(engine.scanTasks('no-such-queue', { cursor: null, count: 10 }), 'unknown_queue');
      });

      it('hands out nothing while paused, and wakes listeners on resume', async () => {
        const queue = await newQueue();
        await engine.enqueue(queue, { type: 't' });
        await engine.pause(queue);
        expect(await engine.isPaused(queue)).toBe(true);
        expect(await claimAll(queue)).toEqual([]);
        let woken = 0;
        const stop = await engine.subscribe(queue, () => (woken += 1));
        await engine.resume(queue);
        await until(() => woken > 0, { message: 'a wake-up after resume' });
        await stop();
        expect(await claimAll(queue)).toHaveLength(1);
      });

      it('wakes subscribers when a task is enqueued', async () => {
        const queue = await newQueue();
        let woken = 0;
        const stop = await engine.subscribe(queue, () => (woken += 1));
        await engine.enqueue(queue, { type: 't' });
        await until(() => woken > 0, { message: 'a wake-up after enqueue' });
        await stop();
      });

      it('wakes subscribers when a task is scheduled sooner than any before it', async () => {
        const queue = await newQueue();
        let woken = 0;
        const stop = await engine.subscribe(queue, () => (woken += 1));
        await engine.enqueue(queue, { type: 't', delayMs: 60_000 });
        await until(() => woken === 1, { message: 'a wake-up for the first scheduled task' });
        await engine.enqueue(queue, { type: 't', delayMs: 30_000 });
        await until(() => woken >= 2, { message: 'a wake-up for the sooner task' });
        await stop();
      });
    });

    describe('limits', () => {
      it('starts at most N tasks per interval', async () => {
        // A window long enough that the held claim below falls in the first one on a loaded machine.
        const queue = await newQueue({ rateLimit: { max: 5, intervalMs: 2_000 } });
        await engine.enqueueBulk(queue, Array.from({ length: 12 }, () => ({ type: 't' })));
        const first = await engine.claim(queue, worker);
        expect(first.tasks).toHaveLength(5);
        const held = await engine.claim(queue, worker);
        expect(held.tasks).toHaveLength(0);
        expect(held.nextDueAt).not.toBeNull();
        const next = await until(async () => (await engine.claim(queue, worker)).tasks.length || undefined, { message: 'the next rate window' });
        expect(next).toBe(5);
      });

      it('caps active tasks across every worker', async () => {
        const queue = await newQueue({ concurrency: 3 });
        await engine.enqueueBulk(queue, Array.from({ length: 10 }, () => ({ type: 't' })));
        const one = await engine.claim(queue, { ...worker, workerId: 'a', max: 2 });
        const two = await engine.claim(queue, { ...worker, workerId: 'b', max: 10 });
        expect(one.tasks.length + two.tasks.length).toBe(3);
        const next = await engine.settleAndClaim(queue, [succeed(one.tasks[0]!)], { ...worker, max: 10 });
        expect(next.tasks).toHaveLength(1);
        expect((await engine.counts(queue)).active).toBe(3);
      });
    });

    describe('archiving hand-off', () => {
      it('lists finished tasks oldest first and forgets them once archived', async () => {
        const queue = await newQueue();
        const ok = await engine.enqueue(queue, { type: 't', payload: { n: 1 } });
        const doomed = await engine.enqueue(queue, { type: 't', maxAttempts: 1 });
        const cancelled = await engine.enqueue(queue, { type: 't', delayMs: 60_000 });
        const [first, second] = await claimAll(queue);
        await engine.acknowledge(queue, [succeed(first!, 'done')]);
        await engine.acknowledge(queue, [fail(second!)]);
        await engine.cancel(queue, cancelled.id);
        const finished = await engine.takeFinished(queue, 10);
        expect(finished.map((task) => [task.id, task.state])).toEqual([
          [ok.id, 'succeeded'],
          [doomed.id, 'dead'],
          [cancelled.id, 'cancelled'],
        ]);
        expect(finished[0]).toMatchObject({ payload: { n: 1 }, result: 'done' });
        expect(finished[1]!.history).toHaveLength(1);
        await engine.forgetFinished(queue, finished.map((task) => task.id));
        expect(await engine.takeFinished(queue, 10)).toEqual([]);
        expect(await engine.getTask(queue, ok.id)).toBeUndefined();
        expect(await engine.counts(queue)).toMatchObject({ succeeded: 1, dead: 1, cancelled: 1 });
      });
    });
  });
}
