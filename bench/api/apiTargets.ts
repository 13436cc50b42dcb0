/**
 * The HTTP servers the API benchmark loads, each in a child process of its own so the load
 * generator does not share their event loop:
 * - `switchyard`: the real agent (`switchyard agent --no-worker`) on a scratch database and Redis
 *   prefix, every request authorised with an access token, validated, and (enqueues) audited;
 * - `bullmq-fastify`: the nearest peer — BullMQ 6.7 behind a bare Fastify server with the same two
 *   routes and no authentication, validation or audit: the floor of HTTP + Redis on this machine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { migrate } from '../../agent/records/migrate.js';
import { UserStore } from '../../agent/security/UserStore.js';
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

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Forks `script` under tsx and resolves with the URL it prints as its first line `listening <url>`. */
async function startChild(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(script, args, { cwd: repositoryRoot, execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(?:listening|running at) (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening: ${output}`));
    });
  });
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
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
  const database = `switchyard_bench_api_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: stores.postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const databaseUrl = new URL(stores.postgresAdminUrl);
  databaseUrl.pathname = `/${database}`;
  const prefix = `sybench-api-${randomBytes(3).toString('hex')}`;

  const pool = new pg.Pool({ connectionString: databaseUrl.toString() });
  await migrate(pool, { log: pino({ level: 'silent' }) });
  const password = randomBytes(16).toString('base64url');
  await new UserStore(pool).create({ username: 'bench', password, role: 'operator' });
  await pool.end();

  const { child, url } = await startChild(
    'agent/main.ts',
    ['agent', '--no-worker', '--port', '0', '--redis', stores.redisUrl, '--redis-prefix', prefix, '--database', databaseUrl.toString(), '--log-level', 'warn', '--data-dir', await mkdtemp(join(tmpdir(), 'sybench-'))],
    {},
  );
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const created = await fetch(`${url}/api/v1/queues`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench' }) });
  if (created.status !== 201) throw new Error(`switchyard: creating the queue answered ${created.status}`);
  const target = { name: 'switchyard' as const, url, headers, enqueuePath: '/api/v1/queues/bench/tasks', getPath: (id: string) => `/api/v1/queues/bench/tasks/${id}` };
  const seededIds = await seed(target, seedCount);
  return {
    ...target,
    seededIds,
    close: async () => {
      await stopChild(child);
      await deletePrefix(stores.redisUrl, prefix);
      const client = new pg.Client({ connectionString: stores.postgresAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${database} with (force)`);
      await client.end();
    },
  };
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

async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
