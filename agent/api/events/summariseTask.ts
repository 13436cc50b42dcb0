import type { TaskSummary } from '../../../shared/api/events.js';
import type { Task } from '../../../shared/task.js';

/** A task as events carry it: no payload, result, history or stack, so events stay small. */
export function summariseTask(task: Task): TaskSummary {
  return {
    id: task.id,
    queue: task.queue,
    type: task.type,
    state: task.state,
    priority: task.priority,
    runAt: task.runAt,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    error: task.error && { message: task.error.message, ...(task.error.code === undefined ? {} : { code: task.error.code }) },
  };
}
