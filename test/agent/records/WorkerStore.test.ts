import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerStore, type WorkerSnapshot } from '../../../agent/records/WorkerStore.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { until } from '../../helpers/until.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let pool: pg.Pool;
let store: WorkerStore;

beforeAll(async () => {
  database = await migratedDatabase();
  pool = database.pool;
  store = new WorkerStore(pool);
});

afterAll(async () => {
  await database?.close();
});

function snapshot(id: string, overrides: Partial<WorkerSnapshot> = {}): WorkerSnapshot {
  return { id, host: 'node-1', pid: 4242, queues: ['emails', 'reports'], slots: 8, startedAt: Date.parse('2025-01-02T03:04:05.678Z'), ...overrides };
}

async function find(id: string) {
  return (await store.list()).find((worker) => worker.id === id);
}

describe('WorkerStore', () => {
  it('registers a worker with a heartbeat from the database clock', async () => {
    const before = Date.now();
    await store.upsert(snapshot('w-register'));

    const worker = await find('w-register');
    expect(worker).toMatchObject({ ...snapshot('w-register'), stoppedAt: null });
    // Same machine, so the database clock agrees with ours to well within a minute.
    expect(Math.abs(worker!.lastHeartbeatAt - before)).toBeLessThan(60_000);
  });

  it('moves the heartbeat forward and takes the new snapshot on every upsert', async () => {
    await store.upsert(snapshot('w-beat'));
    const first = (await find('w-beat'))!.lastHeartbeatAt;

    const later = await until(async () => {
      await store.upsert(snapshot('w-beat', { queues: ['emails'], slots: 4 }));
      const worker = await find('w-beat');
      return worker && worker.lastHeartbeatAt > first ? worker : undefined;
    });

    expect(later).toMatchObject({ queues: ['emails'], slots: 4 });
  });

  it('marks a worker stopped once, and a heartbeat makes it running again', async () => {
    await store.upsert(snapshot('w-stop'));

    expect(await store.markStopped('w-stop')).toBe(true);
    expect((await find('w-stop'))!.stoppedAt).toEqual(expect.any(Number));
    expect(await store.markStopped('w-stop')).toBe(false);
    expect(await store.markStopped('w-never')).toBe(false);

    await store.upsert(snapshot('w-stop'));
    expect((await find('w-stop'))!.stoppedAt).toBeNull();
  });

  it('lists workers oldest start first', async () => {
    await store.upsert(snapshot('w-new', { startedAt: Date.parse('2030-01-01T00:00:00Z') }));
    await store.upsert(snapshot('w-old', { startedAt: Date.parse('2020-01-01T00:00:00Z') }));

    const ids = (await store.list()).map((worker) => worker.id);
    expect(ids[0]).toBe('w-old');
    expect(ids.at(-1)).toBe('w-new');
  });
});
