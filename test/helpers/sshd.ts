import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redisServer.js';
import { until } from './until.js';

const run = promisify(execFile);
export const sshdPath = '/usr/sbin/sshd';
export const sshKeygenPath = '/usr/bin/ssh-keygen';

/**
 * A real OpenSSH server for tunnel tests: `/usr/sbin/sshd -D -e -f <config>` on a free loopback
 * port, running as the current user, with its own host key, config and authorized_keys in a temp
 * folder. Only public-key authentication is on; TCP forwarding is allowed.
 */
export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  /** The user the server lets in (the one running the tests). */
  username: string;
  directory: string;
  /** The Ed25519 host key's public half, e.g. for `ssh-keygen -lf`. */
  hostPublicKeyPath: string;
  /** The public half of the host key of `type` (Ed25519 or one of `extraHostKeyTypes`). */
  hostPublicKeyPathOf(type: HostKeyType): string;
  /** A client key without a passphrase, already authorized. */
  clientKeyPath: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it, e.g. `SHA256:…`. */
  hostFingerprint(): Promise<string>;
  /** Generates a client key pair in the folder; authorizes it unless `authorize` is false. Returns the private key's path. */
  generateClientKey(options: { name: string; passphrase?: string; authorize?: boolean }): Promise<string>;
  /** Kills the server and every session it forked, then starts it again on the same port; with `newHostKey`, with a new host key. */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  /** Everything sshd wrote to stderr (`-e`), for a failure message. */
  log(): string;
  close(): Promise<void>;
}

/** Why sshd cannot run here, or null when it can. Tests skip with this reason printed. */
export function sshdUnavailable(): string | null {
  if (!existsSync(sshdPath)) return `${sshdPath} is missing (apt-get install openssh-server)`;
  if (!existsSync(sshKeygenPath)) return `${sshKeygenPath} is missing (apt-get install openssh-client)`;
  return null;
}

export type HostKeyType = 'ed25519' | 'rsa' | 'ecdsa';

async function generateKey(path: string, passphrase = '', type: HostKeyType = 'ed25519') {
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await run(sshKeygenPath, ['-q', '-t', type, '-N', passphrase, '-C', 'switchyard-test', '-f', path]);
}

/** Every process below `pid` (children, their children, …), read from /proc. */
async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name is in parentheses and may hold spaces; the parent id is the second field after it.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent) parents.set(Number(entry), parent);
  }
  const found: number[] = [];
  const visit = (id: number) => {
    for (const [child, parent] of parents) {
      if (parent !== id) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/**
 * Starts sshd and waits until it answers with its SSH banner. Throws with sshd's own words when it
 * cannot start. Its host key is Ed25519, plus one key of each of `extraHostKeyTypes`.
 */
export async function startTestSshd({ extraHostKeyTypes = [] }: { extraHostKeyTypes?: Array<Exclude<HostKeyType, 'ed25519'>> } = {}): Promise<TestSshd> {
  const reason = sshdUnavailable();
  if (reason) throw new Error(`cannot start sshd: ${reason}`);
  const isRoot = process.getuid?.() === 0;
  // sshd checks its privilege-separation folder at start when it runs as root.
  if (isRoot && !existsSync('/run/sshd')) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const directory = await mkdtemp(join(tmpdir(), 'switchyard-sshd-'));
  const port = await freePort();
  const username = userInfo().username;
  const hostKeyPath = join(directory, 'host_ed25519');
  const authorizedKeysPath = join(directory, 'authorized_keys');
  const configPath = join(directory, 'sshd_config');
  const clientKeyPath = join(directory, 'client_ed25519');
  let output = '';
  let child: ChildProcess | null = null;

  const hostKeyPathOf = (type: HostKeyType) => join(directory, `host_${type}`);
  await generateKey(hostKeyPath);
  for (const type of extraHostKeyTypes) await generateKey(hostKeyPathOf(type), '', type);
  await writeFile(authorizedKeysPath, '', { mode: 0o600 });
  await writeFile(
    configPath,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKeyPath}`,
      ...extraHostKeyTypes.map((type) => `HostKey ${hostKeyPathOf(type)}`),
      `AuthorizedKeysFile ${authorizedKeysPath}`,
      'PidFile none',
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      'UseDNS no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );

  const authorize = async (privateKeyPath: string) => {
    const publicKey = await readFile(`${privateKeyPath}.pub`, 'utf8');
    await writeFile(authorizedKeysPath, (await readFile(authorizedKeysPath, 'utf8')) + publicKey);
  };
  await generateKey(clientKeyPath);
  await authorize(clientKeyPath);

  /** True once the port answers with an SSH identification line. */
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setTimeout(1_000);
      socket.once('data', (data) => (socket.destroy(), resolve(data.toString('latin1').startsWith('SSH-2.0-'))));
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => (socket.destroy(), resolve(false)));
    });

  const launch = async () => {
    const started = spawn(sshdPath, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.on('data', (data: Buffer) => (output += data.toString()));
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    const ready = await Promise.race([until(answers, { timeoutMs: 10_000, message: 'sshd to answer' }).then(() => true), exited.then(() => false)]);
    if (!ready) {
      throw new Error(`sshd exited before accepting connections (running as ${isRoot ? 'root' : username}); its output:\n${output}`);
    }
  };

  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    // Each connection's sshd calls setsid(), leaving the listener's process group: find them by parent.
    const sessions = await descendantsOf(running.pid!);
    running.kill('SIGKILL');
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone with its parent.
      }
    }
    await exited;
  };

  try {
    await launch();
  } catch (error) {
    await stop();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    username,
    directory,
    hostPublicKeyPath: `${hostKeyPath}.pub`,
    hostPublicKeyPathOf: (type) => `${hostKeyPathOf(type)}.pub`,
    clientKeyPath,
    async hostFingerprint() {
      const { stdout } = await run(sshKeygenPath, ['-lf', `${hostKeyPath}.pub`]);
      const fingerprint = stdout.split(' ')[1];
      if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output: ${stdout}`);
      return fingerprint;
    },
    async generateClientKey({ name, passphrase = '', authorize: authorized = true }) {
      const path = join(directory, name);
      await generateKey(path, passphrase);
      if (authorized) await authorize(path);
      return path;
    },
    async restart({ newHostKey = false } = {}) {
      await stop();
      if (newHostKey) await generateKey(hostKeyPath);
      await launch();
    },
    log: () => output,
    async close() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
