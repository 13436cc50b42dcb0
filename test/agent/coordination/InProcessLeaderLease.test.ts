import { describe, expect, it } from 'vitest';
import { InProcessLeaderLease } from '../../../agent/coordination/InProcessLeaderLease.js';

describe('InProcessLeaderLease', () => {
  it('leads from start until close, with a fencing token while leading, and says so', async () => {
    const changes: boolean[] = [];
    const lease = new InProcessLeaderLease({ holderId: 'agent-a', onChange: (leader) => changes.push(leader) });
    expect(lease.isLeader()).toBe(false);
    expect(lease.token()).toBeNull();
    await lease.start();
    expect(lease.isLeader()).toBe(true);
    expect(lease.token()).toBe(1);
    await lease.close();
    expect(lease.isLeader()).toBe(false);
    expect(lease.token()).toBeNull();
    await lease.close();
    expect(changes).toEqual([true, false]);
  });
});
