/**
 * The desktop app itself, launched by playwright-core's Electron driver from the built `out/`:
 * the window shows the console served by the gateway, with This computer, and `window.app`.
 *
 * Needs the Electron binary (`node_modules/electron/dist`, which `npm install` here does not
 * download: `npm run desktop:electron` does) and, on Linux, a display. Where either is missing the
 * test is skipped and says exactly that. Everything under it — gateway, IPC handlers, preload
 * bridge, This computer, health — is tested without Electron in the rest of test/electron/.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopAvailability } from '../../electron/launcher/desktopAvailability.js';
import { ensureDesktopBuilt } from '../../electron/launcher/desktopBuild.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../helpers/keyring.js';

const root = resolve(import.meta.dirname, '../..');
const availability = desktopAvailability({
  platform: process.platform,
  environment: process.env,
  resolveElectron: () => createRequire(import.meta.url)('electron') as string,
  fileExists: existsSync,
});
const skipReason = availability.available ? (keyringSkipReason() || null) : availability.reason;
if (skipReason) console.warn(`test/electron/app.e2e.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)(`the desktop app in Electron${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let keyring: TestKeyring;
  let userData: string;
  let application: ElectronApplication;

  beforeAll(async () => {
    await ensureDesktopBuilt(root);
    keyring = await startKeyring();
    userData = await mkdtemp(join(tmpdir(), 'switchyard-electron-'));
    const { DATABASE_URL: _database, REDIS_URL: _redis, ...environment } = process.env;
    application = await _electron.launch({
      executablePath: availability.available ? availability.electronPath : undefined,
      args: [root],
      cwd: root,
      env: { ...environment, SWITCHYARD_USER_DATA: userData, SWITCHYARD_NODE: process.execPath, DBUS_SESSION_BUS_ADDRESS: keyring.busAddress } as Record<string, string>,
      timeout: 60_000,
    });
  }, 120_000);
  afterAll(async () => {
    await application?.close();
    await keyring?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  it('shows the console from the gateway, with This computer and window.app', async () => {
    const page = await application.firstWindow();
    await page.getByText('This computer').first().waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await page.evaluate(() => (window as unknown as { app: { version: string } }).app.version)).toBe(version);
    // The bridge is functions over declared channels: no ipcRenderer, no Node in the page.
    expect(await page.evaluate(() => ({ require: typeof (window as unknown as { require?: unknown }).require, process: typeof (window as unknown as { process?: unknown }).process, keys: Object.keys((window as unknown as { app: object }).app) }))).toEqual({
      require: 'undefined',
      process: 'undefined',
      keys: ['version', 'clusters'],
    });
    const clusters = await page.evaluate(() => (window as unknown as { app: { clusters: { list(): Promise<Array<{ profile: { id: string } }>> } } }).app.clusters.list());
    expect(clusters.map((cluster) => cluster.profile.id)).toContain('this-computer');
    await page.screenshot({ path: join(root, 'test-results', 'electron-app.png') });
  });
});
