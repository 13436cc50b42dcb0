import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { messages, runProcess, signedIn, taskctl, taskctlMain } from './taskctlProcess.js';

/** script(1), from util-linux, runs a command on a pseudo-terminal. */
const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

interface Enqueued {
  id: string;
  deduplicated: boolean;
}

describe('taskctl tasks', () => {
  let api: ApiTestAgent;
  let env: Record<string, string>;
  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: 'jobs' } });
    await api.client('operator').call('queues.create', { body: { name: 'small', maxPayloadBytes: 64 } });
    env = await signedIn(api.url, 'operator', testPassword('operator'));
  });
  afterAll(async () => api?.close());

  const queued = async (queue: string) => (await api.client('viewer').call('queues.get', { params: { name: queue } })).counts.queued;
  const tasksFile = async (name: string, content: unknown) => {
    const path = join(env.HOME!, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('enqueues 25 000 tasks from a file in bulk, in chunks of at most 10 000', async () => {
    const before = await queued('jobs');
    const file = await tasksFile('many.json', Array.from({ length: 25_000 }, (_, index) => ({ type: 'bulk', payload: { index } })));
    const run = await taskctl(['tasks', 'enqueue', 'jobs', '--file', file, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const { tasks } = run.json<{ tasks: Enqueued[] }>();
    expect(tasks).toHaveLength(25_000);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(25_000);
    expect(await queued('jobs')).toBe(before + 25_000);
    const { entries } = await api.client('admin').call('audit.list', { query: { action: 'tasks.enqueueBulk' } });
    expect(entries).toHaveLength(3);
    const last = await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id: tasks[24_999]!.id } });
    expect(last).toMatchObject({ type: 'bulk', payload: { index: 24_999 }, state: 'queued' });
  });

  it.skipIf(!hasScript)(`draws a progress bar on stderr when stderr is a terminal and there is more than one chunk${hasScript ? '' : ' (skipped: script(1) is not installed to give it a terminal)'}`, async () => {
    const file = await tasksFile('some.json', Array.from({ length: 30 }, () => ({ type: 'bar' })));
    const quoted = [process.execPath, '--import', 'tsx', taskctlMain, 'tasks', 'enqueue', 'jobs', '--file', file, '--chunk-size', '10'].map((part) => `'${part}'`).join(' ');
    // script(1) gives the command a pseudo-terminal; everything it wrote comes back on stdout.
    const run = await runProcess('script', ['-qec', quoted, '/dev/null'], { env: { ...env, TERM: 'dumb' } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/enqueueing \[.*\] 100% \| 30\/30 tasks/);
    expect(run.stdout).toContain('enqueued 30 tasks from');
  });

  it('enqueues from stdin: an array in bulk, one object singly, JSON lines', async () => {
    const array = await taskctl(['tasks', 'enqueue', 'jobs'], { env, input: JSON.stringify([{ type: 'a' }, { type: 'b', priority: 9 }]) });
    expect(array.code, array.stderr).toBe(0);
    expect(array.stdout).toBe('enqueued 2 tasks from stdin to jobs in 1 request\n');

    const single = await taskctl(['tasks', 'enqueue', 'jobs', '--file', '-', '--json'], { env, input: JSON.stringify({ type: 'one', payload: { to: 'x' } }) });
    expect(single.code, single.stderr).toBe(0);
    const { id } = single.json<Enqueued>();
    expect(await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id } })).toMatchObject({ type: 'one', payload: { to: 'x' } });

    const lines = await taskctl(['tasks', 'enqueue', 'jobs', '--type', 'typed', '--priority', '2', '--json', '--file', '-'], { env, input: '{"payload":1}\n{"payload":2,"type":"own"}\n' });
    expect(lines.code, lines.stderr).toBe(0);
    const [first, second] = lines.json<{ tasks: Enqueued[] }>().tasks;
    expect(await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id: first!.id } })).toMatchObject({ type: 'typed', payload: 1, priority: 2 });
    expect(await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id: second!.id } })).toMatchObject({ type: 'own', payload: 2, priority: 2 });
  });

  it('enqueues one task from flags, gets it, cancels it', async () => {
    const enqueued = await taskctl(['tasks', 'enqueue', 'jobs', '--type', 'mail', '--payload', '{"to":"dana@example.com"}', '--priority', '7', '--json'], { env });
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const { id, deduplicated } = enqueued.json<Enqueued>();
    expect(deduplicated).toBe(false);

    const got = await taskctl(['tasks', 'get', 'jobs', id, '--json'], { env });
    expect(got.json()).toMatchObject({ id, queue: 'jobs', type: 'mail', payload: { to: 'dana@example.com' }, priority: 7, state: 'queued' });
    const forPeople = await taskctl(['tasks', 'get', 'jobs', id], { env });
    expect(forPeople.stdout).toMatch(/^id: +\S+$/m);
    expect(forPeople.stdout).toMatch(/^state: +queued$/m);
    expect(forPeople.stdout).toContain('{"to":"dana@example.com"}');

    const cancelled = await taskctl(['tasks', 'cancel', 'jobs', id, '--json'], { env });
    // (Not read back: the archiver may move a finished task out of the engine within a second.)
    expect(cancelled.json()).toEqual({ id, applied: true });
  });

  it('promotes a delayed task; promoting it again does not apply and still exits 0', async () => {
    const { id } = (await taskctl(['tasks', 'enqueue', 'jobs', '--type', 'later', '--delay-ms', '3600000', '--json'], { env })).json<Enqueued>();
    expect((await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id } })).state).toBe('scheduled');
    const promoted = await taskctl(['tasks', 'promote', 'jobs', id], { env });
    expect(promoted.stdout).toBe(`promoted ${id}\n`);
    expect((await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id } })).state).toBe('queued');
    const again = await taskctl(['tasks', 'promote', 'jobs', id], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${id} was not promoted`);
  });

  it('checks every task before sending any: a bad one deep in a file exits 1 naming it, and nothing is enqueued', async () => {
    const before = await queued('jobs');
    const tasks: Array<Record<string, unknown>> = Array.from({ length: 12_001 }, () => ({ type: 'fine' }));
    tasks[12_000] = { type: 'bad', priority: 42 };
    const run = await taskctl(['tasks', 'enqueue', 'jobs', '--file', await tasksFile('bad.json', tasks), '--json'], { env });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ error: { code: 'invalid_request', field: 'body.tasks[12000].priority' } });
    expect(messages(run.stderr)).toEqual([expect.stringMatching(/^taskctl: body\.tasks\[12000\]\.priority: .*; no task was enqueued$/)]);
    expect(await queued('jobs')).toBe(before);
  });

  it('a chunk the agent refuses: exits 1 naming the task by its place in the file, keeping the chunks before it', async () => {
    const tasks = Array.from({ length: 15 }, (_, index) => ({ type: 't', payload: index === 12 ? 'x'.repeat(200) : index }));
    const run = await taskctl(['tasks', 'enqueue', 'small', '--file', await tasksFile('big.json', tasks), '--chunk-size', '10', '--json'], { env });
    expect(run.code).toBe(1);
    const { error } = run.json<{ error: { status: number; field: string; enqueued: number; tasks: Enqueued[] } }>();
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large', field: 'body.tasks[12].payload', enqueued: 10 });
    expect(error.tasks).toHaveLength(10);
    expect(messages(run.stderr)[0]).toMatch(/the 10 tasks before task 10 were enqueued, none from there on/);
    expect(await queued('small')).toBe(10);
  });

  it('a task the agent refuses exits 1 naming the field', async () => {
    const run = await taskctl(['tasks', 'enqueue', 'small', '--type', 't', '--payload', JSON.stringify('x'.repeat(200))], { env });
    expect(run.code).toBe(1);
    expect(messages(run.stderr)).toEqual([expect.stringMatching(/^taskctl: .*64.* \(field body\.payload\)$/)]);
  });

  it('an unknown queue exits 1 with the agent’s message', async () => {
    const run = await taskctl(['tasks', 'enqueue', 'nowhere', '--type', 'x', '--json'], { env });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ error: { status: 404, code: 'not_found' } });
  });

  it('bad usage exits 2 with one line naming it: malformed --payload, an unreadable file, a file that is not JSON, a bad number', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--type', 'x', '--payload', '{"to":'], /^taskctl: --payload: not valid JSON/],
      [['--file', join(env.HOME!, 'absent.json')], /^taskctl: --file: cannot read .*absent\.json \(ENOENT\)$/],
      [['--file', await tasksFile('prose.txt', 'dear agent,\nplease run these\n')], /^taskctl: .*prose\.txt: neither JSON nor JSON lines \(line 1: /],
      [['--file', await tasksFile('numbers.json', '[1, 2]')], /^taskctl: .*numbers\.json: task 0 is not a JSON object$/],
      [['--type', 'x', '--priority', 'high'], /^taskctl: --priority: 'high' must be a whole number$/],
      [['--chunk-size', '20000', '--file', '-'], /^taskctl: --chunk-size: must be from 1 to 10000$/],
      [['--file', '-'], /^taskctl: stdin is empty/],
    ];
    for (const [args, line] of cases) {
      const run = await taskctl(['tasks', 'enqueue', 'jobs', ...args], { env });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(messages(run.stderr)).toEqual([expect.stringMatching(line)]);
      expect(run.stdout).toBe('');
    }
  });
});
