/**
 * Scenario a — bulk enqueue: N tasks added in chunks of `chunk` through each system's bulk call
 * (Switchyard `engine.enqueueBulk`, BullMQ `queue.addBulk`, graphile-worker `addJobs`), one chunk
 * in flight at a time, from the bench's main process. Reports tasks per second.
 */
import { preciseNow, type BenchPayload, type QueueSystem } from '../QueueSystem.js';
import { TimeoutError, withDeadline } from '../stats.js';

export interface EnqueueMeasurement {
  tasks: number;
  ms: number;
  perSecond: number;
}

export interface EnqueueRequest {
  tasks: number;
  chunk: number;
  deadlineMs: number;
  /** Enqueue with the system's "keep finished tasks" setting (scenario d). */
  history?: boolean;
  /** Make every payload about this many bytes; 0 for the small no-op payload. */
  payloadBytes?: number;
}

/** Payload filler that makes one serialised task payload about `bytes` long. */
export function padFor(bytes: number): string {
  const bare = JSON.stringify({ sentAt: preciseNow(), pad: '' }).length;
  return 'x'.repeat(Math.max(0, bytes - bare));
}

/**
 * Enqueues `tasks` tasks in bulk chunks and answers how long it took. Past `deadlineMs` it throws
 * a `TimeoutError` and sends no further chunk, so a late run cannot spill into the next scenario.
 */
export async function enqueueInChunks(
  system: QueueSystem,
  { tasks, chunk, deadlineMs, history = false, payloadBytes = 0 }: EnqueueRequest,
): Promise<EnqueueMeasurement> {
  const pad = payloadBytes > 0 ? padFor(payloadBytes) : undefined;
  const startedAt = preciseNow();
  const deadlineAt = Date.now() + deadlineMs;
  for (let done = 0; done < tasks; done += chunk) {
    if (Date.now() >= deadlineAt) throw new TimeoutError(`timeout: enqueued ${done} of ${tasks} tasks`);
    const size = Math.min(chunk, tasks - done);
    const sentAt = preciseNow();
    const payloads: BenchPayload[] = Array.from({ length: size }, () => (pad === undefined ? { sentAt } : { sentAt, pad }));
    await withDeadline(system.enqueueBulk(payloads, { history }), deadlineAt - Date.now(), 'bulk enqueue');
  }
  const ms = preciseNow() - startedAt;
  return { tasks, ms, perSecond: (tasks * 1000) / ms };
}

/** Empties the system and measures a bulk enqueue of `tasks` no-op tasks within `deadlineMs`. */
export async function measureBulkEnqueue(
  system: QueueSystem,
  { tasks, chunk, deadlineMs }: { tasks: number; chunk: number; deadlineMs: number },
): Promise<EnqueueMeasurement> {
  await system.reset();
  return enqueueInChunks(system, { tasks, chunk, deadlineMs });
}
