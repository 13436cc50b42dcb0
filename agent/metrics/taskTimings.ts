import type { Task } from '../../shared/task.js';

/** What one finished task tells the metrics, in whole milliseconds. */
export interface TaskTimings {
  /**
   * From when the task was due (`max(createdAt, runAt)`) to the start of its first attempt after
   * that; null for a task that never ran or was cancelled.
   */
  waitMs: number | null;
  /** Its last attempt: from `startedAt` to `finishedAt`; null for a task that never ran or was cancelled. */
  runMs: number | null;
  /** Attempts of this run that failed or whose lease ran out (a dead task's last one included). */
  failedAttempts: number;
}

/**
 * The timings of a finished task as the archiver hands it over. A task run again by hand (or
 * promoted) has its `runAt` moved to that moment, so attempts that started before it belong to an
 * earlier run, were counted when that run finished, and are skipped here.
 */
export function taskTimings(task: Task): TaskTimings {
  const due = Math.max(task.createdAt, task.runAt);
  const thisRun = task.history.filter((attempt) => attempt.startedAt >= due);
  const failedAttempts = thisRun.filter((attempt) => attempt.outcome === 'failed' || attempt.outcome === 'lease-expired').length;
  if (task.state === 'cancelled' || task.startedAt === null || task.finishedAt === null) return { waitMs: null, runMs: null, failedAttempts };
  const firstStart = thisRun.reduce((earliest, attempt) => Math.min(earliest, attempt.startedAt), task.startedAt);
  return {
    waitMs: Math.max(0, firstStart - due),
    runMs: Math.max(0, task.finishedAt - task.startedAt),
    failedAttempts,
  };
}
