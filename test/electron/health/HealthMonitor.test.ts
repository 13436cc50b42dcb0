/**
 * The health monitor against a real agent (real Redis and PostgreSQL): health per cluster, the
 * stale values kept while an agent is down, and the three alerts. Checks are run with
 * `checkNow()`, so each test decides how many checks happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../../agent/engine/Engine.js';
import { HealthMonitor, type HealthTarget } from '../../../electron/main/health/HealthMonitor.js';
import type { HealthAlert } from '../../../electron/main/health/healthAlerts.js';
import type { ClusterHealth } from '../../../shared/clusters.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { until } from '../../helpers/until.js';

describe('HealthMonitor', () => {
  let api: ApiTestAgent;
  let target: HealthTarget;
  let agentClosed = false;
  const monitors: HealthMonitor[] = [];

  function monitor(thresholds: { stallChecks?: number; deadJumpThreshold?: number } = {}, targets = () => [target]) {
    const alerts: HealthAlert[] = [];
    const changes: ClusterHealth[] = [];
    const created = new HealthMonitor({ targets, thresholds, intervalMs: 50, onAlert: (alert) => alerts.push(alert), onHealth: (_id, health) => changes.push(health) });
    monitors.push(created);
    return { monitor: created, alerts, changes };
  }

  beforeAll(async () => {
    api = await startApiTestAgent();
    const token = api.sessions.viewer.accessToken;
    target = { id: 'prod', name: 'Production', baseUrl: api.url, authorization: () => `Bearer ${token}` };
  });
  afterAll(async () => {
    for (const created of monitors) await created.close();
    if (!agentClosed) await api?.close();
  });

  it('reports an agent that answers as up, with its version and numbers', async () => {
    const { monitor: health, changes } = monitor();
    expect(health.health('prod').state).toBe('unknown');
    health.start();
    await until(() => health.health('prod').state === 'up', { message: 'the first check' });
    const first = health.health('prod');
    expect(first.agentVersion).toBe((await api.client('viewer').call('info.get', {})).version);
    expect(first).toMatchObject({ problem: null, dead: 0, completedPerMinute: 0, failedPerMinute: 0 });
    // The interval keeps checking.
    await until(() => (health.health('prod').checkedAt ?? 0) > (first.checkedAt ?? 0), { message: 'a second check' });
    await health.close();
    expect(changes.length).toBe(1);
  });

  it('counts an agent that refuses an unsigned check as up, numbers unknown', async () => {
    // The URL as the app finds it: from the cluster's upstream, opened at each check.
    const { monitor: health } = monitor({}, () => [{ id: 'anonymous', name: 'Anonymous', baseUrl: async () => api.url }]);
    await health.checkNow();
    expect(health.health('anonymous')).toMatchObject({ state: 'up', agentVersion: null, dead: null, completedPerMinute: null });
  });

  it('counts a cluster it finds no way to as down, with the reason, never seen', async () => {
    let dropped = 0;
    const unreachable = { id: 'tunnel', name: 'Tunnel', baseUrl: () => Promise.reject(new Error('the SSH host key changed')), unreachable: async () => void (dropped += 1) };
    const { monitor: health, alerts } = monitor({}, () => [unreachable]);
    await health.checkNow();
    expect(health.health('tunnel')).toMatchObject({ state: 'down', problem: 'the SSH host key changed', lastSeenAt: null, agentVersion: null });
    expect(dropped).toBe(1);
    expect(alerts).toEqual([]);
  });

  it('raises no alert while nothing changes', async () => {
    const { monitor: health, alerts } = monitor({ stallChecks: 2, deadJumpThreshold: 1 });
    for (let check = 0; check < 4; check += 1) await health.checkNow();
    expect(health.health('prod').state).toBe('up');
    expect(alerts).toEqual([]);
  });

  it('alerts once when a queue has waiting tasks and none finishes for K checks', async () => {
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'stuck' } });
    await operator.call('tasks.enqueue', { params: { name: 'stuck' }, body: { type: 'wait' } });
    const { monitor: health, alerts } = monitor({ stallChecks: 2 });
    await health.checkNow();
    await health.checkNow();
    expect(alerts).toEqual([]);
    await health.checkNow();
    expect(alerts).toEqual([{ kind: 'queueStalled', clusterId: 'prod', message: 'Production: queue stuck stalled: 1 queued and none finished in 2 checks' }]);
    await health.checkNow();
    expect(alerts).toHaveLength(1);
  });

  it('alerts when the dead count jumps by the threshold', async () => {
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'billing', retry: { maxAttempts: 1 } } });
    // A paused queue never stalls, so only the dead count can alert here.
    await operator.call('queues.pause', { params: { name: 'stuck' } });
    const { monitor: health, alerts } = monitor({ deadJumpThreshold: 2, stallChecks: 1 });
    await health.checkNow();
    await operator.call('tasks.enqueue', { params: { name: 'billing' }, body: { type: 'bill' } });
    await operator.call('tasks.enqueue', { params: { name: 'billing' }, body: { type: 'bill' } });
    const claimed = await api.agent.engine.claim('billing', { workerId: 'health-test', max: 2, leaseMs: 60_000 });
    const failures: Outcome[] = claimed.tasks.map((task) => ({ id: task.id, token: task.token, status: 'failed', error: { message: 'no invoice' }, retryDelayMs: 0 }));
    await api.agent.engine.acknowledge('billing', failures);
    await health.checkNow();
    expect(alerts).toEqual([{ kind: 'deadJump', clusterId: 'prod', message: 'Production: dead letters jumped by 2 to 2' }]);
    expect(health.health('prod').dead).toBe(2);
    await health.checkNow();
    expect(alerts).toHaveLength(1);
  });

  it('marks an agent that went away as down, keeps its last known values and alerts once', async () => {
    const { monitor: health, alerts } = monitor();
    await health.checkNow();
    const up = health.health('prod');
    expect(up).toMatchObject({ state: 'up', dead: 2 });
    await api.close();
    agentClosed = true;
    await health.checkNow();
    const down = health.health('prod');
    expect(down).toMatchObject({ state: 'down', dead: 2, agentVersion: up.agentVersion, lastSeenAt: up.lastSeenAt });
    expect(down.problem).toMatch(/fetch failed/);
    expect(down.checkedAt).toBeGreaterThanOrEqual(up.checkedAt!);
    expect(alerts).toEqual([{ kind: 'agentDown', clusterId: 'prod', message: expect.stringMatching(/^Production: the agent went away \(fetch failed/) }]);
    await health.checkNow();
    expect(alerts).toHaveLength(1);
  });
});
