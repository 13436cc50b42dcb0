import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../../../agent/engine/Engine.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { until } from '../../../helpers/until.js';
import { messages, signedIn, taskctl } from './taskctlProcess.js';

describe('taskctl: search, retry, bulk actions, dead letters, drain, schedules', () => {
  let api: ApiTestAgent;
  let env: Record<string, string>;
  let dead: string[];
  const signature = 'invoice <n> missing @ bill (billing.js)';

  /** Enqueues tasks with one attempt each and fails them: they go dead, then the archiver moves them to history. */
  async function deadTasks(queue: string, count: number): Promise<string[]> {
    const { tasks } = await api.client('operator').call('tasks.enqueueBulk', {
      params: { name: queue },
      body: { tasks: Array.from({ length: count }, (_, n) => ({ type: 'bill', payload: { invoice: 1000 + n }, maxAttempts: 1, priority: 9 })) },
    });
    const claimed = await api.agent.engine.claim(queue, { workerId: 'test-worker', max: count, leaseMs: 60_000 });
    const outcomes: Outcome[] = claimed.tasks.map((task, n) => ({
      id: task.id,
      token: task.token,
      status: 'failed',
      error: { message: `invoice ${1000 + n} missing`, stack: `Error: invoice ${1000 + n} missing\n    at bill (/srv/app/billing.js:${10 + n}:5)` },
      retryDelayMs: 0,
    }));
    await api.agent.engine.acknowledge(queue, outcomes);
    const ids = tasks.map((task) => task.id);
    await until(async () => (await api.pool.query('select count(*)::int as n from task_history where id = any($1)', [ids])).rows[0].n === count, {
      message: 'the archiver to move the dead tasks to history',
    });
    return ids;
  }

  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: 'billing' } });
    await api.client('operator').call('queues.create', { body: { name: 'waiting' } });
    dead = await deadTasks('billing', 3);
    env = await signedIn(api.url, 'operator', testPassword('operator'));
  });
  afterAll(async () => api?.close());

  it('dead letters: groups, list, search, retry one, requeue the group, purge', async () => {
    const groups = await taskctl(['dlq', 'groups', '--queue', 'billing', '--json'], { env });
    expect(groups.code, groups.stderr).toBe(0);
    expect(groups.json()).toMatchObject({ groups: [{ queue: 'billing', signature, count: 3 }] });
    expect((await taskctl(['dlq', 'groups'], { env })).stdout).toMatch(/^billing +3 +invoice <n> missing/m);
    const listed = await taskctl(['dlq', 'list', 'billing', '--signature', signature, '--json'], { env });
    expect(listed.json<{ tasks: Array<{ id: string }> }>().tasks.map((task) => task.id).sort()).toEqual([...dead].sort());

    const found = await taskctl(['tasks', 'search', '--queue', 'billing', '--state', 'dead', '--text', 'invoice', '--json'], { env });
    expect(found.json<{ tasks: Array<{ id: string; source: string }> }>().tasks.map((task) => task.id).sort()).toEqual([...dead].sort());
    const table = await taskctl(['tasks', 'search', '--id', dead[0]!], { env });
    expect(table.stdout).toMatch(new RegExp(`^${dead[0]} +billing +bill +dead +1/1`, 'm'));

    const retried = await taskctl(['tasks', 'retry', 'billing', dead[0]!, '--json'], { env });
    expect(retried.json()).toMatchObject({ applied: true, copied: true });
    const requeued = await taskctl(['dlq', 'requeue', 'billing', '--signature', signature, '--json'], { env });
    expect(requeued.json<{ requeued: unknown[] }>().requeued).toHaveLength(2);
    expect((await api.client('viewer').call('queues.get', { params: { name: 'billing' } })).counts.queued).toBe(3);

    const purged = await taskctl(['dlq', 'purge', 'billing', '--json'], { env });
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.json()).toEqual({ purged: expect.any(Number) });
    expect((await taskctl(['dlq', 'requeue', 'billing'], { env })).code).toBe(2);
  });

  it('bulk actions count first and act only with --yes; drain cancels what waits', async () => {
    await api.client('operator').call('tasks.enqueueBulk', { params: { name: 'waiting' }, body: { tasks: Array.from({ length: 5 }, () => ({ type: 'later', delayMs: 3_600_000 })) } });
    await api.client('operator').call('tasks.enqueueBulk', { params: { name: 'waiting' }, body: { tasks: Array.from({ length: 4 }, () => ({ type: 'now' })) } });
    const counted = await taskctl(['tasks', 'bulk', 'promote', '--queue', 'waiting', '--state', 'scheduled'], { env });
    expect(counted.stdout).toBe('5 tasks match; run again with --yes to promote them\n');
    expect((await api.client('viewer').call('queues.get', { params: { name: 'waiting' } })).counts.scheduled).toBe(5);
    const promoted = await taskctl(['tasks', 'bulk', 'promote', '--queue', 'waiting', '--state', 'scheduled', '--yes', '--json'], { env });
    expect(promoted.json()).toMatchObject({ dryRun: false, applied: 5 });
    expect((await api.client('viewer').call('queues.get', { params: { name: 'waiting' } })).counts.queued).toBe(9);
    expect((await taskctl(['tasks', 'bulk', 'explode', '--queue', 'waiting'], { env })).code).toBe(2);

    const drained = await taskctl(['queues', 'drain', 'waiting', '--json'], { env });
    expect(drained.json()).toEqual({ cancelled: 9, more: false });
  });

  it('schedules: preview, create, list, update, get, delete', async () => {
    const preview = await taskctl(['schedules', 'preview', '0 9 * * 1', '--time-zone', 'Europe/Berlin', '--count', '2', '--from', '2026-01-01T00:00:00Z'], { env });
    expect(preview.stdout).toBe('2026-01-05T09:00:00+01:00\n2026-01-12T09:00:00+01:00\n');

    const created = await taskctl(['schedules', 'create', '--name', 'weekly-report', '--queue', 'waiting', '--cron', '0 9 * * 1', '--type', 'report', '--payload', '{"format":"pdf"}', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ name: 'weekly-report', queue: 'waiting', cron: '0 9 * * 1', timeZone: 'UTC', task: { type: 'report', payload: { format: 'pdf' } }, enabled: true });
    expect((await taskctl(['schedules', 'list'], { env })).stdout).toMatch(/^weekly-report +waiting +0 9 \* \* 1 +UTC +report +enabled/m);

    const updated = await taskctl(['schedules', 'update', 'weekly-report', '--priority', '8', '--disable', '--json'], { env });
    expect(updated.json()).toMatchObject({ enabled: false, task: { type: 'report', payload: { format: 'pdf' }, priority: 8 } });
    expect((await taskctl(['schedules', 'get', 'weekly-report'], { env })).stdout).toMatch(/^state: +disabled$/m);

    const badCron = await taskctl(['schedules', 'create', '--name', 'broken', '--queue', 'waiting', '--cron', 'every tuesday', '--type', 'x'], { env });
    expect(badCron.code).toBe(1);
    expect(messages(badCron.stderr)).toEqual([expect.stringMatching(/^taskctl: body\.cron: /)]);

    expect((await taskctl(['schedules', 'delete', 'weekly-report'], { env })).stdout).toBe('deleted schedule weekly-report\n');
    const gone = await taskctl(['schedules', 'get', 'weekly-report'], { env });
    expect(gone.code).toBe(1);
    expect(messages(gone.stderr)).toEqual(['taskctl: no schedule is named weekly-report']);
  });

  it('workers drain and stop name an unknown worker with exit 1', async () => {
    const run = await taskctl(['workers', 'drain', 'no-such-worker', '--json'], { env });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ error: { status: 404 } });
  });
});
