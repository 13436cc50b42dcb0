/** What the numbers were measured on, written beside them in the JSON report. */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Stores } from './QueueSystem.js';

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  totalMemoryMb: number;
  loadAverage: number[];
  platform: string;
  node: string;
  redis: string;
  postgres: string;
  packages: Record<string, string>;
  /** The commit measured, `+changes` when agent/ or shared/ differ from it. */
  switchyard: string;
}

/** The commit of the working tree, marked when the engine's code has uncommitted changes. */
async function switchyardRevision(): Promise<string> {
  const git = (...args: string[]) => promisify(execFile)('git', args, { cwd: new URL('../..', import.meta.url) });
  try {
    const { stdout: commit } = await git('rev-parse', '--short', 'HEAD');
    const { stdout: changes } = await git('status', '--porcelain', '--', 'agent', 'shared');
    return `${commit.trim()}${changes.trim() === '' ? '' : '+changes'}`;
  } catch {
    return 'unknown';
  }
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

async function packageVersion(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    const text = await readFile(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8');
    return (JSON.parse(text) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function machineInfo(stores: Stores): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    redis: await redisVersion(stores.redisUrl),
    postgres: await postgresVersion(stores.postgresAdminUrl),
    packages: {
      bullmq: await packageVersion('bullmq'),
      'graphile-worker': await packageVersion('graphile-worker'),
      ioredis: await packageVersion('ioredis'),
      pg: await packageVersion('pg'),
    },
    switchyard: await switchyardRevision(),
  };
}
