import { describe, expect, it } from 'vitest';
import { taskTimings } from '../../../agent/metrics/taskTimings.js';
import { defaultBackoff, type AttemptRecord, type Task } from '../../../shared/task.js';

function task(fields: Partial<Task>): Task {
  return {
    id: '0193a4b2-0000-7000-8000-000000000001',
    queue: 'mail',
    type: 'send',
    payload: null,
    state: 'succeeded',
    priority: 5,
    runAt: 1_000,
    attempts: 1,
    maxAttempts: 3,
    timeoutMs: 30_000,
    backoff: defaultBackoff,
    idempotencyKey: null,
    traceParent: null,
    createdAt: 1_000,
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
    history: [],
    ...fields,
  };
}

function attempt(attemptNumber: number, startedAt: number, finishedAt: number, outcome: AttemptRecord['outcome']): AttemptRecord {
  return { attempt: attemptNumber, workerId: 'w', startedAt, finishedAt, outcome, error: null };
}

describe('taskTimings', () => {
  it('wait is from when the task was due to its first start; run is its last attempt', () => {
    expect(taskTimings(task({ startedAt: 1_250, finishedAt: 1_400, history: [attempt(1, 1_250, 1_400, 'succeeded')] }))).toEqual({ waitMs: 250, runMs: 150, failedAttempts: 0 });
    // Delayed: due at runAt, not at creation.
    expect(taskTimings(task({ runAt: 5_000, startedAt: 5_010, finishedAt: 5_020, history: [attempt(1, 5_010, 5_020, 'succeeded')] })).waitMs).toBe(10);
  });

  it('a retried task waits until its first attempt and runs its last; its failed attempts are counted', () => {
    const history = [attempt(1, 1_100, 1_200, 'failed'), attempt(2, 3_000, 3_100, 'lease-expired'), attempt(3, 6_000, 6_050, 'succeeded')];
    expect(taskTimings(task({ attempts: 3, startedAt: 6_000, finishedAt: 6_050, history }))).toEqual({ waitMs: 100, runMs: 50, failedAttempts: 2 });
    const dead = [attempt(1, 1_100, 1_200, 'failed'), attempt(2, 3_000, 3_100, 'failed')];
    expect(taskTimings(task({ state: 'dead', attempts: 2, startedAt: 3_000, finishedAt: 3_100, history: dead }))).toEqual({ waitMs: 100, runMs: 100, failedAttempts: 2 });
  });

  it('a task run again by hand counts only the attempts since (its runAt moved then)', () => {
    const history = [attempt(1, 1_100, 1_200, 'failed'), attempt(2, 9_500, 9_600, 'succeeded')];
    expect(taskTimings(task({ state: 'succeeded', runAt: 9_000, attempts: 2, startedAt: 9_500, finishedAt: 9_600, history }))).toEqual({ waitMs: 500, runMs: 100, failedAttempts: 0 });
  });

  it('a cancelled task, or one that never started, has no timings', () => {
    expect(taskTimings(task({ state: 'cancelled', finishedAt: 2_000 }))).toEqual({ waitMs: null, runMs: null, failedAttempts: 0 });
    const cancelledWhileRunning = task({ state: 'cancelled', startedAt: 1_500, finishedAt: 2_000, history: [attempt(1, 1_500, 2_000, 'cancelled')] });
    expect(taskTimings(cancelledWhileRunning)).toEqual({ waitMs: null, runMs: null, failedAttempts: 0 });
  });
});
