import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleStore, type ScheduleFields } from '../../../agent/schedules/ScheduleStore.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let store: ScheduleStore;

beforeAll(async () => {
  database = await migratedDatabase();
  store = new ScheduleStore(database.pool);
});

afterAll(async () => {
  await database?.close();
});

const at = (iso: string) => Date.parse(iso);

function fields(overrides: Partial<ScheduleFields> = {}): ScheduleFields {
  return {
    name: 'nightly-report',
    queue: 'reports',
    cron: '0 2 * * *',
    timeZone: 'Europe/Berlin',
    task: { type: 'report.render', payload: { format: 'pdf', pages: [1, 2] }, priority: 7, backoff: { kind: 'fixed' } },
    missedTickPolicy: 'run-once',
    enabled: true,
    nextTickAt: at('2030-01-01T01:00:00Z'),
    ...overrides,
  };
}

describe('ScheduleStore', () => {
  it('creates a schedule and reads it back whole, by id and by name', async () => {
    const created = await store.create(fields());
    expect(created).toMatchObject({ ...fields(), revision: 1, lastTickAt: null });
    expect(created!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.get(created!.id)).toEqual(created);
    expect(await store.getByName('nightly-report')).toEqual(created);
    expect(await store.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('refuses a second schedule of the same name', async () => {
    expect(await store.create(fields({ queue: 'other' }))).toBeUndefined();
    expect((await store.list()).filter((schedule) => schedule.name === 'nightly-report')).toHaveLength(1);
  });

  it('lists by name', async () => {
    await store.create(fields({ name: 'a-first' }));
    expect((await store.list()).map((schedule) => schedule.name)).toEqual(['a-first', 'nightly-report']);
  });

  it('updates only at the revision read, raising it, and keeps the last tick', async () => {
    const before = (await store.getByName('nightly-report'))!;
    await store.advance(before, { lastTickAt: at('2030-01-01T01:00:00Z'), nextTickAt: at('2030-01-02T01:00:00Z') });
    const after = await store.update(before.id, before.revision, fields({ cron: '0 3 * * *', enabled: false, nextTickAt: null }));
    expect(after).toMatchObject({ cron: '0 3 * * *', enabled: false, nextTickAt: null, revision: 2, lastTickAt: at('2030-01-01T01:00:00Z') });
    expect(typeof after === 'object' && after.updatedAt).toBeGreaterThanOrEqual(before.updatedAt);
    expect(await store.update(before.id, before.revision, fields())).toBe('changed');
    expect(await store.update('00000000-0000-4000-8000-000000000000', 1, fields())).toBe('changed');
  });

  it('answers name-taken for a rename onto another schedule', async () => {
    const first = (await store.getByName('a-first'))!;
    expect(await store.update(first.id, first.revision, fields({ name: 'nightly-report' }))).toBe('name-taken');
  });

  it('lists due schedules, most overdue first, and the earliest next tick, enabled ones only', async () => {
    const due1 = (await store.create(fields({ name: 'due-1', nextTickAt: at('2020-01-01T00:00:05Z') })))!;
    const due2 = (await store.create(fields({ name: 'due-2', nextTickAt: at('2020-01-01T00:00:01Z') })))!;
    await store.create(fields({ name: 'off', enabled: false, nextTickAt: at('2019-01-01T00:00:00Z') }));
    expect((await store.due(at('2020-01-01T00:00:10Z'), 10)).map((schedule) => schedule.name)).toEqual(['due-2', 'due-1']);
    expect((await store.due(at('2020-01-01T00:00:10Z'), 1)).map((schedule) => schedule.name)).toEqual(['due-2']);
    expect(await store.due(at('2020-01-01T00:00:00Z'), 10)).toEqual([]);
    expect(await store.earliestNextTick()).toBe(at('2020-01-01T00:00:01Z'));
    await store.delete(due1.id);
    await store.delete(due2.id);
  });

  it('advances only from the position read: of two schedulers that read the same, one wins', async () => {
    const schedule = (await store.create(fields({ name: 'contended', nextTickAt: at('2030-05-01T00:00:00Z') })))!;
    const first = await store.advance(schedule, { lastTickAt: at('2030-05-01T00:00:00Z'), nextTickAt: at('2030-05-02T00:00:00Z') });
    const second = await store.advance(schedule, { lastTickAt: at('2030-05-01T00:00:00Z'), nextTickAt: at('2030-05-02T00:00:00Z') });
    expect([first, second]).toEqual([true, false]);
    const moved = (await store.get(schedule.id))!;
    expect(moved).toMatchObject({ lastTickAt: at('2030-05-01T00:00:00Z'), nextTickAt: at('2030-05-02T00:00:00Z'), revision: 1 });
    // A skip leaves the last tick as it was: the next tick alone must still tell the positions apart.
    expect(await store.advance(moved, { lastTickAt: moved.lastTickAt, nextTickAt: at('2030-06-01T00:00:00Z') })).toBe(true);
    expect(await store.advance(moved, { lastTickAt: moved.lastTickAt, nextTickAt: at('2030-06-02T00:00:00Z') })).toBe(false);
  });

  it('does not advance a schedule changed through the API since it was read', async () => {
    const schedule = (await store.getByName('contended'))!;
    await store.update(schedule.id, schedule.revision, fields({ name: 'contended', cron: '0 4 * * *' }));
    expect(await store.advance(schedule, { lastTickAt: 0, nextTickAt: 1 })).toBe(false);
  });

  it('deletes, answering the schedule as it was', async () => {
    const schedule = (await store.getByName('contended'))!;
    expect(await store.delete(schedule.id)).toEqual(schedule);
    expect(await store.delete(schedule.id)).toBeUndefined();
    expect(await store.get(schedule.id)).toBeUndefined();
  });

  it('refuses in the table itself a bad name or policy', async () => {
    await expect(store.create(fields({ name: 'has space' }))).rejects.toThrow(/check constraint/);
    await expect(store.create(fields({ name: 'bad-policy', missedTickPolicy: 'sometimes' as never }))).rejects.toThrow(/check constraint/);
  });
});
