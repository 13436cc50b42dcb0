import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './redisServer.js';
import { until } from './until.js';

const run = promisify(execFile);

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

/** A running private Redis Cluster; `close()` kills its processes and removes their folders. */
export interface PrivateRedisCluster {
  /** The masters, in the order `redis-cli --cluster create` got them (first owns slots 0–5460). */
  nodes: ClusterNodeAddress[];
  close(): Promise<void>;
}

interface RunningNode {
  port: number;
  directory: string;
  child: ChildProcess;
}

const host = '127.0.0.1';

/** Kills a node's process (if it still runs) and removes its folder. */
async function stopNode({ child, directory }: RunningNode): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  await rm(directory, { recursive: true, force: true });
}

/** A probe that answers undefined instead of throwing while the node is not up yet. */
async function ask<T>(port: number, question: (probe: Redis) => Promise<T>): Promise<T | undefined> {
  const probe = new Redis({ host, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return await question(probe);
  } catch {
    return undefined;
  } finally {
    probe.disconnect();
  }
}

/**
 * Starts one cluster-enabled redis-server in its own temporary folder (its nodes.conf must not
 * land in the repo or be shared with another node). The cluster bus gets its own free port:
 * the default, port + 10 000, may be taken or past 65 535 for an ephemeral port.
 */
async function startNode(port: number, busPort: number): Promise<RunningNode> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-redis-cluster-'));
  const child = spawn(
    'redis-server',
    [
      '--port', String(port),
      '--bind', host,
      '--dir', directory,
      '--cluster-enabled', 'yes',
      '--cluster-config-file', join(directory, 'nodes.conf'),
      '--cluster-port', String(busPort),
      '--appendonly', 'no',
      '--save', '',
    ],
    { stdio: 'ignore' },
  );
  const node = { port, directory, child };
  try {
    await until(async () => (await ask(port, (probe) => probe.ping())) === 'PONG', { message: `cluster node ${port} to answer` });
  } catch (error) {
    await stopNode(node);
    throw error;
  }
  return node;
}

/**
 * A real Redis Cluster of `masters` (at least 3, as redis-cli requires) private redis-server
 * processes on loopback, no replicas, joined by `redis-cli --cluster create`. Resolves once
 * every node reports `cluster_state:ok`.
 */
export async function privateRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  // Two ports per node (client, bus), all different: freePort alone may hand out one twice.
  const ports = new Set<number>();
  while (ports.size < 2 * masters) ports.add(await freePort());
  const free = [...ports];
  const started = await Promise.allSettled(Array.from({ length: masters }, (_, index) => startNode(free[2 * index]!, free[2 * index + 1]!)));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const close = async () => {
    await Promise.all(running.map((node) => stopNode(node)));
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await run(
      'redis-cli',
      ['--cluster', 'create', ...running.map((node) => `${host}:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: 30_000 },
    );
    for (const node of running) {
      await until(async () => (await ask(node.port, (probe) => probe.cluster('INFO')))?.includes('cluster_state:ok'), {
        timeoutMs: 30_000,
        intervalMs: 50,
        message: `cluster node ${node.port} to report cluster_state:ok`,
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes: running.map((node) => ({ host, port: node.port })), close };
}
