/**
 * `npm start` where the desktop app cannot open: the launcher is run as `npm start` runs it, with
 * no display in its environment (and, on this machine, no Electron binary either), so it must say
 * why in one line, build the web console when it is not current, and start the agent with it. The agent gets a scratch data folder
 * and any free port, and no DATABASE_URL or REDIS_URL: everything embedded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';

const root = resolve(import.meta.dirname, '../../..');

function electronBinaryExists(): boolean {
  try {
    return existsSync(createRequire(import.meta.url)('electron') as string);
  } catch {
    return false;
  }
}

describe('npm start without a desktop', () => {
  let launcher: ChildProcess | undefined;
  let dataDirectory: string | undefined;

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) launcher.kill('SIGKILL');
    if (dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
  });

  it('says why in one line and runs the agent with the web console', async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'switchyard-launch-'));
    const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, DATABASE_URL: _database, REDIS_URL: _redis, ...environment } = process.env;
    launcher = spawn(process.execPath, ['--import', 'tsx', 'electron/launcher/launch.ts', '--port', '0', '--data-dir', dataDirectory, '--log-level', 'warn'], {
      cwd: root,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: launcher.stdout! }).on('line', (line) => lines.push(line));
    createInterface({ input: launcher.stderr! }).on('line', (line) => lines.push(line));

    const url = await until(() => lines.map((line) => /is running at (http:\/\/\S+)/.exec(line)?.[1]).find(Boolean), {
      timeoutMs: 150_000,
      intervalMs: 50,
      message: `the agent's URL in: ${lines.join('\n')}`,
    });
    const reasons = lines.filter((line) => line.startsWith('Desktop app unavailable'));
    expect(reasons).toHaveLength(1);
    const expected = electronBinaryExists() ? 'no display: DISPLAY and WAYLAND_DISPLAY are unset' : 'no Electron binary: run npm run desktop:electron';
    expect(reasons[0]).toBe(`Desktop app unavailable (${expected}); starting the agent with the web console instead.`);
    expect(lines.indexOf(reasons[0]!)).toBe(0);
    expect(lines.some((line) => line.includes('one-time setup token: '))).toBe(true);

    // The agent answers its API (unsigned: 401 with the API's error body) and serves the console at /.
    const info = await fetch(`${url}/api/v1/info`);
    expect(info.status).toBe(401);
    expect(((await info.json()) as { error: { code: string } }).error.code).toBeTruthy();
    // The launcher built the console first when it was missing or older than its sources.
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('The console is not built');

    const exited = new Promise<number | null>((resolve) => launcher!.once('exit', (code) => resolve(code)));
    launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/api/v1/info`)).rejects.toThrow();
  }, 180_000);
});
