/** How the desktop app describes a cluster in words (renderer/src/desktop/clusterStatus.ts). */
import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../../shared/clusters.js';
import { ago, connectionText, readiness, staleText } from '../../../renderer/src/desktop/clusterStatus.js';

const now = 1_800_000_000_000;

function cluster(change: Partial<ClusterView> = {}, health: Partial<ClusterView['health']> = {}): ClusterView {
  return {
    profile: { id: 'prod', name: 'Production', colour: '#3b82f6', connection: { kind: 'direct', url: 'https://agent.example:7700' } },
    credential: 'session',
    principal: { name: 'ada', role: 'operator' },
    pendingHostKey: null,
    health: { state: 'up', lastSeenAt: now, checkedAt: now, problem: null, agentVersion: '0.1.0', completedPerMinute: 3, failedPerMinute: 0, dead: 2, ...health },
    ...change,
  };
}

describe('cluster status in words', () => {
  it('names a direct URL or the SSH route to the agent port', () => {
    expect(connectionText({ kind: 'direct', url: 'https://agent.example:7700' })).toBe('https://agent.example:7700');
    expect(connectionText({ kind: 'ssh', host: 'queue-1', port: 2222, username: 'deploy', privateKeyPath: '/k', agentPort: 7701 })).toBe('ssh deploy@queue-1:2222 → agent port 7701');
  });

  it('says how long ago, in the largest whole unit', () => {
    expect(ago(now - 2_000, now)).toBe('just now');
    expect(ago(now - 42_000, now)).toBe('42 s ago');
    expect(ago(now - 3 * 60_000 - 20_000, now)).toBe('3 min ago');
    expect(ago(now - 5 * 3_600_000, now)).toBe('5 h ago');
    expect(ago(now - 3 * 86_400_000, now)).toBe('3 d ago');
  });

  it('marks the numbers of a down cluster stale only when it answered before', () => {
    expect(staleText(cluster({}, { state: 'down', lastSeenAt: now - 180_000 }), now)).toBe('stale · last seen 3 min ago');
    expect(staleText(cluster({}, { state: 'down', lastSeenAt: null }), now)).toBeNull();
    expect(staleText(cluster(), now)).toBeNull();
  });

  it('tells what the renderer can do with a cluster', () => {
    expect(readiness(cluster())).toBe('ready');
    expect(readiness(cluster({ credential: 'none', principal: null }))).toBe('signedOut');
    expect(readiness(cluster({ principal: null }))).toBe('unreachable');
    expect(readiness(cluster({ credential: 'none', principal: null, pendingHostKey: { fingerprint: 'SHA256:abc', algorithm: 'ssh-ed25519' } }))).toBe('hostKey');
  });
});
