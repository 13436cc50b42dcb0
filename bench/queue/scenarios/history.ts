/**
 * Scenario d — processing with history: N tasks with 1 KB payloads, enqueued with each system's
 * "keep finished tasks" setting, processed by a worker process with history on. Two rates:
 * `perSecond` runs until the worker stopped gracefully (every acknowledgement flushed), and
 * `recordedPerSecond` until every finished task was also in the system's history store
 * (Switchyard: archived into PostgreSQL by the archiver; BullMQ: kept as a completed job in Redis
 * at acknowledgement; graphile-worker keeps no history, so both rates are the same).
 */
import type { QueueSystem, Stores, SystemName, WorkerSetting } from '../QueueSystem.js';
import { enqueueInChunks } from './bulkEnqueue.js';
import { processQueued, type ProcessMeasurement } from './processAll.js';

export const historyPayloadBytes = 1024;

export interface HistoryMeasurement extends ProcessMeasurement {
  payloadBytes: number;
  /** Tasks per second until every finished task was recorded in history. */
  recordedPerSecond: number;
}

export async function measureHistory(
  system: QueueSystem,
  name: SystemName,
  stores: Stores,
  { tasks, chunk, setting, deadlineMs }: { tasks: number; chunk: number; setting: WorkerSetting; deadlineMs: number },
): Promise<HistoryMeasurement> {
  await system.reset();
  await enqueueInChunks(system, { tasks, chunk, deadlineMs, history: true, payloadBytes: historyPayloadBytes });
  const measured = await processQueued(system, name, stores, { tasks, setting, history: true, deadlineMs });
  return {
    ...measured,
    payloadBytes: historyPayloadBytes,
    recordedPerSecond: (tasks * 1000) / measured.child.recordedMs,
  };
}
