import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until.js';

/**
 * A private GNOME Keyring for keytar: its own D-Bus session bus and a keyring daemon (Secret
 * Service only) with HOME and the XDG folders in a scratch folder, so the user's own keyring is
 * never touched. `startKeyring` points this process at the bus (`DBUS_SESSION_BUS_ADDRESS`); call
 * it before keytar's first use, since libsecret connects to the bus once. `close` kills both
 * daemons and removes the folder.
 */
export interface TestKeyring {
  busAddress: string;
  close(): Promise<void>;
}

const tools = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'];

/** Why keyring tests cannot run here (a tool is missing), or '' when they can. */
export function keyringSkipReason(): string {
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  return missing.length > 0 ? `skipped: ${missing.join(', ')} not installed, so there is no Secret Service to test keytar against` : '';
}

export async function startKeyring(): Promise<TestKeyring> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-keyring-'));
  const folders = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), XDG_RUNTIME_DIR: join(home, 'runtime') };
  for (const folder of Object.values(folders)) await mkdir(folder, { recursive: true, mode: 0o700 });
  const environment = { PATH: process.env.PATH!, ...folders };

  // Not forked: the bus is this process's child, so `close` ends it by its pid and reaps it.
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const busExited = new Promise<void>((resolve) => bus.once('exit', () => resolve()));
  const busAddress = await new Promise<string>((resolve, reject) => {
    let output = '';
    bus.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve(line.trim());
    });
    bus.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bus.once('error', reject);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${output}`)));
  });
  const withBus = { ...environment, DBUS_SESSION_BUS_ADDRESS: busAddress };

  // In the foreground, so the daemon is this process's child and `close` can end it by its pid.
  const daemon: ChildProcess = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env: withBus, stdio: ['pipe', 'ignore', 'ignore'] });
  daemon.stdin!.end('keyring-password');
  const daemonExited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const stopBus = async () => {
    bus.kill();
    await busExited;
  };
  try {
    await until(
      () => {
        if (daemon.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with ${daemon.exitCode}`);
        const owner = spawnSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], {
          env: withBus,
          encoding: 'utf8',
        });
        return owner.stdout.includes('boolean true');
      },
      { timeoutMs: 10_000, intervalMs: 50, message: 'the Secret Service on the test bus' },
    );
  } catch (error) {
    daemon.kill();
    await stopBus();
    throw error;
  }
  process.env.DBUS_SESSION_BUS_ADDRESS = busAddress;

  return {
    busAddress,
    async close() {
      daemon.kill();
      await daemonExited;
      await stopBus();
      await rm(home, { recursive: true, force: true });
    },
  };
}
