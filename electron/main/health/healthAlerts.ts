/**
 * The alert rules of the health monitor, as a pure step from one check to the next:
 *
 * - **agent went away**: the cluster was up at the previous check and is down now (once per
 *   transition; a cluster never seen up does not alert);
 * - **queue stalled**: a queue that is not paused has tasks queued and no task finished
 *   (succeeded, dead or cancelled) for `stallChecks` checks in a row; once per stall — the rule
 *   re-arms when a task finishes, the queue empties or it is paused;
 * - **dead letters jumped**: the cluster's dead count grew by at least `deadJumpThreshold` since
 *   the previous check.
 */
import type { QueueSnapshot } from './readClusterSnapshot.js';

export interface AlertThresholds {
  /** Checks in a row without a finished task before a queue with waiting tasks counts as stalled. Default 3. */
  stallChecks: number;
  /** Growth of the dead count between two checks that raises an alert. Default 10. */
  deadJumpThreshold: number;
}

export const defaultAlertThresholds: AlertThresholds = { stallChecks: 3, deadJumpThreshold: 10 };

export type HealthAlertKind = 'agentDown' | 'queueStalled' | 'deadJump';

export interface HealthAlert {
  kind: HealthAlertKind;
  clusterId: string;
  /** One sentence for the notification, naming the cluster. */
  message: string;
}

/** What the rules remember of a cluster between checks. */
export interface AlertMemory {
  state: 'up' | 'down';
  dead: number | null;
  /** Per queue: finished count at the previous check, and checks in a row without progress. */
  queues: Map<string, { finished: number; idleChecks: number; alerted: boolean }>;
}

/** What one check saw of a cluster. */
export type CheckResult = { state: 'up'; queues: QueueSnapshot[] | null } | { state: 'down'; problem: string };

export function nextAlerts(
  cluster: { id: string; name: string },
  previous: AlertMemory | undefined,
  result: CheckResult,
  thresholds: AlertThresholds = defaultAlertThresholds,
): { alerts: HealthAlert[]; memory: AlertMemory } {
  const alert = (kind: HealthAlertKind, message: string): HealthAlert => ({ kind, clusterId: cluster.id, message: `${cluster.name}: ${message}` });
  if (result.state === 'down') {
    const alerts = previous?.state === 'up' ? [alert('agentDown', `the agent went away (${result.problem})`)] : [];
    // Keep the counters: when the agent comes back, jumps are measured from what it last said.
    return { alerts, memory: { state: 'down', dead: previous?.dead ?? null, queues: previous?.queues ?? new Map() } };
  }
  if (result.queues === null) return { alerts: [], memory: { state: 'up', dead: previous?.dead ?? null, queues: previous?.queues ?? new Map() } };

  const alerts: HealthAlert[] = [];
  const dead = result.queues.reduce((sum, queue) => sum + queue.dead, 0);
  if (previous?.dead != null && dead - previous.dead >= thresholds.deadJumpThreshold) {
    alerts.push(alert('deadJump', `dead letters jumped by ${dead - previous.dead} to ${dead}`));
  }

  const queues: AlertMemory['queues'] = new Map();
  for (const queue of result.queues) {
    const before = previous?.queues.get(queue.name);
    const waiting = queue.queued > 0 && !queue.paused;
    const progressed = before === undefined || queue.finished !== before.finished;
    const idleChecks = waiting && !progressed ? (before?.idleChecks ?? 0) + 1 : 0;
    let alerted = idleChecks > 0 && (before?.alerted ?? false);
    if (idleChecks >= thresholds.stallChecks && !alerted) {
      alerts.push(alert('queueStalled', `queue ${queue.name} stalled: ${queue.queued} queued and none finished in ${idleChecks} checks`));
      alerted = true;
    }
    queues.set(queue.name, { finished: queue.finished, idleChecks, alerted });
  }
  return { alerts, memory: { state: 'up', dead, queues } };
}
