/**
 * The HTTP servers the API benchmark loads, each in a child process of its own so the load
 * generator does not share their event loop:
 * - `switchyard`: the real agent (`switchyard agent --no-worker`) on a scratch database and Redis
 *   prefix, every request authorised with an access token, validated, and (enqueues) audited;
 * - `bullmq-fastify`: the nearest peer — BullMQ 6.7 behind a bare Fastify server with the same two
 *   routes and no authentication, validation or audit: the floor of HTTP + Redis on this machine.
 */
import { randomBytes } from 'node:crypto';
import { deletePrefix, startBenchAgent, startChild, stopChild } from '../benchAgent.js';
import type { Stores } from '../queue/QueueSystem.js';

export const targetNames = ['switchyard', 'bullmq-fastify'] as const;
export type TargetName = (typeof targetNames)[number];

/** A running server and how to call its two routes. */
export interface ApiTarget {
  name: TargetName;
  url: string;
  headers: Record<string, string>;
  enqueuePath: string;
  /** The path that reads task `id`. */
  getPath(id: string): string;
  /** Ids of tasks enqueued before the measurement, for the reads. */
  seededIds: string[];
  close(): Promise<void>;
}

async function seed(target: Omit<ApiTarget, 'seededIds' | 'close'>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${target.url}${target.enqueuePath}`, { method: 'POST', headers: target.headers, body: JSON.stringify({ type: 'bench.noop', payload: { index } }) });
    if (response.status >= 300) throw new Error(`${target.name}: seeding answered ${response.status}: ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

export async function startSwitchyard(stores: Stores, seedCount: number): Promise<ApiTarget> {
  const agent = await startBenchAgent(stores, 'api');
  const headers = { authorization: `Bearer ${agent.accessToken}`, 'content-type': 'application/json' };
  await agent.api.call('queues.create', { body: { name: 'bench' } });
  const target = { name: 'switchyard' as const, url: agent.url, headers, enqueuePath: '/api/v1/queues/bench/tasks', getPath: (id: string) => `/api/v1/queues/bench/tasks/${id}` };
  return { ...target, seededIds: await seed(target, seedCount), close: agent.close };
}

export async function startBullmqFastify(stores: Stores, seedCount: number): Promise<ApiTarget> {
  const prefix = `sybench-api-bullmq-${randomBytes(3).toString('hex')}`;
  const { child, url } = await startChild('bench/api/bullmqServer.ts', [], { REDIS_URL: stores.redisUrl, BULLMQ_PREFIX: prefix });
  const target = { name: 'bullmq-fastify' as const, url, headers: { 'content-type': 'application/json' }, enqueuePath: '/tasks', getPath: (id: string) => `/tasks/${id}` };
  const seededIds = await seed(target, seedCount);
  return {
    ...target,
    seededIds,
    close: async () => {
      await stopChild(child);
      await deletePrefix(stores.redisUrl, prefix);
    },
  };
}
