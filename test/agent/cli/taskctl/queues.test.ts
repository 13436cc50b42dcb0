import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { freePort } from '../../../helpers/redisServer.js';
import { messages, scratchHome, signedIn, taskctl } from './taskctlProcess.js';

describe('taskctl queues and workers', () => {
  let api: ApiTestAgent;
  let env: Record<string, string>;
  beforeAll(async () => {
    api = await startApiTestAgent();
    env = await signedIn(api.url, 'operator', testPassword('operator'));
  });
  afterAll(async () => api?.close());

  it('creates a queue with settings and lists it, as JSON and as a table', async () => {
    const created = await taskctl(['queues', 'create', 'mail', '--concurrency', '5', '--rate-limit', '100/1s', '--retention-payload', 'failed', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ definition: { name: 'mail', engine: 'redis', concurrency: 5, rateLimit: { max: 100, intervalMs: 1000 }, retention: { payload: 'failed' } }, paused: false });

    const listed = await taskctl(['queues', 'list', '--json'], { env });
    expect(listed.json<{ queues: Array<{ definition: { name: string } }> }>().queues.map((queue) => queue.definition.name)).toEqual(['mail']);
    const table = await taskctl(['queues', 'list'], { env });
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME +ENGINE +STATE +SCHEDULED +QUEUED/);
    expect(table.stdout).toMatch(/^mail +redis +running +0 +0/m);
  });

  it('updates, pauses, resumes and gets a queue', async () => {
    await taskctl(['queues', 'create', 'reports', '--engine', 'postgres'], { env });
    const updated = await taskctl(['queues', 'update', 'reports', '--concurrency', 'none', '--max-payload-bytes', '4096', '--json'], { env });
    expect(updated.json()).toMatchObject({ definition: { name: 'reports', engine: 'postgres', concurrency: null, maxPayloadBytes: 4096 } });
    expect((await taskctl(['queues', 'pause', 'reports', '--json'], { env })).json()).toMatchObject({ paused: true });
    const got = await taskctl(['queues', 'get', 'reports'], { env });
    expect(got.stdout).toMatch(/^state: +paused$/m);
    expect(got.stdout).toMatch(/^max payload: +4096 bytes$/m);
    expect((await taskctl(['queues', 'resume', 'reports', '--json'], { env })).json()).toMatchObject({ paused: false });
  });

  it('deletes a queue', async () => {
    await taskctl(['queues', 'create', 'doomed'], { env });
    const deleted = await taskctl(['queues', 'delete', 'doomed'], { env });
    expect(deleted).toMatchObject({ code: 0, stdout: 'deleted queue doomed\n' });
    const again = await taskctl(['queues', 'delete', 'doomed', '--json'], { env });
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ error: { status: 404, code: 'not_found' } });
  });

  it('shows metrics: the overview and one queue', async () => {
    const overview = await taskctl(['metrics', 'overview', '--json'], { env });
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.json<{ queues: Array<{ name: string }> }>().queues.map((queue) => queue.name)).toContain('mail');
    const history = await taskctl(['metrics', 'queue', 'mail', '--resolution', 'minute', '--since', '1h', '--json'], { env });
    expect(history.json()).toMatchObject({ queue: 'mail', resolution: 'minute', points: expect.any(Array) });
    expect((await taskctl(['metrics', 'queue', 'mail', '--resolution', 'hour'], { env })).code).toBe(2);
  });

  it('a call the agent refuses exits 1 with its message and the field', async () => {
    const badName = await taskctl(['queues', 'create', 'no spaces allowed'], { env });
    expect(badName.code).toBe(1);
    expect(messages(badName.stderr)).toEqual([expect.stringMatching(/^taskctl: body\.name: must be 1 to 64 letters/)]);
    const asJson = await taskctl(['queues', 'create', 'mail', '--max-payload-bytes', '0', '--json'], { env });
    expect(asJson.code).toBe(1);
    expect(asJson.json()).toMatchObject({ error: { status: 400, code: 'invalid_request', field: 'body.maxPayloadBytes' } });
    const exists = await taskctl(['queues', 'create', 'mail'], { env });
    expect(exists.code).toBe(1);
    expect(messages(exists.stderr)).toHaveLength(1);
  });

  it('a role without the permission is refused: exit 1', async () => {
    const viewer = await signedIn(api.url, 'viewer', testPassword('viewer'));
    const run = await taskctl(['queues', 'create', 'mine', '--json'], { env: viewer });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ error: { status: 403, code: 'forbidden' } });
  });

  it('lists workers and the queues nobody consumes', async () => {
    const run = await taskctl(['workers', 'list', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const answer = run.json<{ workers: unknown[]; queuesWithoutWorkers: string[] }>();
    expect(answer.queuesWithoutWorkers).toContain('mail');
    const table = await taskctl(['workers', 'list'], { env });
    expect(table.stdout).toContain('queues without workers (their tasks wait): ');
  });

  it('bad usage exits 2 with one line (and {"error":…} with --json): flags, arguments, settings', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['queues', 'list', '--bogus'], {}, /^taskctl: unknown option '--bogus' \(see taskctl queues list --help\)$/],
      [['queues', 'get'], {}, /^taskctl: missing required argument 'name'/],
      [['queues'], {}, /^taskctl: a subcommand is missing \(see taskctl queues --help\)$/],
      [['nonsense'], {}, /^taskctl: unknown command 'nonsense'/],
      [['queues', 'create', 'x', '--concurrency', 'lots'], {}, /^taskctl: --concurrency: 'lots' must be a whole number$/],
      [['queues', 'create', 'x', '--rate-limit', 'fast'], {}, /^taskctl: --rate-limit: 'fast' must be <max>\/<interval>/],
      [['queues', 'create', 'x', '--engine', 'sqlite'], {}, /^taskctl: --engine: 'sqlite' must be one of redis, postgres$/],
      [['queues', 'list', '--url', 'agent.local'], {}, /^taskctl: --url: 'agent\.local' is not a URL/],
      [['queues', 'list'], { SWITCHYARD_CREDENTIALS: 'vault' }, /^taskctl: SWITCHYARD_CREDENTIALS: 'vault' must be one of auto, keychain, file$/],
      [['queues', 'list', '--credentials', 'vault'], {}, /^taskctl: option '--credentials <store>' argument 'vault' is invalid/],
    ];
    for (const [args, extra, line] of cases) {
      const run = await taskctl([...args, '--json'], { env: { ...env, ...extra } });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(messages(run.stderr)).toEqual([expect.stringMatching(line)]);
      expect(run.json()).toEqual({ error: { code: 'usage', message: expect.any(String) } });
    }
  });

  it('--help exits 0; an unreachable agent exits 1 naming it', async () => {
    const help = await taskctl(['queues', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--rate-limit <max/interval>');
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await taskctl(['queues', 'list', '--api-key', 'sy_x_y'], { env: { ...(await scratchHome()), SWITCHYARD_URL: url } });
    expect(down.code).toBe(1);
    expect(messages(down.stderr)).toEqual([expect.stringMatching(new RegExp(`^taskctl: cannot reach the agent at ${url}: .*ECONNREFUSED`))]);
  });
});
