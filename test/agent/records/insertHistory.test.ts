import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBackoff, type Task } from '../../../shared/task.js';
import { insertHistory, keepsPayload } from '../../../agent/records/insertHistory.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await migratedDatabase();
  pool = database.pool;
});

afterAll(async () => {
  await database?.close();
});

/** A finished task as an engine reports it. */
function finished(overrides: Partial<Task> = {}): Task {
  const finishedAt = Date.parse('2025-03-04T05:06:07.891Z');
  return {
    id: randomUUID(),
    queue: 'history',
    type: 'report.render',
    payload: { text: 'quote " backslash \\ brace { comma , ünïcode', list: [1, null] },
    state: 'succeeded',
    priority: 7,
    runAt: finishedAt - 2_000,
    attempts: 1,
    maxAttempts: 3,
    timeoutMs: 30_000,
    backoff: defaultBackoff,
    idempotencyKey: 'key-1',
    traceParent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    createdAt: finishedAt - 3_000,
    startedAt: finishedAt - 1_000,
    finishedAt,
    result: { pages: 3 },
    error: null,
    history: [{ attempt: 1, workerId: 'w1', startedAt: finishedAt - 1_000, finishedAt, outcome: 'succeeded', error: null }],
    ...overrides,
  };
}

async function row(id: string) {
  const { rows } = await pool.query('select * from task_history where id = $1', [id]);
  return rows[0];
}

describe('insertHistory', () => {
  it('writes every column of a batch in one statement', async () => {
    const task = finished();
    const dead = finished({ state: 'dead', payload: 'plain string', result: null, error: { message: 'boom', code: 'E_BOOM' }, startedAt: null, idempotencyKey: null, traceParent: null });

    expect(await insertHistory(pool, [task, dead], 'all')).toBe(2);

    expect(await row(task.id)).toMatchObject({
      queue: 'history',
      type: 'report.render',
      state: 'succeeded',
      priority: 7,
      payload: task.payload,
      result: { pages: 3 },
      error: null,
      attempts: 1,
      max_attempts: 3,
      attempt_history: task.history,
      idempotency_key: 'key-1',
      trace_parent: task.traceParent,
      created_at: new Date(task.createdAt),
      started_at: new Date(task.startedAt!),
      finished_at: new Date(task.finishedAt!),
      archived_at: expect.any(Date),
    });
    expect(await row(dead.id)).toMatchObject({ state: 'dead', payload: 'plain string', result: null, error: { message: 'boom', code: 'E_BOOM' }, started_at: null, idempotency_key: null, trace_parent: null });
  });

  it('stores what a handler produced even when PostgreSQL cannot hold it as is (U+0000, half a surrogate pair)', async () => {
    const error = { message: 'bad byte \u0000 and \ud800 half', stack: 'Error\n    at x' };
    const task = finished({
      state: 'dead',
      result: { ['key\u0000']: 'value \udc00' },
      error,
      history: [{ attempt: 1, workerId: 'w1', startedAt: 1, finishedAt: 2, outcome: 'failed', error }],
    });
    expect(await insertHistory(pool, [task], 'all')).toBe(1);
    const stored = await row(task.id);
    expect(stored.result).toEqual({ 'key\uFFFD': 'value \uFFFD' });
    expect(stored.error.message).toBe('bad byte \uFFFD and \uFFFD half');
    expect(stored.attempt_history[0].error.message).toBe('bad byte \uFFFD and \uFFFD half');
  });

  it('skips tasks already archived', async () => {
    const first = finished();
    await insertHistory(pool, [first], 'all');

    expect(await insertHistory(pool, [first, finished()], 'all')).toBe(1);
    expect(await insertHistory(pool, [], 'all')).toBe(0);
    expect((await pool.query('select 1 from task_history where id = $1', [first.id])).rowCount).toBe(1);
  });

  it('replaces a row only with a later finish of the same task', async () => {
    const dead = finished({ state: 'dead', error: { message: 'first run failed' } });
    await insertHistory(pool, [dead], 'all');
    const rerun = { ...dead, state: 'succeeded' as const, error: null, attempts: 2, finishedAt: dead.finishedAt! + 60_000 };

    expect(await insertHistory(pool, [rerun, dead], 'all')).toBe(1);
    expect(await row(dead.id)).toMatchObject({ state: 'succeeded', error: null, attempts: 2, finished_at: new Date(rerun.finishedAt) });

    expect(await insertHistory(pool, [dead], 'all')).toBe(0);
    expect(await row(dead.id)).toMatchObject({ state: 'succeeded' });
  });

  it('keeps payloads as the retention policy says', () => {
    expect(keepsPayload('all', { state: 'succeeded' })).toBe(true);
    expect(keepsPayload('failed', { state: 'succeeded' })).toBe(false);
    expect(keepsPayload('failed', { state: 'dead' })).toBe(true);
    expect(keepsPayload('failed', { state: 'cancelled' })).toBe(true);
    expect(keepsPayload('none', { state: 'dead' })).toBe(false);
  });

  it('drops payloads the policy does not keep', async () => {
    const succeeded = finished();
    const dead = finished({ state: 'dead' });
    await insertHistory(pool, [succeeded, dead], 'failed');

    expect((await row(succeeded.id))?.payload).toBeNull();
    expect((await row(dead.id))?.payload).toEqual(dead.payload);
  });
});
