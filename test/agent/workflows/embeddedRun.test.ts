/**
 * A run on the embedded default (no Redis): records and queues both in PGlite, the `postgres`
 * engine announcing finished tasks in-process. The run driver's look-round is an hour apart, so
 * the chain with a fan-out reaches its end on announcements alone, through the run engine's
 * multi-statement messages on PGlite's single session. A second test turns every poll off (the
 * worker's idle poll and the engine's fallback poll an hour apart), so a chain finishes only if
 * each task the run enqueues in its transaction wakes the worker once that transaction commits.
 */
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { TaskHistory } from '../../../agent/records/TaskHistory.js';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';
import { WorkerRuntime } from '../../../agent/worker/WorkerRuntime.js';
import { RunDriver } from '../../../agent/workflows/RunDriver.js';
import { RunEngine } from '../../../agent/workflows/RunEngine.js';
import { RunStore } from '../../../agent/workflows/RunStore.js';
import { WorkflowStore } from '../../../agent/workflows/WorkflowStore.js';
import { queueDefinition } from '../../../shared/queue.js';
import { workflowDefinition } from '../../../shared/workflows/workflowDefinition.js';
import { migratedEmbeddedDatabase } from '../../helpers/postgres.js';
import { until } from '../../helpers/until.js';

const log = pino({ level: 'silent' });

describe('a workflow run on embedded PGlite', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  let pool: pg.Pool;
  let engine: PostgresEngine;

  beforeAll(async () => {
    const database = await migratedEmbeddedDatabase();
    cleanups.push(() => database.close());
    pool = database.pool;
    engine = new PostgresEngine({ pool, log });
    cleanups.push(() => engine.close());
  }, 60_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('runs a chain with a fan-out to the end on announcements', async () => {
    await engine.defineQueue(queueDefinition({ name: 'local', engine: 'postgres', retry: { maxAttempts: 1 } }));
    const runs = new RunStore(pool);
    const workflows = new WorkflowStore(pool);
    await workflows.save(
      workflowDefinition.parse({
        name: 'local-chain',
        nodes: [
          { id: 'a', kind: 'task', queue: 'local', type: 'inc', input: { value: '{{ input.value }}' } },
          { id: 'spread', kind: 'map', queue: 'local', type: 'inc', over: '[1, 2, 3]', concurrency: 2, input: { value: '{{ item + nodes.a.output }}' } },
          { id: 'b', kind: 'task', queue: 'local', type: 'inc', input: { value: '{{ nodes.spread.output[2] }}' } },
        ],
        edges: [
          { from: 'a', to: 'spread' },
          { from: 'spread', to: 'b' },
        ],
      }),
      'test',
      null,
    );
    const runEngine = new RunEngine({ runs, workflows, engine, log });
    const driver = new RunDriver({ runs, runEngine, engine, history: new TaskHistory(pool), isLeader: () => true, log, pollIntervalMs: 3_600_000 });
    await driver.start();
    const handlers = new HandlerRegistry().registerAll({ inc: async (task) => (task.payload as { value: number }).value + 1 });
    const worker = new WorkerRuntime({ engine, queues: [{ name: 'local', concurrency: 4 }], handlers, log, idlePollMs: 50 });
    await worker.start();
    try {
      const id = await runEngine.start({ workflow: 'local-chain', input: { value: 1 }, createdBy: null });
      // a: 2, spread: [4, 5, 6], b: 7.
      const run = await until(async () => ((await runs.get(id))?.run.state === 'succeeded' ? runs.get(id) : undefined), { timeoutMs: 20_000, message: 'the run to succeed' });
      expect(run.run.output).toEqual({ b: 7 });
    } finally {
      await worker.close({ drainMs: 1_000 });
      await driver.close();
    }
  });

  it('wakes the worker for each step of a chain after the move commits, with no poll to fall back on', async () => {
    const hour = 3_600_000;
    const quiet = new PostgresEngine({ pool, log, fallbackPollMs: hour });
    await quiet.defineQueue(queueDefinition({ name: 'quiet', engine: 'postgres', retry: { maxAttempts: 1 } }));
    const runs = new RunStore(pool);
    const workflows = new WorkflowStore(pool);
    const steps = Array.from({ length: 6 }, (_, index) => `s${index}`);
    await workflows.save(
      workflowDefinition.parse({
        name: 'quiet-chain',
        nodes: steps.map((id, index) => ({ id, kind: 'task', queue: 'quiet', type: 'inc', input: { value: index === 0 ? '{{ input.value }}' : `{{ nodes.${steps[index - 1]}.output }}` } })),
        edges: steps.slice(1).map((id, index) => ({ from: steps[index], to: id })),
      }),
      'test',
      null,
    );
    const runEngine = new RunEngine({ runs, workflows, engine: quiet, log });
    const driver = new RunDriver({ runs, runEngine, engine: quiet, history: new TaskHistory(pool), isLeader: () => true, log, pollIntervalMs: hour });
    await driver.start();
    const handlers = new HandlerRegistry().registerAll({ inc: async (task) => (task.payload as { value: number }).value + 1 });
    const worker = new WorkerRuntime({ engine: quiet, queues: [{ name: 'quiet', concurrency: 1 }], handlers, log, idlePollMs: hour });
    await worker.start();
    try {
      const id = await runEngine.start({ workflow: 'quiet-chain', input: { value: 0 }, createdBy: null });
      const run = await until(async () => ((await runs.get(id))?.run.state === 'succeeded' ? runs.get(id) : undefined), { timeoutMs: 20_000, message: 'the quiet chain to succeed' });
      expect(run.run.output).toEqual({ s5: 6 });
    } finally {
      await worker.close({ drainMs: 1_000 });
      await driver.close();
      await quiet.close();
    }
  });
});
