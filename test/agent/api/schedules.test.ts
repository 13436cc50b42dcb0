import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleView } from '../../../shared/api/schemas/schedules.js';
import { scheduleTickKey } from '../../../shared/schedule.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { until } from '../../helpers/until.js';

const unknownId = '0193a4b2-0000-7000-8000-00000000abcd';

describe('schedule routes', () => {
  let api: ApiTestAgent;
  let nightly: ScheduleView;

  beforeAll(async () => {
    api = await startApiTestAgent();
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'reports' } });
    await operator.call('queues.create', { body: { name: 'tiny', maxPayloadBytes: 64 } });
  });
  afterAll(async () => api?.close());

  describe('POST /schedules', () => {
    it('creates a schedule with defaults and answers it with its next five runs', async () => {
      const before = Date.now();
      nightly = await api.client('operator').call('schedules.create', {
        body: { name: 'nightly', queue: 'reports', cron: '0 2 * * *', task: { type: 'report.render', payload: { format: 'pdf' } } },
      });
      expect(nightly).toMatchObject({
        name: 'nightly',
        queue: 'reports',
        cron: '0 2 * * *',
        timeZone: 'UTC',
        missedTickPolicy: 'skip',
        enabled: true,
        lastTickAt: null,
        task: { type: 'report.render', payload: { format: 'pdf' } },
      });
      expect(nightly.nextRuns).toHaveLength(5);
      expect(nightly.nextTickAt).toBe(nightly.nextRuns[0]!.at);
      expect(nightly.nextRuns[0]!.at).toBeGreaterThan(before);
      for (const run of nightly.nextRuns) {
        expect(new Date(run.at).getUTCHours()).toBe(2);
        expect(run.iso).toMatch(/T02:00:00\+00:00$/);
      }
    });

    it('reads the pattern in the time zone given', async () => {
      const created = await api.client('operator').call('schedules.create', {
        body: { name: 'berlin-morning', queue: 'reports', cron: '0 9 * * 1-5', timeZone: 'europe/berlin', task: { type: 'digest' }, missedTickPolicy: 'run-once', enabled: false },
      });
      expect(created).toMatchObject({ timeZone: 'Europe/Berlin', missedTickPolicy: 'run-once', enabled: false, nextTickAt: null, nextRuns: [] });
    });

    it('refuses a bad pattern with croner’s message, naming body.cron', async () => {
      const client = api.client('operator');
      const base = { name: 'bad', queue: 'reports', task: { type: 't' } };
      const error = await refused(client.call('schedules.create', { body: { ...base, cron: '61 * * * *' } }), 400, 'body.cron');
      expect(error.message).toMatch(/Invalid value for minute/);
      await refused(client.call('schedules.create', { body: { ...base, cron: 'at noon' } }), 400, 'body.cron');
      await refused(client.call('schedules.create', { body: { ...base, cron: '2030-01-01T00:00:00' } }), 400, 'body.cron');
      const never = await refused(client.call('schedules.create', { body: { ...base, cron: '0 0 30 2 *' } }), 400, 'body.cron');
      expect(never.message).toMatch(/no run time after now/);
    });

    it('refuses an unknown time zone, naming body.timeZone', async () => {
      const error = await refused(api.client('operator').call('schedules.create', { body: { name: 'bad', queue: 'reports', cron: '* * * * *', timeZone: 'Europe/Atlantis', task: { type: 't' } } }), 400, 'body.timeZone');
      expect(error.message).toMatch(/IANA/);
    });

    it('answers 404 naming body.queue for an unknown queue', async () => {
      await refused(api.client('operator').call('schedules.create', { body: { name: 'bad', queue: 'nope', cron: '* * * * *', task: { type: 't' } } }), 404, 'body.queue');
    });

    it('refuses a task the queue would refuse, naming body.task.<field>', async () => {
      const client = api.client('operator');
      const base = { name: 'bad', cron: '* * * * *' };
      const tooLarge = await refused(client.call('schedules.create', { body: { ...base, queue: 'tiny', task: { type: 't', payload: 'x'.repeat(100) } } }), 413, 'body.task.payload');
      expect(tooLarge.message).toMatch(/over the queue's limit of 64/);
      await refused(client.call('schedules.create', { body: { ...base, queue: 'reports', task: { type: 't', priority: 12 } } }), 400, 'body.task.priority');
      await refused(client.call('schedules.create', { body: { ...base, queue: 'reports', task: { type: '' } } }), 400, 'body.task.type');
      await refused(client.call('schedules.create', { body: { ...base, queue: 'reports', task: { type: 't', idempotencyKey: 'mine' } as never } }), 400, 'body.task');
      expect((await client.call('schedules.list', {})).schedules.map((schedule) => schedule.name)).not.toContain('bad');
    });

    it('refuses a second schedule of the same name with 409', async () => {
      await refused(api.client('operator').call('schedules.create', { body: { name: 'nightly', queue: 'reports', cron: '* * * * *', task: { type: 't' } } }), 409, 'body.name');
    });

    it('refuses a bad name and unknown fields', async () => {
      const client = api.client('operator');
      await refused(client.call('schedules.create', { body: { name: 'has space', queue: 'reports', cron: '* * * * *', task: { type: 't' } } }), 400, 'body.name');
      await refused(client.call('schedules.create', { body: { name: 'ok', queue: 'reports', cron: '* * * * *', task: { type: 't' }, colour: 'red' } as never }), 400);
    });
  });

  describe('GET /schedules and GET /schedules/:id', () => {
    it('lists by name and reads one', async () => {
      const { schedules } = await api.client('viewer').call('schedules.list', {});
      expect(schedules.map((schedule) => schedule.name)).toEqual(['berlin-morning', 'nightly']);
      expect(await api.client('viewer').call('schedules.get', { params: { id: nightly.id } })).toMatchObject({ id: nightly.id, name: 'nightly', nextTickAt: nightly.nextTickAt });
    });

    it('answers 404 naming params.id', async () => {
      await refused(api.client('viewer').call('schedules.get', { params: { id: unknownId } }), 404, 'params.id');
      await refused(api.client('viewer').call('schedules.get', { params: { id: 'not-a-uuid' } }), 400, 'params.id');
    });
  });

  describe('PATCH /schedules/:id', () => {
    it('changes the pattern and moves the next tick with it', async () => {
      const updated = await api.client('operator').call('schedules.update', { params: { id: nightly.id }, body: { cron: '30 3 * * *', timeZone: 'America/New_York' } });
      expect(updated).toMatchObject({ cron: '30 3 * * *', timeZone: 'America/New_York', task: nightly.task });
      expect(updated.nextRuns[0]!.iso).toMatch(/T03:30:00-0[45]:00$/);
      expect(updated.nextTickAt).toBe(updated.nextRuns[0]!.at);
    });

    it('disabling clears the next tick; enabling arms it again from now', async () => {
      const client = api.client('operator');
      expect(await client.call('schedules.update', { params: { id: nightly.id }, body: { enabled: false } })).toMatchObject({ enabled: false, nextTickAt: null, nextRuns: [] });
      const enabled = await client.call('schedules.update', { params: { id: nightly.id }, body: { enabled: true } });
      expect(enabled.nextTickAt).toBe(enabled.nextRuns[0]!.at);
    });

    it('keeps the next tick when only the task changes; the task is replaced whole', async () => {
      const client = api.client('operator');
      const before = await client.call('schedules.get', { params: { id: nightly.id } });
      const updated = await client.call('schedules.update', { params: { id: nightly.id }, body: { task: { type: 'report.render', priority: 9 } } });
      expect(updated.task).toEqual({ type: 'report.render', priority: 9 });
      expect(updated.nextTickAt).toBe(before.nextTickAt);
    });

    it('refuses bad changes naming the field, and changes nothing', async () => {
      const client = api.client('operator');
      const before = await client.call('schedules.get', { params: { id: nightly.id } });
      await refused(client.call('schedules.update', { params: { id: nightly.id }, body: { cron: '* * *' } }), 400, 'body.cron');
      await refused(client.call('schedules.update', { params: { id: nightly.id }, body: { timeZone: 'Nowhere' } }), 400, 'body.timeZone');
      await refused(client.call('schedules.update', { params: { id: nightly.id }, body: { queue: 'nope' } }), 404, 'body.queue');
      await refused(client.call('schedules.update', { params: { id: nightly.id }, body: { queue: 'tiny', task: { type: 't', payload: 'y'.repeat(80) } } }), 413, 'body.task.payload');
      await refused(client.call('schedules.update', { params: { id: nightly.id }, body: { name: 'berlin-morning' } }), 409, 'body.name');
      await refused(client.call('schedules.update', { params: { id: nightly.id }, body: {} }), 400);
      await refused(client.call('schedules.update', { params: { id: unknownId }, body: { enabled: false } }), 404, 'params.id');
      expect(await client.call('schedules.get', { params: { id: nightly.id } })).toMatchObject({ ...before, nextRuns: expect.any(Array) });
    });
  });

  describe('POST /schedules/preview', () => {
    const from = Date.UTC(2024, 2, 8);

    it("answers the next runs in the zone's own clock: New York and Berlin at 09:00", async () => {
      const viewer = api.client('viewer');
      const newYork = await viewer.call('schedules.preview', { body: { cron: '0 9 * * *', timeZone: 'America/New_York', count: 4, from } });
      expect(newYork.runs).toEqual([
        { at: Date.UTC(2024, 2, 8, 14), iso: '2024-03-08T09:00:00-05:00' },
        { at: Date.UTC(2024, 2, 9, 14), iso: '2024-03-09T09:00:00-05:00' },
        { at: Date.UTC(2024, 2, 10, 13), iso: '2024-03-10T09:00:00-04:00' },
        { at: Date.UTC(2024, 2, 11, 13), iso: '2024-03-11T09:00:00-04:00' },
      ]);
      const berlin = await viewer.call('schedules.preview', { body: { cron: '0 9 * * *', timeZone: 'Europe/Berlin', count: 2, from: Date.UTC(2024, 2, 30, 12) } });
      expect(berlin).toEqual({
        cron: '0 9 * * *',
        timeZone: 'Europe/Berlin',
        runs: [
          { at: Date.UTC(2024, 2, 31, 7), iso: '2024-03-31T09:00:00+02:00' },
          { at: Date.UTC(2024, 3, 1, 7), iso: '2024-04-01T09:00:00+02:00' },
        ],
      });
    });

    it('answers five runs from now by default, in UTC', async () => {
      const preview = await api.client('viewer').call('schedules.preview', { body: { cron: '@hourly' } });
      expect(preview.timeZone).toBe('UTC');
      expect(preview.runs).toHaveLength(5);
      expect(preview.runs[0]!.at).toBeGreaterThan(Date.now() - 1000);
    });

    it('answers fewer runs when the pattern runs out', async () => {
      expect((await api.client('viewer').call('schedules.preview', { body: { cron: '0 0 0 1 1 * 2020' } })).runs).toEqual([]);
    });

    it('refuses a bad pattern, zone or count, naming the field', async () => {
      const viewer = api.client('viewer');
      await refused(viewer.call('schedules.preview', { body: { cron: 'nope' } }), 400, 'body.cron');
      await refused(viewer.call('schedules.preview', { body: { cron: '* * * * *', timeZone: 'Mars/Base' } }), 400, 'body.timeZone');
      await refused(viewer.call('schedules.preview', { body: { cron: '* * * * *', count: 51 } }), 400, 'body.count');
      await refused(viewer.call('schedules.preview', { body: { cron: '* * * * *', count: 0 } }), 400, 'body.count');
    });
  });

  describe('roles', () => {
    it('a viewer reads and previews but cannot create, change or delete', async () => {
      const viewer = api.client('viewer');
      await refused(viewer.call('schedules.create', { body: { name: 'viewer-made', queue: 'reports', cron: '* * * * *', task: { type: 't' } } }), 403);
      await refused(viewer.call('schedules.update', { params: { id: nightly.id }, body: { enabled: false } }), 403);
      await refused(viewer.call('schedules.delete', { params: { id: nightly.id } }), 403);
      expect((await api.client('operator').call('schedules.get', { params: { id: nightly.id } })).enabled).toBe(true);
    });

    it('an API key with only tasks:write cannot read schedules; one with read can preview', async () => {
      const admin = api.client('admin');
      const producer = (await admin.call('keys.create', { body: { name: 'producer', scopes: ['tasks:write'] } })).key;
      const reader = (await admin.call('keys.create', { body: { name: 'reader', scopes: ['read'] } })).key;
      await refused(api.client({ authorization: `Bearer ${producer}` }).call('schedules.list', {}), 403);
      await refused(api.client({ authorization: `Bearer ${reader}` }).call('schedules.create', { body: { name: 'key-made', queue: 'reports', cron: '* * * * *', task: { type: 't' } } }), 403);
      expect((await api.client({ authorization: `Bearer ${reader}` }).call('schedules.preview', { body: { cron: '* * * * *', count: 1 } })).runs).toHaveLength(1);
    });

    it('nobody signed in gets 401', async () => {
      await refused(api.client().call('schedules.list', {}), 401);
    });
  });

  it('the leader enqueues the ticks of a schedule created through the API', async () => {
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'heartbeat' } });
    const created = await operator.call('schedules.create', { body: { name: 'every-second', queue: 'heartbeat', cron: '* * * * * *', task: { type: 'beat', payload: { n: 1 } } } });
    await until(async () => (await api.agent.engine.counts('heartbeat')).queued >= 1, { message: 'a tick to be enqueued' });
    await operator.call('schedules.update', { params: { id: created.id }, body: { enabled: false } });
    const { tasks } = await api.agent.engine.claim('heartbeat', { workerId: 'test', max: 100, leaseMs: 60_000 });
    expect(tasks[0]).toMatchObject({ type: 'beat', payload: { n: 1 }, idempotencyKey: scheduleTickKey(created.id, created.nextTickAt!) });
  });

  describe('DELETE /schedules/:id', () => {
    it('deletes, then answers 404', async () => {
      const client = api.client('operator');
      const doomed = await client.call('schedules.create', { body: { name: 'doomed', queue: 'reports', cron: '@daily', task: { type: 't' } } });
      await client.call('schedules.delete', { params: { id: doomed.id } });
      await refused(client.call('schedules.get', { params: { id: doomed.id } }), 404);
      await refused(client.call('schedules.delete', { params: { id: doomed.id } }), 404, 'params.id');
    });
  });

  it('writes every change to the audit log as schedule:<name>, without the payload', async () => {
    const admin = api.client('admin');
    const created = await admin.call('audit.list', { query: { action: 'schedules.create' } });
    const nightlyCreated = created.entries.find((entry) => entry.target === 'schedule:nightly');
    expect(nightlyCreated).toMatchObject({ actor: { name: 'operator-user', role: 'operator' }, before: null, after: { name: 'nightly', cron: '0 2 * * *', task: { type: 'report.render' } } });
    expect(JSON.stringify(nightlyCreated)).not.toContain('pdf');
    const { entries } = await admin.call('audit.list', { query: { action: 'schedules.update' } });
    expect(entries.find((entry) => (entry.before as { cron?: string }).cron === '0 2 * * *')).toMatchObject({ target: 'schedule:nightly', after: { cron: '30 3 * * *', timeZone: 'America/New_York' } });
    const deleted = await admin.call('audit.list', { query: { action: 'schedules.delete' } });
    expect(deleted.entries[0]).toMatchObject({ target: 'schedule:doomed', before: { name: 'doomed' }, after: null });
    expect((await admin.call('audit.list', { query: { action: 'schedules.preview' } })).entries).toEqual([]);
  });
});
