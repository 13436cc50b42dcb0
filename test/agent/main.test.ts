import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scratchDatabase } from '../helpers/postgres.js';
import { isolatedRedis, redisUrl } from '../helpers/redis.js';
import { freePort } from '../helpers/redisServer.js';
import { until } from '../helpers/until.js';

const main = fileURLToPath(new URL('../../agent/main.ts', import.meta.url));

/** Runs `switchyard <args>` to its end and answers its exit code and output. */
function switchyard(args: string[], environment: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('switchyard: '));
}

describe('switchyard agent: bad settings exit 2 with one line naming the setting', () => {
  it('refuses a bad port', async () => {
    const { code, stderr } = await switchyard(['agent', '--port', 'abc']);
    expect(code).toBe(2);
    expect(errorLines(stderr)).toEqual(["switchyard: --port: 'abc' must be a whole number from 0 to 65535"]);
  });

  it('refuses a bad variable', async () => {
    const { code, stderr } = await switchyard(['agent'], { REDIS_URL: 'http://nope' });
    expect(code).toBe(2);
    expect(errorLines(stderr)).toEqual(["switchyard: REDIS_URL: 'http://nope' must start with redis:// or rediss://"]);
  });

  it('refuses an unreachable Redis', async () => {
    const port = await freePort();
    const { code, stderr } = await switchyard(['agent', '--redis', `redis://127.0.0.1:${port}`, '--data-dir', await mkdtemp(join(tmpdir(), 'sy-'))]);
    expect(code).toBe(2);
    const lines = errorLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^switchyard: --redis \(REDIS_URL\): cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('refuses an unreachable database', async () => {
    const port = await freePort();
    const { code, stderr } = await switchyard(['agent', '--database', `postgres://postgres@127.0.0.1:${port}/x`, '--data-dir', await mkdtemp(join(tmpdir(), 'sy-'))]);
    expect(code).toBe(2);
    const lines = errorLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^switchyard: --database \(DATABASE_URL\): cannot use the database at postgres:/);
  });

  it('refuses a data directory it cannot write', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sy-')), 'a-file');
    await writeFile(file, 'not a folder');
    const { code, stderr } = await switchyard(['agent', '--data-dir', join(file, 'data')]);
    expect(code).toBe(2);
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/^switchyard: --data-dir \(SWITCHYARD_DATA_DIR\): cannot write to .*ENOTDIR$/)]);
  });

  it('refuses a data directory where the embedded database cannot live (no DATABASE_URL)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sy-'));
    await writeFile(join(directory, 'pglite'), 'a file where the database folder should be');
    const { code, stderr } = await switchyard(['agent', '--data-dir', directory]);
    expect(code).toBe(2);
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/^switchyard: --data-dir \(SWITCHYARD_DATA_DIR\): cannot open the embedded database in .*pglite: /)]);
  });

  it('refuses an unknown flag as bad usage', async () => {
    const { code } = await switchyard(['agent', '--no-such-flag']);
    expect(code).toBe(2);
  });
});

describe('switchyard agent: runs and stops', () => {
  it('serves until SIGTERM, then drains and exits 0', async () => {
    const database = await scratchDatabase();
    const { prefix, cleanup } = await isolatedRedis();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', main, 'agent', '--port', '0', '--log-level', 'warn'], {
        env: {
          PATH: process.env.PATH!,
          HOME: process.env.HOME!,
          REDIS_URL: redisUrl,
          SWITCHYARD_REDIS_PREFIX: prefix,
          DATABASE_URL: database.url,
          SWITCHYARD_DATA_DIR: await mkdtemp(join(tmpdir(), 'sy-')),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const url = await until(() => /is running at (http:\/\/\S+)/.exec(stdout)?.[1], { timeoutMs: 30_000, message: 'the agent to start' });
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await cleanup();
      await database.drop();
    }
  });
});
