import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../agent/engine/Engine.js';
import { queueDefinition } from '../../../shared/queue.js';
import type { Task } from '../../../shared/task.js';
import { until } from '../../helpers/until.js';
import { startWorkerProcess, type WorkerTarget } from '../../helpers/workerProcess.js';

/** What a crash run needs: the engine under test, how worker processes reach it, and where they count runs. */
export interface CrashSetUp {
  engine: Engine;
  /** Passed to `startWorkerProcess`. */
  target: WorkerTarget;
  /** Where the fixture worker counts each task's runs (`<prefix>:runs`, a hash). */
  redis: Redis;
  prefix: string;
  /** Checks beyond the engine's counts once every task succeeded (e.g. the engine's own tables). */
  afterAllSucceeded?(queue: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** The ids of the queue's tasks that are active: claimed and not acknowledged. */
async function activeIds(engine: Engine, queue: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { tasks: Task[]; cursor: string | null } = await engine.scanTasks(queue, { cursor, count: 1_000 });
    for (const task of page.tasks) if (task.state === 'active') ids.push(task.id);
    cursor = page.cursor;
  } while (cursor !== null);
  return ids;
}

/**
 * Worker processes killed mid-batch, the same tests for every engine: repeated SIGKILLs while
 * 10 000 tasks run lose none and run twice only tasks in flight at a kill; a poison task that
 * kills its worker every time ends dead after its attempts while the rest complete.
 */
export function crashContract(name: string, create: () => Promise<CrashSetUp>): void {
  describe(`${name}: worker processes killed mid-batch`, () => {
    let setUp: CrashSetUp;

    beforeAll(async () => {
      setUp = await create();
    });
    afterAll(async () => {
      await setUp?.cleanup();
    });

    it('loses no task over repeated SIGKILLs, and runs twice only tasks in flight at a kill', async () => {
      const { engine, target, redis, prefix } = setUp;
      const queue = 'crash';
      const total = 10_000;
      await engine.defineQueue(queueDefinition({ name: queue, engine: engine.kind }));
      const tasks = Array.from({ length: total }, () => ({ type: 'record', payload: { ms: 1 }, maxAttempts: 20 }));
      for (let start = 0; start < total; start += 2_000) await engine.enqueueBulk(queue, tasks.slice(start, start + 2_000));

      const inFlightAtKills = new Set<string>();
      let kills = 0;
      for (let round = 0; round < 5; round += 1) {
        const worker = await startWorkerProcess(target, queue);
        const before = (await engine.counts(queue)).succeeded;
        await until(async () => (await engine.counts(queue)).succeeded >= Math.min(total, before + 1_000), {
          timeoutMs: 30_000,
          message: 'the worker to finish another thousand tasks',
        });
        worker.child.kill('SIGKILL');
        await worker.exited;
        kills += 1;
        for (const id of await activeIds(engine, queue)) inFlightAtKills.add(id);
      }

      const survivor = await startWorkerProcess(target, queue);
      await until(async () => (await engine.counts(queue)).succeeded === total, { timeoutMs: 60_000, message: 'every task to succeed' });
      survivor.child.kill('SIGTERM');
      await survivor.exited;

      const runs = await redis.hgetall(`${prefix}:runs`);
      const ranTwice = Object.entries(runs).filter(([, count]) => Number(count) > 1).map(([id]) => id);
      console.log(`${name} crash test: ${kills} kills, ${inFlightAtKills.size} tasks in flight at a kill, ${ranTwice.length} ran more than once`);
      expect(kills).toBe(5);
      expect(inFlightAtKills.size).toBeGreaterThan(0);
      expect(Object.keys(runs)).toHaveLength(total);
      expect(ranTwice.filter((id) => !inFlightAtKills.has(id))).toEqual([]);
      expect(await engine.counts(queue)).toMatchObject({ queued: 0, active: 0, failed: 0, succeeded: total, dead: 0 });
      await setUp.afterAllSucceeded?.(queue);
    });

    it('sends a poison task that kills its worker dead after its attempts, while the rest complete', async () => {
      const { engine, target } = setUp;
      const queue = 'poison';
      const normal = 300;
      await engine.defineQueue(queueDefinition({ name: queue, engine: engine.kind }));
      const { id: poisonId } = await engine.enqueue(queue, { type: 'poison', maxAttempts: 3 });
      await engine.enqueueBulk(queue, Array.from({ length: normal }, () => ({ type: 'record', payload: { ms: 1 }, maxAttempts: 10 })));

      let crashes = 0;
      const finished = async () => {
        const counts = await engine.counts(queue);
        return counts.succeeded === normal && counts.dead === 1;
      };
      while (!(await finished())) {
        expect(crashes).toBeLessThan(10);
        const worker = await startWorkerProcess(target, queue, 500);
        await until(async () => worker.hasExited() || (await finished()), { timeoutMs: 30_000, message: 'a crash or the end' });
        if (worker.hasExited()) crashes += 1;
        else {
          worker.child.kill('SIGTERM');
          await worker.exited;
        }
      }
      const poison = await engine.getTask(queue, poisonId);
      console.log(`${name} poison test: ${crashes} worker crashes`);
      expect(poison).toMatchObject({ state: 'dead', attempts: 3 });
      expect(poison?.history.map((attempt) => attempt.outcome)).toEqual(['lease-expired', 'lease-expired', 'lease-expired']);
      expect(crashes).toBe(3);
    });
  });
}
