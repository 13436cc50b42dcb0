import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisUrl } from './redis.js';

const fixture = fileURLToPath(new URL('../fixtures/crashWorker.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the process has exited, with its signal or code. */
  exited: Promise<string>;
  hasExited(): boolean;
}

/**
 * Which engine the worker process claims from. Either way it counts the runs of `record` tasks
 * in the Redis hash `<prefix>:runs`. A bare string is the Redis engine's key prefix.
 */
export type WorkerTarget = string | { engine: 'redis'; prefix: string } | { engine: 'postgres'; databaseUrl: string; prefix: string };

/** Starts test/fixtures/crashWorker.ts in its own process and waits until it works. */
export async function startWorkerProcess(target: WorkerTarget, queue: string, leaseMs = 1_000): Promise<WorkerProcess> {
  const resolved = typeof target === 'string' ? { engine: 'redis' as const, prefix: target } : target;
  const child = fork(fixture, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      ENGINE: resolved.engine,
      REDIS_URL: redisUrl,
      DATABASE_URL: resolved.engine === 'postgres' ? resolved.databaseUrl : '',
      PREFIX: resolved.prefix,
      QUEUE: queue,
      LEASE_MS: String(leaseMs),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exitedFlag = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve(signal ?? String(code));
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code, signal) => {
      // A poison task may kill the process before it reports ready; that is still a start.
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`worker process exited before it was ready (${signal ?? code})`));
    });
  });
  return { child, exited, hasExited: () => exitedFlag };
}
