import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../../agent/security/UserStore.js';
import { scratchDatabase } from '../../helpers/postgres.js';

const main = fileURLToPath(new URL('../../../agent/main.ts', import.meta.url));

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool | undefined;

beforeAll(async () => {
  database = await scratchDatabase();
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** Runs `switchyard <args>` with `stdin` piped in (or stdin closed when undefined) and answers its exit code and output. */
function switchyard(args: string[], stdin?: string, environment: Record<string, string> = { DATABASE_URL: database.url }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...environment },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

describe('switchyard user create', () => {
  it('creates the user with the password from stdin, migrating the database first', async () => {
    const result = await switchyard(['user', 'create', '--username', 'Olga', '--role', 'admin', '--password-stdin'], 'a long enough password\nsecond line\n');

    expect(result).toMatchObject({ code: 0, stdout: 'created user olga (admin)\n', stderr: '' });
    pool = new pg.Pool({ connectionString: database.url });
    const user = await new UserStore(pool).verifyCredentials('olga', 'a long enough password');
    expect(user).toMatchObject({ role: 'admin' });
    const { rows } = await pool.query<{ action: string; target: string; actor_kind: string }>('select action, target, actor_kind from audit_log');
    expect(rows).toEqual([{ action: 'user.create', target: user.id, actor_kind: 'system' }]);
  });

  it('takes the database from --database', async () => {
    const result = await switchyard(['user', 'create', '--username', 'pat', '--role', 'viewer', '--password-stdin', '--database', database.url], 'another long password\r\n');
    expect(result).toMatchObject({ code: 0, stdout: 'created user pat (viewer)\n' });
  });

  it('without a database, creates the user in the embedded records of the data directory', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'sy-user-'));
    try {
      const args = ['user', 'create', '--username', 'embedded', '--role', 'admin', '--password-stdin', '--data-dir', dataDirectory];
      expect(await switchyard(args, 'a long enough password\n', {})).toMatchObject({ code: 0, stdout: 'created user embedded (admin)\n' });
      const again = await switchyard(args, 'a long enough password\n', {});
      expect(again.code).toBe(2);
      expect(again.stderr).toBe('switchyard: --username: the username embedded is taken\n');
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line naming the field for a bad role, username, password or a taken name', async () => {
    const cases: [string[], string, string][] = [
      [['--username', 'quinn', '--role', 'root'], 'a long enough password\n', "switchyard: --role: 'root' must be one of admin, operator, viewer"],
      [['--username', 'has space', '--role', 'viewer'], 'a long enough password\n', 'switchyard: --username: the username must be 1 to 64 letters, digits, dots, underscores, hyphens or @'],
      [['--username', 'quinn', '--role', 'viewer'], 'short\n', 'switchyard: password: the password must be at least 12 characters long'],
      [['--username', 'OLGA', '--role', 'viewer'], 'a long enough password\n', 'switchyard: --username: the username olga is taken'],
    ];
    for (const [flags, stdin, line] of cases) {
      const result = await switchyard(['user', 'create', ...flags, '--password-stdin'], stdin);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([line]);
    }
  });

  it('exits 2 when there is no terminal to ask on and no --password-stdin', async () => {
    const result = await switchyard(['user', 'create', '--username', 'rita', '--role', 'viewer']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'switchyard: --password-stdin: stdin is not a terminal to ask for the password on; pipe the password in with --password-stdin',
    ]);
  });

  it('exits 2 when a required flag is missing', async () => {
    const result = await switchyard(['user', 'create', '--role', 'viewer', '--password-stdin'], 'a long enough password\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option '--username <name>' not specified/);
  });
});
