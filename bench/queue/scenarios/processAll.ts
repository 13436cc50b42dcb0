/**
 * Scenario b — processing: N no-op tasks already queued are processed and acknowledged by one
 * worker process (a child: see workerProcess.ts). The clock runs from just before the worker
 * starts until it has stopped gracefully, so every acknowledgement is flushed. Each worker
 * setting given for the system is measured; the best is reported.
 *
 * Scenario e — peak memory — is read from the same child: its peak RSS while it processed the N
 * tasks that were queued when it started.
 */
import type { QueueSystem, Stores, SystemName, WorkerSetting } from '../QueueSystem.js';
import { startWorkerProcess, type ChildResult } from '../workerProcess.js';
import { measureBulkEnqueue, type EnqueueMeasurement } from './bulkEnqueue.js';

export interface ProcessMeasurement {
  setting: WorkerSetting;
  tasks: number;
  /** Tasks per second, from worker start to graceful stop. */
  perSecond: number;
  child: ChildResult;
}

/**
 * Runs the worker child over tasks already queued and turns its report into a measurement. The
 * system must then hold no unfinished task: every task was processed and its acknowledgement
 * applied, or the measurement is an error.
 */
export async function processQueued(
  system: QueueSystem,
  name: SystemName,
  stores: Stores,
  { tasks, setting, history, deadlineMs }: { tasks: number; setting: WorkerSetting; history: boolean; deadlineMs: number },
): Promise<ProcessMeasurement> {
  const child = await startWorkerProcess({
    system: name,
    stores,
    setting,
    history,
    expected: tasks,
    recordLatency: false,
    deadlineMs,
  }).result;
  if (child.timedOut) throw new Error(`timeout: ${child.handled} of ${tasks} tasks handled`);
  const left = await system.unfinished();
  if (left > 0) throw new Error(`${left} of ${tasks} tasks still unfinished after the worker stopped`);
  return { setting, tasks, perSecond: (tasks * 1000) / child.processMs, child };
}

/**
 * Enqueues N tasks (measured: scenario a) and processes them (scenario b, e) with one worker setting.
 * The queue is emptied first, so each setting starts from the same state.
 */
export async function measureEnqueueAndProcess(
  system: QueueSystem,
  name: SystemName,
  stores: Stores,
  { tasks, chunk, setting, deadlineMs }: { tasks: number; chunk: number; setting: WorkerSetting; deadlineMs: number },
): Promise<{ enqueue: EnqueueMeasurement; process: ProcessMeasurement }> {
  const enqueue = await measureBulkEnqueue(system, { tasks, chunk, deadlineMs });
  const process = await processQueued(system, name, stores, { tasks, setting, history: false, deadlineMs });
  return { enqueue, process };
}
