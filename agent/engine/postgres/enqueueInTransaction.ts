import type pg from 'pg';
import type { TaskInput } from '../../../shared/task.js';
import type { Enqueued } from '../Engine.js';
import { enqueueWithClient } from './enqueueStatement.js';

/**
 * Transactional enqueue: enqueues on a queue of the Postgres engine with a client the application
 * already holds, inside whatever transaction it has open. The tasks are validated like every
 * enqueue (an `EngineError` names the bad field, and nothing is written); they exist only if the
 * transaction commits, and idle workers are woken by that commit (a NOTIFY sent with it). That
 * NOTIFY reaches no one on embedded PGlite (or while the engine's LISTEN connection is down):
 * call `engine.committed(queue)` after the commit so this process's idle workers wake too.
 * Without an open transaction the statement commits on its own.
 *
 * ```ts
 * await client.query('begin');
 * await client.query('insert into orders …');
 * await enqueueInTransaction(client, 'emails', { type: 'email.send', payload: { orderId } });
 * await client.query('commit');
 * ```
 *
 * The database must be the agent's records database (where migration 0006 created the engine's
 * tables), and the queue must have been created on the `postgres` engine.
 */
export async function enqueueInTransaction(client: pg.ClientBase, queue: string, task: TaskInput): Promise<Enqueued>;
export async function enqueueInTransaction(client: pg.ClientBase, queue: string, tasks: readonly TaskInput[]): Promise<Enqueued[]>;
export async function enqueueInTransaction(
  client: pg.ClientBase,
  queue: string,
  task: TaskInput | readonly TaskInput[],
): Promise<Enqueued | Enqueued[]> {
  if (Array.isArray(task)) return enqueueWithClient(client, queue, task as readonly TaskInput[]);
  const [enqueued] = await enqueueWithClient(client, queue, [task as TaskInput]);
  return enqueued!;
}
