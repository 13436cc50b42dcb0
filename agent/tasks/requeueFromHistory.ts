import type { Engine } from '../engine/Engine.js';
import type { HistoryTask, TaskHistory } from '../records/TaskHistory.js';

/**
 * Runs an archived task again: enqueues a copy (a new id) with its type, payload — or the edited
 * payload given — priority, attempts allowed, timeout, retry policy and trace context, and marks
 * the original `requeued_as` the copy, which takes it out of the dead-letter queue.
 *
 * The copy's idempotency key is `requeue:<original id>`: should the agent fail between the
 * enqueue and the mark, requeueing again answers the same copy instead of a second one. (The
 * original's own key is not carried over: within its window it would answer the original.)
 * Answers the copy's id.
 */
export async function requeueFromHistory(engine: Engine, history: TaskHistory, task: HistoryTask, payload: unknown = task.payload): Promise<string> {
  const { id } = await engine.enqueue(task.queue, {
    type: task.type,
    payload,
    priority: task.priority,
    maxAttempts: task.maxAttempts,
    timeoutMs: task.timeoutMs,
    backoff: task.backoff,
    idempotencyKey: `requeue:${task.id}`,
    ...(task.traceParent ? { traceParent: task.traceParent } : {}),
  });
  await history.markRequeued([{ id: task.id, requeuedAs: id }]);
  return id;
}
