/**
 * Checks every cluster every `intervalMs` and keeps a `ClusterHealth` per cluster, for the cluster
 * list, the tray summary and the alerts (`healthAlerts.ts`). Plain Node: the desktop app makes
 * each target from the cluster's link — the upstream the gateway uses (direct URL or SSH tunnel)
 * and the cluster's current token — so a cluster nobody signed in to is still checked for
 * reachability (the agent answers 401: up, numbers unknown); tests point targets at an agent.
 *
 * While a cluster is down its health keeps the last known version and numbers (`lastSeenAt`
 * says how old they are), so the UI can show them marked stale.
 */
import { createApiClient, type FetchLike } from '../../../shared/api/client.js';
import type { ClusterHealth } from '../../../shared/clusters.js';
import { defaultAlertThresholds, nextAlerts, type AlertMemory, type AlertThresholds, type CheckResult, type HealthAlert } from './healthAlerts.js';
import { ClusterUnreachableError, readClusterSnapshot } from './readClusterSnapshot.js';

/** A cluster to check: where its API is, and how to authorize. */
export interface HealthTarget {
  id: string;
  name: string;
  /** The agent's URL, or how to reach it now (opening an SSH tunnel); a rejection means down. */
  baseUrl: string | (() => Promise<string>);
  /** The `Authorization` header; a rejection is treated as none. */
  authorization?: () => string | undefined | Promise<string | undefined>;
  /** Called when a check found the cluster down (the app drops a broken tunnel here). */
  unreachable?: () => Promise<void>;
}

export interface HealthMonitorOptions {
  /** The clusters to check, read at every check. */
  targets: () => readonly HealthTarget[];
  /** Default the global `fetch`. */
  fetch?: FetchLike;
  /** Time between checks. Default 15 000 ms. */
  intervalMs?: number;
  /** How long one check of one cluster may take before it counts as down. Default 5 000 ms. */
  timeoutMs?: number;
  thresholds?: Partial<AlertThresholds>;
  /** Called after each check of a cluster whose health changed. */
  onHealth?: (clusterId: string, health: ClusterHealth) => void;
  onAlert?: (alert: HealthAlert) => void;
}

export const unknownHealth: ClusterHealth = {
  state: 'unknown',
  lastSeenAt: null,
  checkedAt: null,
  problem: null,
  agentVersion: null,
  completedPerMinute: null,
  failedPerMinute: null,
  dead: null,
};

export class HealthMonitor {
  private readonly healths = new Map<string, ClusterHealth>();
  private readonly memories = new Map<string, AlertMemory>();
  private readonly thresholds: AlertThresholds;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: HealthMonitorOptions) {
    this.thresholds = { ...defaultAlertThresholds, ...options.thresholds };
  }

  /** The health of a cluster; `unknown` before its first check. */
  health(clusterId: string): ClusterHealth {
    return this.healths.get(clusterId) ?? unknownHealth;
  }

  /** Checks now, then every `intervalMs` until `close()`. */
  start(): void {
    if (this.timer) return;
    void this.checkNow();
    this.timer = setInterval(() => void this.checkNow(), this.options.intervalMs ?? 15_000);
  }

  /** Checks every target once; a call during a check waits for that check instead of starting another. */
  checkNow(): Promise<void> {
    this.running ??= this.checkAll().finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async checkAll(): Promise<void> {
    const targets = this.options.targets();
    const ids = new Set(targets.map((target) => target.id));
    for (const id of [...this.healths.keys()]) {
      if (!ids.has(id)) {
        this.healths.delete(id);
        this.memories.delete(id);
      }
    }
    await Promise.all(targets.map((target) => this.check(target)));
  }

  private async check(target: HealthTarget): Promise<void> {
    const before = this.health(target.id);
    const now = Date.now();
    let health: ClusterHealth;
    let result: CheckResult;
    try {
      const baseUrl = await reach(target);
      const authorization = async () => {
        try {
          return await target.authorization?.();
        } catch {
          return undefined;
        }
      };
      const client = createApiClient({ baseUrl, authorization, fetch: this.options.fetch });
      const snapshot = await readClusterSnapshot(client, AbortSignal.timeout(this.options.timeoutMs ?? 5_000), now);
      const known = <T>(value: T | null, last: T | null) => (value === null ? last : value);
      health = {
        state: 'up',
        lastSeenAt: now,
        checkedAt: now,
        problem: null,
        agentVersion: known(snapshot.agentVersion, before.agentVersion),
        completedPerMinute: known(snapshot.completedPerMinute, before.completedPerMinute),
        failedPerMinute: known(snapshot.failedPerMinute, before.failedPerMinute),
        dead: snapshot.queues ? snapshot.queues.reduce((sum, queue) => sum + queue.dead, 0) : before.dead,
      };
      result = { state: 'up', queues: snapshot.queues };
    } catch (error) {
      const problem = error instanceof ClusterUnreachableError ? error.message : `the check failed: ${error instanceof Error ? error.message : String(error)}`;
      health = { ...before, state: 'down', checkedAt: now, problem };
      result = { state: 'down', problem };
      await target.unreachable?.().catch(() => undefined);
    }
    // The target may have been removed while its check ran.
    if (!this.options.targets().some((current) => current.id === target.id)) return;
    const { alerts, memory } = nextAlerts(target, this.memories.get(target.id), result, this.thresholds);
    this.memories.set(target.id, memory);
    this.healths.set(target.id, health);
    if (changed(before, health)) this.options.onHealth?.(target.id, health);
    for (const alert of alerts) this.options.onAlert?.(alert);
  }
}

async function reach(target: HealthTarget): Promise<string> {
  if (typeof target.baseUrl === 'string') return target.baseUrl;
  try {
    return await target.baseUrl();
  } catch (error) {
    throw new ClusterUnreachableError(error instanceof Error ? error.message : String(error));
  }
}

/** Whether anything but the check's own time changed. */
function changed(before: ClusterHealth, after: ClusterHealth): boolean {
  const { checkedAt: _before, lastSeenAt: _seenBefore, ...restBefore } = before;
  const { checkedAt: _after, lastSeenAt: _seenAfter, ...restAfter } = after;
  return JSON.stringify(restBefore) !== JSON.stringify(restAfter);
}
