/**
 * Runs a system's processing side in a child process (workerChild.ts, loaded through tsx) and
 * collects its report. The child keeps its own deadline; this side kills it (by its pid) when it
 * has not answered shortly after, so a stuck system costs a "timeout", never a hung benchmark.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Stores, SystemName, WorkerSetting } from './QueueSystem.js';
import type { LatencySummary } from './stats.js';

export interface ChildRequest {
  system: SystemName;
  stores: Stores;
  setting: WorkerSetting;
  history: boolean;
  /** Tasks to wait for before stopping. */
  expected: number;
  /** Record start time − enqueue time of every task. */
  recordLatency: boolean;
  deadlineMs: number;
}

export interface ChildResult {
  timedOut: boolean;
  handled: number;
  /** From just before the worker started until it had stopped gracefully (acknowledgements flushed). */
  processMs: number;
  /** Until every finished task was also recorded in the system's history store. */
  recordedMs: number;
  firstTaskMs: number;
  lastTaskMs: number;
  /** Resident set size before the worker started, and the peak over the child's life. */
  idleRssKb: number;
  maxRssKb: number;
  latency: LatencySummary | null;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'result'; result: ChildResult }
  | { type: 'error'; message: string };

export interface WorkerProcess {
  /** Resolves once the worker is running in the child. */
  ready: Promise<void>;
  /** Resolves with the child's report; rejects when the child failed or had to be killed. */
  result: Promise<ChildResult>;
}

const childEntry = fileURLToPath(new URL('./workerChild.ts', import.meta.url));
/** Time the child gets beyond its own deadline to stop its worker and report. */
const graceMs = 45_000;

export function startWorkerProcess(request: ChildRequest): WorkerProcess {
  const child = fork(childEntry, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<ChildResult>((resolve, reject) => {
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker child ${child.pid} did not report within the deadline; killed`));
    }, request.deadlineMs + graceMs);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'result') resolve(message.result);
      else reject(new Error(`worker child failed: ${message.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      // The report may still be in flight when the exit is seen; give it a moment to land.
      setTimeout(() => reject(new Error(`worker child exited (${signal ?? code}) without a report`)), 200);
    });
  });
  // A child that fails before it is ready must not leave the caller waiting for "ready".
  result.catch(() => markReady());
  child.send(request);
  return { ready, result };
}
