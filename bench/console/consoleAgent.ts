/**
 * The agent the console benchmark opens in Chromium: the real `switchyard agent --no-worker` in a
 * child process (so the bench's own work never shares its event loop), on a scratch database and
 * Redis prefix, with one operator, one queue and `taskCount` queued tasks enqueued in bulk.
 * Nothing consumes them, so every one stays queued and the explorer lists them all.
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
import { migrate } from '../../agent/records/migrate.js';
import { UserStore } from '../../agent/security/UserStore.js';
import { createApiClient } from '../../shared/api/client.js';
import { maxBulkTasks } from '../../shared/api/schemas/tasks.js';
import type { Stores } from '../queue/QueueSystem.js';

export interface ConsoleAgent {
  url: string;
  username: string;
  password: string;
  queue: string;
  close(): Promise<void>;
}

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const benchQueue = 'console-bench';

/** Forks the agent under tsx and resolves with the URL it prints (`… is running at <url>`). */
async function forkAgent(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = fork('agent/main.ts', args, { cwd: repositoryRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the agent did not start within 60 s: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the agent exited with ${code} before listening: ${output}`));
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

export async function startConsoleAgent(stores: Stores, taskCount: number, progress: (line: string) => void): Promise<ConsoleAgent> {
  const database = `switchyard_bench_console_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: stores.postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const databaseUrl = new URL(stores.postgresAdminUrl);
  databaseUrl.pathname = `/${database}`;
  const prefix = `sybench-console-${randomBytes(3).toString('hex')}`;

  const pool = new pg.Pool({ connectionString: databaseUrl.toString() });
  await migrate(pool, { log: pino({ level: 'silent' }) });
  const username = 'bench';
  const password = randomBytes(16).toString('base64url');
  await new UserStore(pool).create({ username, password, role: 'operator' });
  await pool.end();

  const dataDir = await mkdtemp(join(tmpdir(), 'sybench-console-'));
  const { child, url } = await forkAgent(['agent', '--no-worker', '--port', '0', '--redis', stores.redisUrl, '--redis-prefix', prefix, '--database', databaseUrl.toString(), '--log-level', 'warn', '--data-dir', dataDir]);
  const close = async () => {
    await stopChild(child);
    await deletePrefix(stores.redisUrl, prefix);
    const client = new pg.Client({ connectionString: stores.postgresAdminUrl });
    await client.connect();
    await client.query(`drop database if exists ${database} with (force)`);
    await client.end();
  };
  try {
    const session = await createApiClient({ baseUrl: url }).call('auth.login', { body: { username, password } });
    const api = createApiClient({ baseUrl: url, authorization: () => `Bearer ${session.accessToken}` });
    await api.call('queues.create', { body: { name: benchQueue } });
    const types = ['invoice.send', 'report.build', 'image.resize', 'mail.deliver'];
    for (let start = 0; start < taskCount; start += maxBulkTasks) {
      const tasks = Array.from({ length: Math.min(maxBulkTasks, taskCount - start) }, (_, offset) => ({
        type: types[(start + offset) % types.length]!,
        payload: { index: start + offset, customer: `customer-${(start + offset) % 997}` },
      }));
      await api.call('tasks.enqueueBulk', { params: { name: benchQueue }, body: { tasks } });
      progress(`enqueued ${Math.min(start + maxBulkTasks, taskCount).toLocaleString('en-US')} of ${taskCount.toLocaleString('en-US')} tasks`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, username, password, queue: benchQueue, close };
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
