/**
 * Switchyard's side of `npm run bench -- workflow`: an agent (in this process, on a scratch
 * database and Redis prefix) with a worker of no-op handlers, running the two workflows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { readAgentConfig } from '../../agent/config/agentConfig.js';
import { start } from '../../agent/index.js';
import { UserStore } from '../../agent/security/UserStore.js';
import { createWorker } from '../../agent/worker/index.js';
import { createApiClient, type ApiClient } from '../../shared/api/client.js';
import type { WorkflowDefinitionInput } from '../../shared/workflows/workflowDefinition.js';
import type { Stores } from '../queue/QueueSystem.js';
import { deleteKeysByPrefix, dropDatabase, recreateDatabase } from '../queue/stores.js';
import type { FlowSystem } from './FlowSystem.js';
import { Redis } from 'ioredis';

export async function switchyardFlows(stores: Stores, concurrency: number): Promise<FlowSystem> {
  const name = `sybench_wf_${randomBytes(3).toString('hex')}`;
  const databaseUrl = await recreateDatabase(stores.postgresAdminUrl, name);
  const prefix = `sybench-wf-${randomBytes(3).toString('hex')}`;
  const silent = pino({ level: 'silent' });
  const agent = await start(
    readAgentConfig({ redis: stores.redisUrl, redisPrefix: prefix, database: databaseUrl, port: '0', dataDir: await mkdtemp(join(tmpdir(), 'sybench-wf-')), worker: false }, {}),
    { log: silent },
  );
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await new UserStore(pool).create({ username: 'bench', password: 'bench password of the workflow run', role: 'operator' });
  await pool.end();
  const session = await createApiClient({ baseUrl: agent.url }).call('auth.login', { body: { username: 'bench', password: 'bench password of the workflow run' } });
  const client: ApiClient = createApiClient({ baseUrl: agent.url, authorization: () => `Bearer ${session.accessToken}` });
  await client.call('queues.create', { body: { name: 'flows', retry: { maxAttempts: 1 } } });
  const worker = createWorker({ redisUrl: stores.redisUrl, prefix, queues: [{ name: 'flows', concurrency }], handlers: { noop: async () => null }, log: silent });
  await worker.start();

  const runToEnd = async (definition: WorkflowDefinitionInput, input: unknown): Promise<number> => {
    await client.call('workflows.save', { body: { definition } });
    const began = performance.now();
    const run = await client.call('runs.start', { params: { name: definition.name }, body: { input } });
    // The run's summary only (the workflow's name is unique to this run): reading the whole run,
    // every node with its input and output, every 5 ms would cost the agent more than moving it on.
    for (;;) {
      const [current] = (await client.call('runs.list', { query: { workflow: definition.name, limit: 1 } })).runs;
      if (current?.state === 'succeeded') return performance.now() - began;
      if (current && current.state !== 'running') {
        const ended = await client.call('runs.get', { params: { id: run.id } });
        throw new Error(`run ${run.id} ended ${ended.state}: ${ended.failure?.message ?? ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  return {
    name: 'switchyard',
    fanOut: (items) =>
      runToEnd(
        {
          name: `fan-${items}-${randomBytes(2).toString('hex')}`,
          nodes: [
            { id: 'each', kind: 'map', queue: 'flows', type: 'noop', over: 'input.items', input: { at: '{{ index }}' }, concurrency: 1_000 },
            { id: 'gather', kind: 'reduce', queue: 'flows', type: 'noop' },
          ],
          edges: [{ from: 'each', to: 'gather' }],
        },
        { items: Array.from({ length: items }, (_, at) => at) },
      ),
    chain: (steps) => {
      const ids = Array.from({ length: steps }, (_, at) => `s${at}`);
      return runToEnd(
        {
          name: `chain-${steps}-${randomBytes(2).toString('hex')}`,
          nodes: ids.map((id) => ({ id, kind: 'task' as const, queue: 'flows', type: 'noop' })),
          edges: ids.slice(1).map((id, at) => ({ from: ids[at]!, to: id })),
        },
        {},
      );
    },
    async close() {
      await worker.close({ drainMs: 1_000 });
      await agent.close();
      const redis = new Redis(stores.redisUrl);
      await deleteKeysByPrefix(redis, prefix);
      await redis.quit();
      await dropDatabase(stores.postgresAdminUrl, name);
    },
  };
}
