import type pg from 'pg';
import type { QueueDefinition } from '../../../shared/queue.js';
import type { TaskInput } from '../../../shared/task.js';
import { taskErrorCodes } from '../../../shared/taskErrors.js';
import type { Enqueued } from '../Engine.js';
import { EngineError } from '../EngineError.js';
import { prepareTasks, type PreparedTask } from '../taskSpec.js';
import { queueDefinitionOf, selectQueue, type QueueRow } from './queueRows.js';

/**
 * Writes a validated batch with one call of `engine_enqueue` (migration 0006) on `client`. The
 * batch travels as one JSON text, each task's spec embedded as it is, so neither side encodes a
 * payload twice. `notify`: the function itself wakes idle workers (inside the caller's
 * transaction); otherwise the answer says whether the caller should, after its commit.
 */
export async function enqueuePrepared(
  client: pg.ClientBase | pg.Pool,
  queue: string,
  prepared: readonly PreparedTask[],
  notify: boolean,
): Promise<{ enqueued: Enqueued[]; wake: boolean }> {
  if (prepared.length === 0) return { enqueued: [], wake: false };
  const rows = prepared.map(
    (task, index) =>
      `{"n":${index + 1},"id":"${task.id}","p":${task.priority},"r":${task.runAt},"d":${task.delayMs},"m":${task.maxAttempts},"s":${task.spec}}`,
  );
  const keyed = prepared.some((task) => task.idempotencyKey !== '');
  const keys = keyed ? prepared.map((task) => task.idempotencyKey || null) : null;
  const ids = keyed ? prepared.map((task) => task.id) : null;
  const { rows: answer } = await client
    .query<EnqueueAnswer>(enqueueTasks, [queue, `[${rows.join(',')}]`, keys, ids, notify])
    .catch((error: unknown) => {
      throw engineErrorOf(error, queue);
    });
  const { out_ids: answeredIds, out_deduplicated: deduplicated, out_wake: wake } = answer[0]!;
  const enqueued = prepared.map((task, index) => ({
    id: answeredIds?.[index] ?? task.id,
    deduplicated: deduplicated?.[index] ?? false,
  }));
  return { enqueued, wake };
}

/**
 * Enqueues inside whatever transaction `client` holds: validated with the queue's definition
 * (read with the same client), written with it, and the wake-up sent with the commit — a
 * rolled-back transaction leaves no task and wakes no one.
 */
export async function enqueueWithClient(client: pg.ClientBase, queue: string, tasks: readonly TaskInput[]): Promise<Enqueued[]> {
  const { rows } = await client.query<QueueRow>(selectQueue, [queue]);
  const row = rows[0];
  if (!row) throw unknownQueue(queue);
  const definition: QueueDefinition = queueDefinitionOf(row);
  return (await enqueuePrepared(client, queue, prepareTasks(definition, tasks), true)).enqueued;
}

interface EnqueueAnswer {
  out_ids: string[] | null;
  out_deduplicated: boolean[] | null;
  out_wake: boolean;
}

/** SQLSTATE the engine's functions raise for a queue that does not exist. */
export const unknownQueueState = 'SY001';

export function unknownQueue(queue: string): EngineError {
  return new EngineError(taskErrorCodes.unknownQueue, `queue '${queue}' does not exist`, 'queue');
}

/** An error of the engine's functions as an `EngineError` where it is one; others pass through. */
export function engineErrorOf(error: unknown, queue: string): unknown {
  return (error as { code?: string }).code === unknownQueueState ? unknownQueue(queue) : error;
}

const enqueueTasks = `select out_ids, out_deduplicated, out_wake from engine_enqueue($1, $2::json, $3::text[], $4::uuid[], $5)`;
