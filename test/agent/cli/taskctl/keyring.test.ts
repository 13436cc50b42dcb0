import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { refused } from '../../../helpers/apiErrors.js';
import { runProcess, scratchHome, taskctlMain } from './taskctlProcess.js';

/**
 * The real OS keychain: taskctl with keytar against GNOME Keyring's Secret Service, on a private
 * D-Bus session (dbus-run-session) with a keyring in a scratch home, so the user's own keyring
 * is never touched.
 */
const missingTools = ['dbus-run-session', 'gnome-keyring-daemon'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const skipReason = missingTools.length > 0 ? `skipped: ${missingTools.join(' and ')} not installed, so there is no Secret Service to test keytar against` : '';
if (skipReason) console.warn(`keyring.test.ts: ${skipReason}`);

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const readKeyring = `require('keytar').findCredentials('switchyard-taskctl').then((found) => console.log(JSON.stringify(found)), (error) => { console.error(error.message); process.exit(1); })`;

/** Runs the commands of `script` in one D-Bus session with an unlocked GNOME Keyring; each step writes `<name>.out`, `.err`, `.code`. */
const sessionScript = `
echo -n keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
step() { name=$1; shift; "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.code"; }
printf '%s\\n' "$TEST_PASSWORD" | step login "$NODE" --import tsx "$TASKCTL" login --username operator-user --password-stdin
step keyringAfterLogin "$NODE" -e "$READ_KEYRING"
step list "$NODE" --import tsx "$TASKCTL" queues list --json
step keyringAfterList "$NODE" -e "$READ_KEYRING"
step logout "$NODE" --import tsx "$TASKCTL" logout --json
step keyringAfterLogout "$NODE" -e "$READ_KEYRING"
`;

describe.skipIf(skipReason !== '')(`taskctl with the OS keychain (keytar + GNOME Keyring)${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
  });
  afterAll(async () => api?.close());

  it('keeps the refresh token in the keyring, rotates it there, writes no file, and logout removes it', async () => {
    const home = await scratchHome();
    const out = join(home.HOME, 'out');
    await runProcess('mkdir', ['-p', out]);
    const session = await runProcess('dbus-run-session', ['--', 'sh', '-c', sessionScript], {
      env: {
        ...home,
        OUT: out,
        NODE: process.execPath,
        TASKCTL: taskctlMain,
        READ_KEYRING: readKeyring,
        TEST_PASSWORD: testPassword('operator'),
        SWITCHYARD_URL: api.url,
        NODE_PATH: join(repositoryRoot, 'node_modules'),
      },
    });
    expect(session.code, session.stderr).toBe(0);
    const step = async (name: string) => ({
      code: Number(await readFile(join(out, `${name}.code`), 'utf8')),
      stdout: await readFile(join(out, `${name}.out`), 'utf8'),
      stderr: await readFile(join(out, `${name}.err`), 'utf8'),
    });
    const account = `${api.url}|operator-user`;

    const login = await step('login');
    expect(login, login.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toContain('the sign-in is kept in the OS keychain');
    const afterLogin = JSON.parse((await step('keyringAfterLogin')).stdout) as Array<{ account: string; password: string }>;
    expect(afterLogin.map((entry) => entry.account)).toEqual([account]);
    expect(afterLogin[0]!.password).toMatch(/^[0-9a-f-]{36}\.[\w-]+$/);

    const list = await step('list');
    expect(list, list.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout)).toEqual({ queues: [] });
    const afterList = JSON.parse((await step('keyringAfterList')).stdout) as Array<{ account: string; password: string }>;
    expect(afterList.map((entry) => entry.account)).toEqual([account]);
    expect(afterList[0]!.password).not.toBe(afterLogin[0]!.password);

    const logout = await step('logout');
    expect(logout, logout.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(logout.stdout)).toMatchObject({ revoked: true });
    expect(JSON.parse((await step('keyringAfterLogout')).stdout)).toEqual([]);
    await refused(api.client().call('auth.refresh', { body: { refreshToken: afterList[0]!.password } }), 401);

    await expect(stat(join(home.XDG_CONFIG_HOME, 'switchyard', 'taskctl-credentials.json'))).rejects.toThrow(/ENOENT/);
  });
});
