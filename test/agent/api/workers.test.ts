import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createWorker } from '../../../agent/worker/index.js';
import { queueDefinition } from '../../../shared/queue.js';
import { refused } from '../../helpers/apiErrors.js';
import { redisUrl } from '../../helpers/redis.js';
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

  describe('POST /workers/:id/drain and /workers/:id/stop', () => {
    it('stops an SDK worker at once; its process sees `closed` resolve', async () => {
      const worker = createWorker({ redisUrl, prefix: api.redisPrefix, queues: ['served'], handlers: { noop: async () => undefined }, log: pino({ level: 'silent' }) });
      await worker.start();
      const operator = api.client('operator');
      await until(async () => (await operator.call('workers.list', {})).workers.some((candidate) => candidate.id === worker.id), { message: 'the SDK worker to register' });
      expect(await operator.call('workers.stop', { params: { id: worker.id } })).toEqual({ id: worker.id, command: 'stop' });
      await worker.closed;
      expect((await operator.call('workers.list', {})).workers.map((candidate) => candidate.id)).not.toContain(worker.id);
      const { entries } = await api.client('admin').call('audit.list', { query: { action: 'workers.stop' } });
      expect(entries[0]).toMatchObject({ target: `worker:${worker.id}`, actor: { name: 'operator-user' } });
    });

    it('drains the agent’s own worker: it finishes, leaves the registry, and the queue shows no consumer', async () => {
      const operator = api.client('operator');
      const agentWorker = (await operator.call('workers.list', {})).workers.find((candidate) => candidate.kind === 'agent')!;
      expect(await operator.call('workers.drain', { params: { id: agentWorker.id } })).toEqual({ id: agentWorker.id, command: 'drain' });
      await until(async () => {
        const { workers, queuesWithoutWorkers } = await operator.call('workers.list', {});
        return !workers.some((candidate) => candidate.id === agentWorker.id) && queuesWithoutWorkers.includes('served');
      }, { message: 'the drained worker to leave the registry' });
    });

    it('answers 404 for an unknown worker and 403 for a viewer', async () => {
      await refused(api.client('operator').call('workers.drain', { params: { id: 'nobody:1:abc' } }), 404, 'params.id');
      await refused(api.client('viewer').call('workers.stop', { params: { id: 'nobody:1:abc' } }), 403);
    });
  });
});
