/**
 * A real `switchyard agent --no-worker` for benchmarks that drive its API: forked under tsx (so
 * the bench's own work never shares its event loop) on a scratch database and Redis prefix, with
 * one operator signed in. `close()` stops it and removes the database and the keys.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { migrate } from '../agent/records/migrate.js';
import { UserStore } from '../agent/security/UserStore.js';
import { createApiClient, type ApiClient } from '../shared/api/client.js';
import type { Stores } from './queue/QueueSystem.js';
import { deleteKeysByPrefix, dropDatabase, recreateDatabase } from './queue/stores.js';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export interface BenchAgent {
  url: string;
  username: string;
  password: string;
  accessToken: string;
  /** The typed client, signed in as the operator. */
  api: ApiClient;
  close(): Promise<void>;
}

/** Forks `script` under tsx and resolves with the URL it prints (`listening <url>` or `… running at <url>`). */
export async function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
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

/** SIGTERM, then SIGKILL after 30 s; resolves once the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Removes every key under `prefix`. */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    await deleteKeysByPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** Starts the agent; `label` names its database and prefix (`switchyard_bench_<label>_…`). */
export async function startBenchAgent(stores: Stores, label: string): Promise<BenchAgent> {
  const suffix = randomBytes(3).toString('hex');
  const database = `switchyard_bench_${label}_${suffix}`;
  const databaseUrl = await recreateDatabase(stores.postgresAdminUrl, database);
  const prefix = `sybench-${label}-${suffix}`;
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await migrate(pool, { log: pino({ level: 'silent' }) });
  const username = 'bench';
  const password = randomBytes(16).toString('base64url');
  await new UserStore(pool).create({ username, password, role: 'operator' });
  await pool.end();

  const dataDir = await mkdtemp(join(tmpdir(), `sybench-${label}-`));
  const { child, url } = await startChild('agent/main.ts', ['agent', '--no-worker', '--port', '0', '--redis', stores.redisUrl, '--redis-prefix', prefix, '--database', databaseUrl, '--log-level', 'warn', '--data-dir', dataDir]);
  const close = async () => {
    await stopChild(child);
    await deletePrefix(stores.redisUrl, prefix);
    await dropDatabase(stores.postgresAdminUrl, database);
  };
  try {
    const { accessToken } = await createApiClient({ baseUrl: url }).call('auth.login', { body: { username, password } });
    const api = createApiClient({ baseUrl: url, authorization: () => `Bearer ${accessToken}` });
    return { url, username, password, accessToken, api, close };
  } catch (error) {
    await close();
    throw error;
  }
}
