/**
 * The one interface each compared system implements, so every scenario is written once.
 *
 * A system object lives either in the bench's main process (reset, enqueue) or in a child process
 * that only processes (startWorker): the processing side always runs in its own process so its
 * peak memory can be read, as a real worker would run.
 */

/** What every benchmark task carries. `sentAt` is epoch milliseconds with sub-millisecond digits. */
export interface BenchPayload {
  sentAt: number;
  /** Filler that makes the serialised payload about 1 KB (history scenario only). */
  pad?: string;
}

/**
 * How the one worker process is tuned: `concurrency` tasks at once, and optionally a claim batch
 * (`batch`): Switchyard's prefetch buffer, graphile-worker's `localQueue.size` with batched
 * completions. BullMQ has no batch setting. Written `10` or `10/500` on the command line.
 */
export interface WorkerSetting {
  concurrency: number;
  batch: number | null;
}

export function settingLabel({ concurrency, batch }: WorkerSetting): string {
  return batch === null ? `${concurrency}` : `${concurrency}/${batch}`;
}

export function parseSetting(text: string): WorkerSetting | undefined {
  const match = /^([1-9][0-9]*)(?:\/([1-9][0-9]*))?$/.exec(text);
  if (match === null) return undefined;
  return { concurrency: Number(match[1]), batch: match[2] === undefined ? null : Number(match[2]) };
}

export interface WorkerOptions {
  setting: WorkerSetting;
  /** Called at the start of every task; the task itself does nothing else. */
  onTask: (payload: BenchPayload) => void;
  /** Keep finished tasks as history (scenario d); each system's equivalent is in docs/benchmarks.md. */
  history: boolean;
}

export interface RunningWorker {
  /** Graceful stop: waits for in-flight tasks and their acknowledgements. */
  stop(): Promise<void>;
  /**
   * Resolves once `count` finished tasks are recorded in the system's history store. Systems whose
   * acknowledgement already is the record resolve at once.
   */
  recorded(count: number): Promise<void>;
}

export interface QueueSystem {
  /** Empties this system's keys or database and prepares it (migrations, queue definition). */
  reset(): Promise<void>;
  /** Adds the tasks in one bulk call (one chunk; the scenario splits the work into chunks). */
  enqueueBulk(payloads: readonly BenchPayload[], options: { history: boolean }): Promise<void>;
  /** Adds one task. */
  enqueue(payload: BenchPayload): Promise<void>;
  /** Tasks the system still holds as not finished (waiting, scheduled or active): 0 after a full run. */
  unfinished(): Promise<number>;
  /** Starts processing in this process; resolves once the worker is running. */
  startWorker(options: WorkerOptions): Promise<RunningWorker>;
  /** Deletes this system's keys or database. */
  cleanup(): Promise<void>;
  /** Releases every connection. */
  close(): Promise<void>;
}

/** Where the systems store their data; each system uses its own Redis prefix or database. */
export interface Stores {
  redisUrl: string;
  postgresAdminUrl: string;
  /** The embedded PGlite the bench serves for `switchyard-pglite`, when that system runs. */
  pgliteUrl?: string;
}

export const systemNames = ['switchyard', 'bullmq', 'graphile-worker', 'switchyard-postgres', 'switchyard-pglite'] as const;
export type SystemName = (typeof systemNames)[number];

/** The queue (or task identifier) every system uses. */
export const benchQueueName = 'bench';

/** Epoch milliseconds with sub-millisecond resolution, comparable between processes. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
