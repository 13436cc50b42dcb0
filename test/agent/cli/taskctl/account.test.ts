import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { refused } from '../../../helpers/apiErrors.js';
import { messages, scratchHome, taskctl } from './taskctlProcess.js';

describe('taskctl setup (the first admin) and password (your own)', () => {
  let api: ApiTestAgent;
  let token: string;
  beforeAll(async () => {
    api = await startApiTestAgent({ withUsers: false });
    const line = api.logs.find((entry) => String(entry.msg).includes('one-time setup token'));
    token = String(line?.msg).split(': ').at(-1)!;
  });
  afterAll(async () => api?.close());

  it('creates the first admin with the setup token and signs in as them; the password change ends that sign-in', async () => {
    const home = await scratchHome();
    const env = { ...home, SWITCHYARD_URL: api.url, SWITCHYARD_CREDENTIALS: 'file' };
    const wrong = await taskctl(['setup', '--token', `${token}x`, '--username', 'root', '--password-stdin'], { env, input: 'a long enough password\n' });
    expect(wrong.code).toBe(1);

    const setup = await taskctl(['setup', '--token', token, '--username', 'root', '--password-stdin'], { env, input: 'a long enough password\n' });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('signed in to');
    expect((await taskctl(['whoami', '--json'], { env })).json()).toMatchObject({ name: 'root', role: 'admin' });

    const credentialsFile = join(home.XDG_CONFIG_HOME, 'switchyard', 'taskctl-credentials.json');
    const badStdin = await taskctl(['password', '--password-stdin'], { env, input: 'a long enough password\n' });
    expect(badStdin.code).toBe(2);
    const weak = await taskctl(['password', '--password-stdin'], { env, input: 'a long enough password\nshort\n' });
    expect(weak.code).toBe(1);
    expect(messages(weak.stderr)).toEqual([expect.stringMatching(/newPassword/)]);

    const changed = await taskctl(['password', '--password-stdin'], { env, input: 'a long enough password\nan even longer password\n' });
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toBe('password changed; every sign-in has ended: run taskctl login --username root\n');
    const { refreshTokens } = JSON.parse(await readFile(credentialsFile, 'utf8')) as { refreshTokens: Record<string, string> };
    expect(refreshTokens).toEqual({});
    await refused(api.client().call('auth.login', { body: { username: 'root', password: 'a long enough password' } }), 401);
    expect((await taskctl(['login', '--username', 'root', '--password-stdin'], { env, input: 'an even longer password\n' })).code).toBe(0);
  });
});
