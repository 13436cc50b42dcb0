import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The entry file, run with tsx exactly as `npm run taskctl` does. */
export const taskctlMain = fileURLToPath(new URL('../../../../agent/cli/taskctl/main.ts', import.meta.url));

export interface TaskctlRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = Record<string, unknown>>(): T;
}

export interface TaskctlOptions {
  /** Environment over a minimal one (PATH only). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  input?: string;
}

/** Runs `taskctl <args>` to its end. */
export function taskctl(args: string[], { env = {}, input = '' }: TaskctlOptions = {}): Promise<TaskctlRun> {
  return runProcess(process.execPath, ['--import', 'tsx', taskctlMain, ...args], { env, input });
}

/** Runs any program with a minimal environment, collecting its output. */
export function runProcess(command: string, args: string[], { env = {}, input = '' }: TaskctlOptions = {}): Promise<TaskctlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** A fresh home and config folder, so no test reads or writes the real user's credentials. */
export async function scratchHome(): Promise<{ HOME: string; XDG_CONFIG_HOME: string; XDG_DATA_HOME: string; XDG_RUNTIME_DIR: string }> {
  const home = await mkdtemp(join(tmpdir(), 'taskctl-home-'));
  return { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home };
}

/** The lines taskctl wrote to stderr that are its own messages. */
export function messages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('taskctl: '));
}

/** An environment signed in to `url` as the test user of `role` (credentials in a 0600 file in a scratch home). */
export async function signedIn(url: string, role: 'admin' | 'operator' | 'viewer', password: string): Promise<Record<string, string>> {
  const env = { ...(await scratchHome()), SWITCHYARD_URL: url, SWITCHYARD_CREDENTIALS: 'file' };
  const login = await taskctl(['login', '--username', `${role}-user`, '--password-stdin'], { env, input: `${password}\n` });
  if (login.code !== 0) throw new Error(`taskctl login failed: ${login.stderr}`);
  return env;
}
