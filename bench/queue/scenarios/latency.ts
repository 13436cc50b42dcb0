/**
 * Scenario c — enqueue-to-start latency at a steady rate: with a worker process already running
 * and idle, the main process enqueues single tasks at `rate` per second for `seconds` seconds,
 * each carrying its enqueue time; the worker records start time − enqueue time per task. Times are
 * `performance.timeOrigin + performance.now()` in both processes (same clock, sub-millisecond).
 */
import { preciseNow, type QueueSystem, type Stores, type SystemName, type WorkerSetting } from '../QueueSystem.js';
import type { LatencySummary } from '../stats.js';
import { startWorkerProcess } from '../workerProcess.js';

export interface LatencyMeasurement extends LatencySummary {
  setting: WorkerSetting;
  rate: number;
  seconds: number;
  /** Tasks the producer actually managed per second (below `rate` when enqueue cannot keep up). */
  achievedRate: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Enqueues `total` single tasks spread evenly at `rate` per second; answers the seconds it took.
 * Stops early, answering NaN, once `stopped()` is true (the worker process ended first).
 */
async function produceSteadily(system: QueueSystem, rate: number, total: number, stopped: () => boolean): Promise<number> {
  const startedAt = performance.now();
  const pending = new Set<Promise<void>>();
  const failures: unknown[] = [];
  let sent = 0;
  while (sent < total) {
    if (stopped()) return Number.NaN;
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1);
    for (; sent < due; sent += 1) {
      const enqueued = system.enqueue({ sentAt: preciseNow() }).catch((error: unknown) => void failures.push(error));
      pending.add(enqueued);
      void enqueued.finally(() => pending.delete(enqueued));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  if (failures.length > 0) throw new Error(`${failures.length} enqueues failed, first: ${String(failures[0])}`);
  return (performance.now() - startedAt) / 1000;
}

export async function measureLatency(
  system: QueueSystem,
  name: SystemName,
  stores: Stores,
  { rate, seconds, setting }: { rate: number; seconds: number; setting: WorkerSetting },
): Promise<LatencyMeasurement> {
  await system.reset();
  const total = rate * seconds;
  const worker = startWorkerProcess({
    system: name,
    stores,
    setting,
    history: false,
    expected: total,
    recordLatency: true,
    deadlineMs: seconds * 1000 + 60_000,
  });
  await worker.ready;
  let workerEnded = false;
  // Its rejection surfaces from the `await worker.result` below.
  worker.result.then(
    () => (workerEnded = true),
    () => (workerEnded = true),
  );
  const produced = await produceSteadily(system, rate, total, () => workerEnded);
  const child = await worker.result;
  if (child.timedOut || child.latency === null) throw new Error(`timeout: ${child.handled} of ${total} tasks started`);
  return { ...child.latency, setting, rate, seconds, achievedRate: total / produced };
}
