/**
 * A workflow run survives its agent: the agent process is SIGKILLed in the middle of a 40-step
 * chain (with a fan-out in the middle), a new agent starts on the same Redis and Postgres, and
 * the run completes exactly once — every node started once (the tasks' idempotency keys make a
 * repeated start find the same task), every output correct.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../../shared/api/client.js';
import type { WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';
import { UserStore } from '../../../agent/security/UserStore.js';
import { createWorker } from '../../../agent/worker/index.js';
import { scratchDatabase } from '../../helpers/postgres.js';
import { isolatedRedis, redisUrl } from '../../helpers/redis.js';
import { freePort } from '../../helpers/redisServer.js';
import { until } from '../../helpers/until.js';

const main = fileURLToPath(new URL('../../../agent/main.ts', import.meta.url));
const steps = 40;

describe('a workflow run when its agent is killed', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('completes exactly once on the next agent', async () => {
    const database = await scratchDatabase();
    cleanups.push(() => database.drop());
    const isolated = await isolatedRedis();
    cleanups.push(() => isolated.cleanup());
    const dataDir = await mkdtemp(join(tmpdir(), 'sy-crash-'));

    const startAgent = async (): Promise<{ child: ChildProcess; url: string }> => {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', main, 'agent', '--port', String(port), '--redis', redisUrl, '--redis-prefix', isolated.prefix, '--database', database.url, '--data-dir', dataDir, '--no-worker'], {
        env: { PATH: process.env.PATH!, HOME: process.env.HOME!, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      cleanups.push(async () => child.kill('SIGKILL'));
      const url = `http://127.0.0.1:${port}`;
      await until(async () => (await fetch(`${url}/health/ready`)).ok, { timeoutMs: 30_000, intervalMs: 100, message: 'the agent to be ready' });
      return { child, url };
    };

    const first = await startAgent();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    cleanups.push(() => pool.end());
    await new UserStore(pool).create({ username: 'runner', password: 'correct horse battery staple', role: 'operator' });
    const signIn = async (url: string): Promise<ApiClient> => {
      const session = await createApiClient({ baseUrl: url }).call('auth.login', { body: { username: 'runner', password: 'correct horse battery staple' } });
      return createApiClient({ baseUrl: url, authorization: () => `Bearer ${session.accessToken}` });
    };
    let client = await signIn(first.url);
    await client.call('queues.create', { body: { name: 'chain' } });

    const ranTimes = new Map<string, number>();
    const worker = createWorker({
      redisUrl,
      prefix: isolated.prefix,
      queues: [{ name: 'chain', concurrency: 20 }],
      handlers: {
        step: async (task) => {
          const { node, value } = task.payload as { node: string; value: number };
          ranTimes.set(node, (ranTimes.get(node) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 20));
          return value + 1;
        },
      },
    });
    await worker.start();
    cleanups.push(() => worker.close({ drainMs: 1_000 }));

    const ids = Array.from({ length: steps }, (_, at) => `s${at}`);
    const definition: WorkflowDefinitionInput = {
      name: 'long-chain',
      nodes: [
        ...ids.map((id, at) => ({ id, kind: 'task' as const, queue: 'chain', type: 'step', input: { node: id, value: at === 0 ? 0 : `{{ nodes.${ids[at - 1]}.output }}` } })),
        { id: 'fan', kind: 'map', queue: 'chain', type: 'step', over: `[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]`, input: { node: 'fan-{{ index }}', value: `{{ item }}` }, concurrency: 3 },
      ],
      edges: [...ids.slice(1).map((id, at) => ({ from: ids[at]!, to: id })), { from: 's19', to: 'fan' }],
    };
    await client.call('workflows.save', { body: { definition } });
    const run = await client.call('runs.start', { params: { name: 'long-chain' }, body: {} });

    await until(async () => (await client.call('runs.get', { params: { id: run.id } })).nodes.filter((node) => node.state === 'succeeded').length >= 10, {
      timeoutMs: 30_000,
      message: 'ten nodes to succeed on the first agent',
    });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startAgent();
    client = await signIn(second.url);
    const finished = await until(
      async () => {
        const current = await client.call('runs.get', { params: { id: run.id } });
        return current.state === 'running' ? undefined : current;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: 'the run to finish on the second agent' },
    );

    expect(finished.state).toBe('succeeded');
    expect(finished.output).toEqual({ [`s${steps - 1}`]: steps, fan: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
    for (const [at, id] of ids.entries()) expect(finished.nodes.find((node) => node.id === id)).toMatchObject({ state: 'succeeded', starts: 1, output: at + 1 });
    const ranTwice = [...ranTimes].filter(([, times]) => times > 1).map(([node]) => node);
    console.log(`killed the agent after ${ranTimes.size} handler runs; ${ranTwice.length} ran twice (${ranTwice.join(', ') || 'none'}); the run finished once`);
    const { rows } = await pool.query<{ finished: number }>('select count(*)::int as finished from workflow_runs where id = $1 and finished_at is not null', [run.id]);
    expect(rows[0]!.finished).toBe(1);
  }, 150_000);
});
