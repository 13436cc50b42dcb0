/**
 * The API benchmark's peer: BullMQ behind a bare Fastify server with the two routes the benchmark
 * calls — enqueue (`queue.add`) and get (`queue.getJob`) — and nothing else: no authentication,
 * no validation, no audit. Prints `listening <url>` when ready; stops on SIGTERM.
 */
import { Queue } from 'bullmq';
import fastify from 'fastify';

const queue = new Queue('bench', { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: process.env.BULLMQ_PREFIX ?? 'sybench-api-bullmq' });
const server = fastify({ logger: false });

server.post<{ Body: { type: string; payload?: unknown } }>('/tasks', async (request, reply) => {
  const job = await queue.add(request.body.type, request.body.payload ?? null, { removeOnComplete: true });
  return reply.code(201).send({ id: job.id });
});

server.get<{ Params: { id: string } }>('/tasks/:id', async (request, reply) => {
  const job = await queue.getJob(request.params.id);
  if (!job) return reply.code(404).send({ error: 'not found' });
  return { id: job.id, name: job.name, data: job.data, timestamp: job.timestamp };
});

const url = await server.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => queue.close()).then(() => process.exit(0));
});
