/**
 * How the run driver learns that work finished, on real Redis and Postgres: from the engine's
 * announcements alone (its look-round is an hour apart), a chain with a fan-out in the middle
 * runs to the end and a parent moves on when its sub-run ends; with every announcement lost (the
 * tasks are acknowledged by an engine instance that did not claim them, so none is made), the
 * slow look-round still finds each finished task and the run completes, each node once.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinishedTask } from '../../../agent/engine/finishedTasks.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { TaskHistory } from '../../../agent/records/TaskHistory.js';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';
import { WorkerRuntime } from '../../../agent/worker/WorkerRuntime.js';
import { RunDriver } from '../../../agent/workflows/RunDriver.js';
import { RunEngine } from '../../../agent/workflows/RunEngine.js';
import { RunStore } from '../../../agent/workflows/RunStore.js';
import { WorkflowStore } from '../../../agent/workflows/WorkflowStore.js';
import { queueDefinition } from '../../../shared/queue.js';
import { workflowDefinition, type WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

const log = pino({ level: 'silent' });
const hour = 3_600_000;

describe('the run driver’s completion feed', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let isolated: Awaited<ReturnType<typeof isolatedRedis>>;
  /** The leader's engine (its driver listens on it); workers use engines of their own. */
  let engine: RedisEngine;
  let runs: RunStore;
  let workflows: WorkflowStore;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    isolated = await isolatedRedis();
    engine = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    runs = new RunStore(database.pool);
    workflows = new WorkflowStore(database.pool);
  }, 60_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await engine?.close();
    await isolated?.cleanup();
    await database?.close();
  });

  /** A run engine and its driver on the leader's engine, looking round every `pollIntervalMs`. */
  async function driver(pollIntervalMs: number): Promise<{ runEngine: RunEngine; driver: RunDriver }> {
    const runEngine = new RunEngine({ runs, workflows, engine, log });
    const runDriver = new RunDriver({ runs, runEngine, engine, history: new TaskHistory(database.pool), isLeader: () => true, log, pollIntervalMs });
    runEngine.onRunEnded = (run) => runDriver.runEnded(run);
    await runDriver.start();
    cleanups.push(() => runDriver.close());
    return { runEngine, driver: runDriver };
  }

  async function save(definition: WorkflowDefinitionInput): Promise<void> {
    await workflows.save(workflowDefinition.parse(definition), 'test', null);
  }

  async function queue(name: string): Promise<void> {
    await engine.defineQueue(queueDefinition({ name, engine: 'redis', retry: { maxAttempts: 1 } }));
  }

  /** A worker with its own engine instance (as an SDK worker has), adding one to its payload's `value`. */
  async function worker(queueName: string): Promise<Map<string, number>> {
    const ran = new Map<string, number>();
    const own = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    const handlers = new HandlerRegistry().registerAll({
      inc: async (task) => {
        const { node, value } = task.payload as { node: string; value: number };
        ran.set(node, (ran.get(node) ?? 0) + 1);
        return value + 1;
      },
    });
    const runtime = new WorkerRuntime({ engine: own, queues: [{ name: queueName, concurrency: 10 }], handlers, log, idlePollMs: 50 });
    await runtime.start();
    cleanups.push(async () => {
      await runtime.close({ drainMs: 1_000 });
      await own.close();
    });
    return ran;
  }

  const chain = (name: string, queueName: string): WorkflowDefinitionInput => ({
    name,
    nodes: [
      { id: 'a', kind: 'task', queue: queueName, type: 'inc', input: { node: 'a', value: '{{ input.value }}' } },
      { id: 'b', kind: 'task', queue: queueName, type: 'inc', input: { node: 'b', value: '{{ nodes.a.output }}' } },
      { id: 'spread', kind: 'map', queue: queueName, type: 'inc', over: '[1, 2, 3, 4, 5]', concurrency: 2, input: { node: 'spread', value: '{{ item + nodes.b.output }}' } },
      { id: 'c', kind: 'task', queue: queueName, type: 'inc', input: { node: 'c', value: '{{ nodes.spread.output[4] }}' } },
    ],
    edges: [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'spread' },
      { from: 'spread', to: 'c' },
    ],
  });

  it('moves a run on from announcements alone, to the end', async () => {
    await queue('pushed');
    const ran = await worker('pushed');
    await save(chain('pushed-chain', 'pushed'));
    const { runEngine } = await driver(hour);
    const id = await runEngine.start({ workflow: 'pushed-chain', input: { value: 1 }, createdBy: null });
    // a: 2, b: 3, spread: [5, 6, 7, 8, 9], c: 10.
    const run = await until(async () => ((await runs.get(id))?.run.state === 'succeeded' ? runs.get(id) : undefined), { message: 'the run to succeed' });
    expect(run.run.output).toEqual({ c: 10 });
    expect(run.nodes.find((node) => node.nodeId === 'spread')?.output).toEqual([5, 6, 7, 8, 9]);
    expect(Object.fromEntries(ran)).toEqual({ a: 1, b: 1, spread: 5, c: 1 });
    // The announcements carried each task's attempts; a map node has no task of its own.
    expect(run.nodes.map((node) => [node.nodeId, node.attempts])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['spread', null],
    ]);
  });

  it('moves a parent on when its sub-run ends, without looking round', async () => {
    await queue('nested');
    await worker('nested');
    await save({ name: 'inner', nodes: [{ id: 'only', kind: 'task', queue: 'nested', type: 'inc', input: { node: 'only', value: '{{ input.value }}' } }], edges: [] });
    await save({
      name: 'outer',
      nodes: [
        { id: 'call', kind: 'workflow', workflow: 'inner', input: { value: '{{ input.value }}' } },
        { id: 'after', kind: 'task', queue: 'nested', type: 'inc', input: { node: 'after', value: '{{ nodes.call.output.only }}' } },
      ],
      edges: [{ from: 'call', to: 'after' }],
    });
    const { runEngine } = await driver(hour);
    const id = await runEngine.start({ workflow: 'outer', input: { value: 40 }, createdBy: null });
    const run = await until(async () => ((await runs.get(id))?.run.state === 'succeeded' ? runs.get(id) : undefined), { message: 'the parent run to succeed' });
    expect(run.run.output).toEqual({ after: 42 });
  });

  it('starts the waiting items of a map whose running items finished while its run was paused, on resume', async () => {
    await queue('paused');
    await save({ name: 'paused-map', nodes: [{ id: 'spread', kind: 'map', queue: 'paused', type: 'inc', over: '[10, 20, 30]', concurrency: 1, input: { node: 'spread', value: '{{ item }}' } }], edges: [] });
    const { runEngine } = await driver(hour);
    const hand = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    cleanups.push(() => hand.close());
    const id = await runEngine.start({ workflow: 'paused-map', input: {}, createdBy: null });
    await runEngine.pause(id);
    /** Claims the next item's task and acknowledges it (announced: the same instance claimed it). */
    const finishOne = async () => {
      const task = await until(async () => (await hand.claim('paused', { workerId: 'hand', max: 1, leaseMs: 30_000 })).tasks[0], { message: 'an item task' });
      await hand.acknowledge('paused', [{ id: task.id, token: task.token, status: 'succeeded', result: (task.payload as { value: number }).value + 1 }]);
    };
    await finishOne();
    await until(async () => (await runs.get(id))?.nodes.find((node) => node.nodeId === 'spread')?.itemsFinished === 1, { message: 'the first item to be recorded' });
    expect((await hand.counts('paused')).queued).toBe(0);
    await runEngine.resume(id);
    await finishOne();
    await finishOne();
    const run = await until(async () => ((await runs.get(id))?.run.state === 'succeeded' ? runs.get(id) : undefined), { message: 'the run to succeed' });
    expect(run.run.output).toEqual({ spread: [11, 21, 31] });
  });

  it('completes a run whose announcements are all lost, by looking round', async () => {
    await queue('unheard');
    await save(chain('unheard-chain', 'unheard'));
    const heard: FinishedTask[] = [];
    const stopListening = await engine.onFinished((tasks) => heard.push(...tasks.filter((task) => task.queue === 'unheard')));
    cleanups.push(stopListening);
    const { runEngine } = await driver(100);
    const id = await runEngine.start({ workflow: 'unheard-chain', input: { value: 1 }, createdBy: null });
    // One engine instance claims, another acknowledges: the acknowledging one never saw the
    // claim, so it announces nothing, as when a worker dies between acknowledging and announcing.
    const claimer = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    const acknowledger = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    cleanups.push(() => Promise.all([claimer.close(), acknowledger.close()]));
    const ran = new Map<string, number>();
    await until(
      async () => {
        const { tasks } = await claimer.claim('unheard', { workerId: 'hand', max: 10, leaseMs: 30_000 });
        const outcomes = tasks.map((task) => {
          const { node, value } = task.payload as { node: string; value: number };
          ran.set(node, (ran.get(node) ?? 0) + 1);
          return { id: task.id, token: task.token, status: 'succeeded' as const, result: value + 1 };
        });
        await acknowledger.acknowledge('unheard', outcomes);
        return (await runs.get(id))?.run.state === 'succeeded';
      },
      { timeoutMs: 20_000, intervalMs: 20, message: 'the run to succeed' },
    );
    expect((await runs.get(id))?.run.output).toEqual({ c: 10 });
    expect(Object.fromEntries(ran)).toEqual({ a: 1, b: 1, spread: 5, c: 1 });
    expect(heard).toEqual([]);
    // The look-round read each task, attempts and all.
    expect((await runs.get(id))?.nodes.map((node) => [node.nodeId, node.attempts])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['spread', null],
    ]);
  });
});
