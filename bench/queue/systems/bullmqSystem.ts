/**
 * BullMQ, configured as its documentation recommends for throughput: `addBulk` for enqueues, one
 * `Worker` with a high `concurrency` and a no-op processor. Completed jobs are removed
 * (`removeOnComplete: true`) except in the history scenario, where they are kept in Redis
 * (`removeOnComplete: false`) — BullMQ's nearest equivalent of archiving finished tasks.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { benchQueueName, type BenchPayload, type QueueSystem, type RunningWorker, type Stores, type WorkerOptions } from '../QueueSystem.js';
import { deleteKeysByPrefix } from '../stores.js';

/** Every BullMQ key of the bench starts with this. */
export const bullmqPrefix = 'sybench-bullmq';

function connectionOptions(redisUrl: string): { host: string; port: number; db: number; maxRetriesPerRequest: null } {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    db: Number(url.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
}

export async function createBullmqSystem(stores: Stores): Promise<QueueSystem> {
  const connection = connectionOptions(stores.redisUrl);
  let queue: Queue | undefined;
  let admin: Redis | undefined;
  const producer = (): Queue => (queue ??= new Queue(benchQueueName, { connection, prefix: bullmqPrefix }));
  const adminRedis = (): Redis => (admin ??= new Redis(stores.redisUrl, { maxRetriesPerRequest: 3 }));

  return {
    async reset() {
      await deleteKeysByPrefix(adminRedis(), `${bullmqPrefix}:`);
    },
    async enqueueBulk(payloads: readonly BenchPayload[], { history }) {
      const opts = { removeOnComplete: !history };
      await producer().addBulk(payloads.map((data) => ({ name: 'noop', data, opts })));
    },
    async enqueue(payload: BenchPayload) {
      await producer().add('noop', payload, { removeOnComplete: true });
    },
    async unfinished() {
      const counts = await producer().getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    async startWorker({ setting: { concurrency }, onTask }: WorkerOptions): Promise<RunningWorker> {
      const worker = new Worker<BenchPayload>(
        benchQueueName,
        async (job) => {
          onTask(job.data);
        },
        { connection, prefix: bullmqPrefix, concurrency, autorun: false },
      );
      worker.on('error', (error) => console.error(`bullmq worker: ${error.message}`));
      await worker.waitUntilReady();
      void worker.run();
      return {
        stop: () => worker.close(),
        recorded: async () => {},
      };
    },
    async cleanup() {
      await deleteKeysByPrefix(adminRedis(), `${bullmqPrefix}:`);
    },
    async close() {
      await queue?.close();
      admin?.disconnect();
    },
  };
}
