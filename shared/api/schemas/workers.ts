import { z } from 'zod';

export const workerSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.int(),
  queues: z.array(z.string()),
  /** The task types its handlers run, on each of its queues. */
  types: z.array(z.string()),
  slots: z.int(),
  slotsInUse: z.int(),
  startedAt: z.number(),
  lastHeartbeatAt: z.number(),
  /** Milliseconds since the last heartbeat, as the agent saw it when answering. */
  heartbeatAgeMs: z.number(),
  kind: z.enum(['agent', 'sdk']),
});

export const workersResponse = z.object({
  workers: z.array(workerSchema),
  /** Queues that have no worker claiming from them: their tasks wait until one starts. */
  queuesWithoutWorkers: z.array(z.string()),
});

export const workerParams = z.strictObject({ id: z.string().min(1).max(300) });

/** The answer to a drain or stop: the worker got the command and is on its way out of the registry. */
export const workerCommandResponse = z.object({ id: z.string(), command: z.enum(['drain', 'stop']) });
