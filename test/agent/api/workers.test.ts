import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDefinition } from '../../../shared/queue.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { until } from '../../helpers/until.js';

describe('GET /workers', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    // This agent runs its own worker, so the registry has one member.
    api = await startApiTestAgent({ settings: { worker: true } });
  });
  afterAll(async () => api?.close());

  it('lists the agent’s worker with its heartbeat age and slots once it serves a queue', async () => {
    const viewer = api.client('viewer');
    await api.client('operator').call('queues.create', { body: { name: 'served' } });
    // The agent's worker picks up a new queue and registers with it; until then the queue has no consumer.
    const { workers, queuesWithoutWorkers } = await until(
      async () => {
        const answer = await viewer.call('workers.list', {});
        return answer.workers.some((worker) => worker.queues.includes('served')) ? answer : undefined;
      },
      { message: 'the agent worker to serve the new queue' },
    );
    expect(queuesWithoutWorkers).not.toContain('served');
    const worker = workers.find((candidate) => candidate.queues.includes('served'))!;
    expect(worker).toMatchObject({ kind: 'agent', pid: process.pid });
    expect(worker.slots).toBeGreaterThan(0);
    expect(worker.slotsInUse).toBe(0);
    expect(worker.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
    expect(worker.heartbeatAgeMs).toBeLessThan(60_000);
  });

  it('warns about a queue no worker serves', async () => {
    // A queue defined behind the agent's back (another agent, say) has no consumer here until the worker refreshes.
    await api.agent.engine.defineQueue(queueDefinition({ name: 'orphan' }));
    const { queuesWithoutWorkers } = await api.client('viewer').call('workers.list', {});
    expect(queuesWithoutWorkers).toContain('orphan');
  });
});
