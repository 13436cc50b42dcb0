/**
 * The alert rules step by step, on the snapshots a check produces (HealthMonitor.test.ts runs
 * them against a real agent). These cover the edges: re-arming, paused queues, the first check.
 */
import { describe, expect, it } from 'vitest';
import { nextAlerts, type AlertMemory, type CheckResult } from '../../../electron/main/health/healthAlerts.js';
import type { QueueSnapshot } from '../../../electron/main/health/readClusterSnapshot.js';

const cluster = { id: 'prod', name: 'Prod' };
const thresholds = { stallChecks: 2, deadJumpThreshold: 5 };
const queue = (change: Partial<QueueSnapshot> = {}): QueueSnapshot => ({ name: 'mail', paused: false, queued: 3, finished: 10, dead: 0, ...change });
const up = (...queues: QueueSnapshot[]): CheckResult => ({ state: 'up', queues });

/** Runs the checks in order and answers the alert kinds each raised. */
function run(results: CheckResult[]): string[][] {
  let memory: AlertMemory | undefined;
  return results.map((result) => {
    const step = nextAlerts(cluster, memory, result, thresholds);
    memory = step.memory;
    return step.alerts.map((alert) => alert.kind);
  });
}

describe('nextAlerts', () => {
  it('alerts on up → down only, once per transition', () => {
    const down: CheckResult = { state: 'down', problem: 'connect ECONNREFUSED' };
    expect(run([down, down])).toEqual([[], []]);
    expect(run([up(), down, down, up(), down])).toEqual([[], ['agentDown'], [], [], ['agentDown']]);
  });

  it('re-arms the stall alert once a task finishes', () => {
    const stalled = up(queue());
    expect(run([stalled, stalled, stalled, stalled, up(queue({ finished: 11 })), up(queue({ finished: 11 })), up(queue({ finished: 11 }))])).toEqual([[], [], ['queueStalled'], [], [], [], ['queueStalled']]);
  });

  it('never calls a paused or empty queue stalled', () => {
    expect(run([up(queue({ paused: true })), up(queue({ paused: true })), up(queue({ paused: true }))]).flat()).toEqual([]);
    expect(run([up(queue({ queued: 0 })), up(queue({ queued: 0 })), up(queue({ queued: 0 }))]).flat()).toEqual([]);
  });

  it('alerts when the dead count grows by the threshold between two checks, across queues', () => {
    const other = (dead: number) => queue({ name: 'billing', queued: 0, dead });
    expect(run([up(queue({ queued: 0 }), other(0)), up(queue({ queued: 0, dead: 2 }), other(2)), up(queue({ queued: 0, dead: 5 }), other(4))])).toEqual([[], [], ['deadJump']]);
    // Measured from the last check the agent answered, across a time it was down.
    expect(run([up(other(1)), { state: 'down', problem: 'gone' }, up(other(9))])).toEqual([[], ['agentDown'], ['deadJump']]);
  });

  it('names the cluster and the numbers in the message', () => {
    const first = nextAlerts(cluster, undefined, up(queue({ queued: 0, dead: 1 })), thresholds);
    const second = nextAlerts(cluster, first.memory, up(queue({ queued: 0, dead: 7 })), thresholds);
    expect(second.alerts).toEqual([{ kind: 'deadJump', clusterId: 'prod', message: 'Prod: dead letters jumped by 6 to 7' }]);
  });
});
