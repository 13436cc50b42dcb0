import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../../../agent/engine/postgres/PostgresEngine.js';
import { queueDefinition } from '../../../../shared/queue.js';
import { migratedDatabase } from '../../../helpers/postgres.js';
import { until } from '../../../helpers/until.js';

describe('Postgres engine wake-ups', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let listening: PostgresEngine;
  let producing: PostgresEngine;

  beforeAll(async () => {
    database = await migratedDatabase();
    listening = new PostgresEngine({ pool: database.pool });
    // A second engine stands for another agent: its wake-ups reach the first only by NOTIFY.
    producing = new PostgresEngine({ pool: database.pool });
    await listening.defineQueue(queueDefinition({ name: 'wake', engine: 'postgres' }));
  });
  afterAll(async () => {
    await listening.close();
    await producing.close();
    await database.close();
  });

  async function listenerBackends(): Promise<number[]> {
    const { rows } = await database.pool.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and query = 'listen switchyard_wake'`,
    );
    return rows.map((row) => row.pid);
  }

  it('wakes another engine’s subscribers by NOTIFY, on one LISTEN connection outside the pool', async () => {
    let woken = 0;
    const stop = await listening.subscribe('wake', () => (woken += 1));
    expect(await listenerBackends()).toHaveLength(1);
    await producing.enqueue('wake', { type: 't' });
    await until(() => woken > 0, { message: 'a wake-up from the other engine' });
    await stop();
  });

  it('sends no wake-up for a task scheduled later than one already waiting', async () => {
    let woken = 0;
    const stop = await listening.subscribe('wake', () => (woken += 1));
    await producing.enqueue('wake', { type: 't', delayMs: 60_000 });
    await until(() => woken === 1, { message: 'the wake-up for the first scheduled task' });
    await producing.enqueue('wake', { type: 't', delayMs: 120_000 });
    // A later task wakes no one; a sooner one does, and arrives after anything sent before it.
    await producing.enqueue('wake', { type: 't', delayMs: 30_000 });
    await until(() => woken >= 2, { message: 'the wake-up for the sooner task' });
    expect(woken).toBe(2);
    await stop();
  });

  it('reconnects a lost LISTEN connection, waking subscribers meanwhile', async () => {
    let woken = 0;
    const stop = await listening.subscribe('wake', () => (woken += 1));
    const [pid] = await listenerBackends();
    await database.pool.query('select pg_terminate_backend($1)', [pid]);
    // Until it is back, subscribers are polled; once back it listens on a new backend.
    await until(async () => {
      const pids = await listenerBackends();
      return pids.length === 1 && pids[0] !== pid;
    }, { message: 'the LISTEN connection to come back' });
    const before = woken;
    await producing.enqueue('wake', { type: 't' });
    await until(() => woken > before, { message: 'a wake-up after the reconnect' });
    await stop();
  });
});
