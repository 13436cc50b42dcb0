/**
 * The processing side of every scenario, run in its own process (see workerProcess.ts) so that its
 * peak memory is the worker's alone. It receives one request, starts the system's worker, waits for
 * the expected number of tasks, stops the worker gracefully, and reports timings, the latencies it
 * saw when asked, and its peak resident set size.
 */
import { preciseNow, type BenchPayload } from './QueueSystem.js';
import { summariseLatencies, TimeoutError, withDeadline } from './stats.js';
import { createSystem } from './systems.js';
import type { ChildMessage, ChildRequest } from './workerProcess.js';

/**
 * The peak resident set size of this process, sampled every 10 ms. Not `resourceUsage().maxRSS`:
 * on Linux a child started by fork and exec inherits its parent's high-water mark, so that would
 * report the bench's main process (which holds the enqueued tasks, or embedded PGlite) instead.
 */
function samplePeakRss(): { stop(): number } {
  let peakKb = Math.round(process.memoryUsage().rss / 1024);
  const timer = setInterval(() => {
    peakKb = Math.max(peakKb, Math.round(process.memoryUsage().rss / 1024));
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peakKb, Math.round(process.memoryUsage().rss / 1024));
    },
  };
}

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()));
}

async function serve(request: ChildRequest): Promise<void> {
  const system = await createSystem(request.system, request.stores);
  const latencies = new Float64Array(request.recordLatency ? request.expected : 0);
  let handled = 0;
  let firstTaskAt = 0;
  let lastTaskAt = 0;
  let allHandled: () => void = () => {};
  const done = new Promise<void>((resolve) => (allHandled = resolve));
  const onTask = (payload: BenchPayload): void => {
    const now = preciseNow();
    if (handled < latencies.length) latencies[handled] = now - payload.sentAt;
    if (handled === 0) firstTaskAt = now;
    lastTaskAt = now;
    handled += 1;
    if (handled === request.expected) allHandled();
  };

  const idleRssKb = Math.round(process.memoryUsage().rss / 1024);
  const peak = samplePeakRss();
  const startedAt = preciseNow();
  const deadlineAt = Date.now() + request.deadlineMs;
  const worker = await system.startWorker({ setting: request.setting, onTask, history: request.history });
  await send({ type: 'ready' });
  let timedOut = false;
  try {
    await withDeadline(done, deadlineAt - Date.now(), 'processing');
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    timedOut = true;
  }
  await withDeadline(worker.stop(), 30_000, 'worker stop');
  const stoppedAt = preciseNow();
  if (!timedOut) {
    try {
      await withDeadline(worker.recorded(request.expected), Math.max(1_000, deadlineAt - Date.now()), 'history');
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      timedOut = true;
    }
  }
  const recordedAt = preciseNow();
  await system.close();
  await send({
    type: 'result',
    result: {
      timedOut,
      handled,
      processMs: stoppedAt - startedAt,
      recordedMs: recordedAt - startedAt,
      firstTaskMs: firstTaskAt - startedAt,
      lastTaskMs: lastTaskAt - startedAt,
      idleRssKb,
      maxRssKb: peak.stop(),
      latency: request.recordLatency ? summariseLatencies(latencies.subarray(0, Math.min(handled, latencies.length))) : null,
    },
  });
}

process.once('message', (request: ChildRequest) => {
  serve(request).then(
    () => process.exit(0),
    async (error: unknown) => {
      await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
});
