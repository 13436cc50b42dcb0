import { spawn, spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { refused } from '../../../helpers/apiErrors.js';
import { messages, scratchHome, taskctl, taskctlMain } from './taskctlProcess.js';

/** script(1), from util-linux, runs a command on a pseudo-terminal. */
const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

/** Runs `taskctl <args>` on a pseudo-terminal, typing each answer once its prompt has appeared; answers all it printed. */
function onTerminal(args: string[], env: Record<string, string>, dialogue: Array<[prompt: string, answer: string]>): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, '--import', 'tsx', taskctlMain, ...args].map((part) => `'${part}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH!, TERM: 'dumb', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  const steps = [...dialogue];
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    const next = steps[0];
    if (next && screen.endsWith(next[0])) {
      steps.shift();
      child.stdin.write(`${next[1]}\r`);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

/** taskctl's sign-in with the file store (the keychain is tested in keyring.test.ts). */
describe('taskctl login, stored sign-ins and logout', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
  });
  afterAll(async () => api?.close());

  async function fileEnvironment(extra: Record<string, string> = {}) {
    const home = await scratchHome();
    const credentialsFile = join(home.XDG_CONFIG_HOME, 'switchyard', 'taskctl-credentials.json');
    return { env: { ...home, SWITCHYARD_URL: api.url, SWITCHYARD_CREDENTIALS: 'file', ...extra }, credentialsFile };
  }

  const storedTokens = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { refreshTokens: Record<string, string> }).refreshTokens;
  const login = (env: Record<string, string>, role: 'admin' | 'operator' | 'viewer' = 'operator') =>
    taskctl(['login', '--username', `${role}-user`, '--password-stdin'], { env, input: `${testPassword(role)}\n` });

  it('logs in with --password-stdin, keeps only the refresh token in a 0600 file with a warning, and rotates it on every command', async () => {
    const { env, credentialsFile } = await fileEnvironment();
    const signedIn = await login(env);
    expect(signedIn.code).toBe(0);
    expect(signedIn.stdout).toContain(`signed in to ${api.url} as operator-user (operator)`);
    expect(messages(signedIn.stderr)).toEqual([expect.stringMatching(/^taskctl: warning: credentials are set to file \(--credentials or SWITCHYARD_CREDENTIALS\); the refresh token is stored in .*taskctl-credentials\.json \(mode 0600\)/)]);
    expect(signedIn.stderr).toContain(credentialsFile);
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(env.XDG_CONFIG_HOME, 'switchyard'))).mode & 0o777).toBe(0o700);
    const text = await readFile(credentialsFile, 'utf8');
    expect(text).not.toContain(testPassword('operator'));
    const account = `${api.url}|operator-user`;
    const first = (await storedTokens(credentialsFile))[account];
    expect(Object.keys(await storedTokens(credentialsFile))).toEqual([account]);

    const listed = await taskctl(['queues', 'list', '--json'], { env });
    expect(listed.code).toBe(0);
    expect(listed.json()).toEqual({ queues: [] });
    const second = (await storedTokens(credentialsFile))[account];
    expect(second).not.toBe(first);
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);

    const me = await taskctl(['whoami', '--json'], { env });
    expect(me.json()).toMatchObject({ kind: 'user', name: 'operator-user', role: 'operator' });
  });

  it('with --json prints the user and where the token is, never a token', async () => {
    const { env, credentialsFile } = await fileEnvironment();
    const signedIn = await taskctl(['login', '--username', 'viewer-user', '--password-stdin', '--json'], { env, input: `${testPassword('viewer')}\n` });
    expect(signedIn.code).toBe(0);
    const answer = signedIn.json();
    expect(answer).toMatchObject({ url: api.url, user: { username: 'viewer-user', role: 'viewer' }, credentials: { store: 'file', location: credentialsFile } });
    expect(Object.keys(answer)).not.toContain('refreshToken');
    expect(signedIn.stdout).not.toContain(Object.values(await storedTokens(credentialsFile))[0]!);
  });

  it('falls back to the file, saying why, when no Secret Service can be reached (auto)', async () => {
    const { env, credentialsFile } = await fileEnvironment({ SWITCHYARD_CREDENTIALS: 'auto' });
    const signedIn = await login(env);
    expect(signedIn.code).toBe(0);
    expect(messages(signedIn.stderr)).toEqual([expect.stringMatching(/^taskctl: warning: the OS keychain is not available: .+; the refresh token is stored in .* \(mode 0600\)/)]);
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    expect((await taskctl(['queues', 'list'], { env })).code).toBe(0);
  });

  it.skipIf(!hasScript)(`on a terminal, asks for the username, then the password without echo${hasScript ? '' : ' (skipped: script(1) is not installed to give it a terminal)'}`, async () => {
    const { env, credentialsFile } = await fileEnvironment();
    const { code, screen } = await onTerminal(['login'], env, [
      ['username: ', 'operator-user'],
      ['password: ', testPassword('operator')],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toContain('operator-user\r\n');
    expect(screen).not.toContain(testPassword('operator'));
    expect(screen).toContain(`signed in to ${api.url} as operator-user`);
    expect(Object.keys(await storedTokens(credentialsFile))).toEqual([`${api.url}|operator-user`]);
  });

  it('without a terminal or --password-stdin, login is bad usage', async () => {
    const { env } = await fileEnvironment();
    const run = await taskctl(['login', '--username', 'operator-user'], { env });
    expect(run.code).toBe(2);
    expect(messages(run.stderr)).toEqual(['taskctl: stdin is not a terminal to ask for the password on; pipe it in with --password-stdin']);
  });

  it('refuses a wrong password with exit 1 and stores nothing', async () => {
    const { env, credentialsFile } = await fileEnvironment();
    const refusedLogin = await taskctl(['login', '--username', 'operator-user', '--password-stdin', '--json'], { env, input: 'not the password at all\n' });
    expect(refusedLogin.code).toBe(1);
    expect(refusedLogin.json()).toMatchObject({ error: { status: 401, code: 'unauthenticated' } });
    await expect(stat(credentialsFile)).rejects.toThrow(/ENOENT/);
  });

  it('without a sign-in or key, exits 1 saying how to sign in', async () => {
    const { env } = await fileEnvironment();
    const run = await taskctl(['queues', 'list'], { env });
    expect(run.code).toBe(1);
    expect(messages(run.stderr)).toEqual([`taskctl: not signed in to ${api.url}: run taskctl login, or give an API key with --api-key or SWITCHYARD_API_KEY`]);
  });

  it('logout revokes the sign-in at the agent and deletes the stored token', async () => {
    const { env, credentialsFile } = await fileEnvironment();
    await login(env);
    const token = Object.values(await storedTokens(credentialsFile))[0]!;
    const loggedOut = await taskctl(['logout', '--json'], { env });
    expect(loggedOut.code).toBe(0);
    expect(loggedOut.json()).toEqual({ url: api.url, username: 'operator-user', revoked: true });
    expect(await storedTokens(credentialsFile)).toEqual({});
    await refused(api.client().call('auth.refresh', { body: { refreshToken: token } }), 401);
    expect((await taskctl(['queues', 'list'], { env })).code).toBe(1);
  });

  it('serialises refreshes between processes: commands started together all succeed and the sign-in survives', async () => {
    const { env } = await fileEnvironment();
    await login(env);
    const runs = await Promise.all([1, 2, 3, 4].map(() => taskctl(['queues', 'list', '--json'], { env })));
    expect(runs.map((run) => [run.code, run.stderr])).toEqual(runs.map(() => [0, '']));
    expect((await taskctl(['whoami'], { env })).code).toBe(0);
  });

  it('a sign-in the agent ended (password changed) exits 1, is deleted, and says to log in again', async () => {
    const { env, credentialsFile } = await fileEnvironment();
    const user = await api.client('admin').call('users.create', { body: { username: 'rotating-rita', password: 'first long password', role: 'viewer' } });
    expect((await taskctl(['login', '--username', 'rotating-rita', '--password-stdin'], { env, input: 'first long password\n' })).code).toBe(0);
    await api.client('admin').call('users.update', { params: { id: user.id }, body: { password: 'second long password' } });
    const run = await taskctl(['queues', 'list'], { env });
    expect(run.code).toBe(1);
    expect(messages(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^taskctl: the sign-in of rotating-rita to ${api.url} has ended \\(.+\\); run taskctl login$`))]);
    expect(await storedTokens(credentialsFile)).toEqual({});
  });

  it('with several users signed in to one agent, --user chooses and its absence is bad usage', async () => {
    const { env } = await fileEnvironment();
    await login(env, 'operator');
    await login(env, 'viewer');
    const ambiguous = await taskctl(['whoami'], { env });
    expect(ambiguous.code).toBe(2);
    expect(messages(ambiguous.stderr)).toEqual([`taskctl: several users are signed in to ${api.url} (operator-user, viewer-user): choose one with --user or SWITCHYARD_USER`]);
    expect((await taskctl(['whoami', '--json', '--user', 'viewer-user'], { env })).json()).toMatchObject({ name: 'viewer-user' });
    expect((await taskctl(['whoami', '--json'], { env: { ...env, SWITCHYARD_USER: 'operator-user' } })).json()).toMatchObject({ name: 'operator-user' });
  });
});
