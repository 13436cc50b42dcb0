/**
 * BullMQ's side of `npm run bench -- workflow`, with its own dependency feature, flows
 * (`FlowProducer`): a parent job with `items` children for the fan-out, and children nested
 * `steps` deep for the chain (BullMQ runs the deepest first and each parent after its child).
 */
import { randomBytes } from 'node:crypto';
import { FlowProducer, Worker, type FlowJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { Stores } from '../queue/QueueSystem.js';
import { deleteKeysByPrefix } from '../queue/stores.js';
import type { FlowSystem } from './FlowSystem.js';

export async function bullmqFlows(stores: Stores, concurrency: number): Promise<FlowSystem> {
  const prefix = `sybench-bullflow-${randomBytes(3).toString('hex')}`;
  const connection = new Redis(stores.redisUrl, { maxRetriesPerRequest: null });
  const producer = new FlowProducer({ connection, prefix });
  const waiting = new Map<string, () => void>();
  // BullMQ does not close a connection it was given: close() quits both.
  const workerConnection = new Redis(stores.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker('flows', async () => null, { connection: workerConnection, prefix, concurrency });
  worker.on('completed', (job) => {
    waiting.get(job.id!)?.();
  });
  await worker.waitUntilReady();

  const runToEnd = async (flow: FlowJob): Promise<number> => {
    const began = performance.now();
    const done = new Promise<void>((resolve) => waiting.set(flow.opts!.jobId!, resolve));
    await producer.add(flow);
    await done;
    return performance.now() - began;
  };

  return {
    name: 'bullmq',
    fanOut: (items) =>
      runToEnd({
        name: 'gather',
        queueName: 'flows',
        opts: { jobId: `fan-${randomBytes(4).toString('hex')}` },
        children: Array.from({ length: items }, (_, at) => ({ name: 'each', queueName: 'flows', data: { at } })),
      }),
    chain: (steps) => {
      let flow: FlowJob = { name: 'step', queueName: 'flows', data: { at: 0 } };
      for (let at = 1; at < steps; at += 1) flow = { name: 'step', queueName: 'flows', data: { at }, children: [flow] };
      flow.opts = { jobId: `chain-${randomBytes(4).toString('hex')}` };
      return runToEnd(flow);
    },
    async close() {
      await worker.close();
      await producer.close();
      await deleteKeysByPrefix(connection, prefix);
      await connection.quit();
      await workerConnection.quit();
    },
  };
}
