/**
 * One health check of one cluster: what the agent answers to `info.get`, `queues.list` and
 * `metrics.overview` (plus `metrics.queue` for queues that were busy in the last minute), reduced
 * to what the health summary and the alert rules need.
 *
 * Reachable is not the same as readable: an agent that answers 401 or 403 (the app holds no
 * credential for it yet) is up, with its numbers unknown. The gateway answers 502/503/504 when it
 * cannot reach the agent; those, and a failed or timed-out request, mean the agent is down.
 */
import { ApiError, type ApiClient } from '../../../shared/api/client.js';
import type { AbortSignalLike } from '../../../shared/api/client.js';

/** One queue's counts at a check. */
export interface QueueSnapshot {
  name: string;
  paused: boolean;
  queued: number;
  /** succeeded + dead + cancelled: grows when tasks finish. */
  finished: number;
  dead: number;
}

/** What a check read from a reachable agent; null fields when the app may not read them. */
export interface ClusterSnapshot {
  agentVersion: string | null;
  /** Null when the agent refused to list queues (no credential). */
  queues: QueueSnapshot[] | null;
  completedPerMinute: number | null;
  failedPerMinute: number | null;
}

/** The agent could not be reached; `message` says why, in words. */
export class ClusterUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUnreachableError';
  }
}

const unreachableStatuses = new Set([502, 503, 504]);
const minuteMs = 60_000;

/** Answers the call's value, null when the agent refused it (401/403); throws ClusterUnreachableError when it is down. */
async function readable<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && !unreachableStatuses.has(error.status)) {
      if (error.status === 401 || error.status === 403) return null;
      throw error;
    }
    if (error instanceof ApiError) throw new ClusterUnreachableError(error.message);
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new ClusterUnreachableError(`${error instanceof Error ? error.message : String(error)}${cause}`);
  }
}

export async function readClusterSnapshot(client: ApiClient, signal: AbortSignalLike, now = Date.now()): Promise<ClusterSnapshot> {
  const info = await readable(() => client.call('info.get', { signal }));
  const listed = await readable(() => client.call('queues.list', { signal }));
  const queues =
    listed?.queues.map(({ definition, paused, counts }) => ({
      name: definition.name,
      paused,
      queued: counts.queued,
      finished: counts.succeeded + counts.dead + counts.cancelled,
      dead: counts.dead,
    })) ?? null;

  let completedPerMinute: number | null = null;
  let failedPerMinute: number | null = null;
  const overview = await readable(() => client.call('metrics.overview', { signal }));
  if (overview) {
    completedPerMinute = 0;
    failedPerMinute = 0;
    // Only queues with a point in the last minute can have finished anything in it.
    const busy = overview.queues.filter((queue) => queue.latest !== null && queue.latest.at >= now - minuteMs);
    for (const queue of busy) {
      const history = await readable(() => client.call('metrics.queue', { params: { name: queue.name }, query: { resolution: 'second', since: now - minuteMs, until: now }, signal }));
      for (const point of history?.points ?? []) {
        completedPerMinute += point.succeeded;
        failedPerMinute += point.failed;
      }
    }
  }
  return { agentVersion: info?.version ?? null, queues, completedPerMinute, failedPerMinute };
}
