import { SingleBar } from 'cli-progress';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/ApiError.js';
import type { ApiClient, ResponseOf } from '../../../shared/api/client.js';
import { apiErrorCodes } from '../../../shared/api/errors.js';
import { maxBulkTasks, taskInput } from '../../../shared/api/schemas/tasks.js';
import { TaskctlError } from './errors.js';

export type TaskRequest = z.input<typeof taskInput>;
type Enqueued = ResponseOf<'tasks.enqueueBulk'>['tasks'][number];

/**
 * Most bytes of JSON one bulk request carries: half the agent's default body limit (16 MiB), so
 * 10 000 tasks with large payloads are split further instead of being refused whole.
 */
export const maxChunkBytes = 8 * 1024 * 1024;

/**
 * Checks every task against the API's own schema before anything is sent, so a bad task in line
 * 20 000 of a file is found before the first 10 000 are enqueued. The error names the field as the
 * agent would (`body.tasks[20000].priority`); exit code 1, like the agent's refusal.
 */
export function checkTasks(tasks: Array<Record<string, unknown>>, single: boolean): TaskRequest[] {
  for (const [index, task] of tasks.entries()) {
    const checked = taskInput.safeParse(task);
    if (checked.success) continue;
    const issue = checked.error.issues[0]!;
    const field = issue.path.reduce<string>((path, segment) => (typeof segment === 'number' ? `${path}[${segment}]` : `${path}.${String(segment)}`), single ? 'body' : `body.tasks[${index}]`);
    throw new TaskctlError(apiErrorCodes.invalidRequest, `${field}: ${issue.message}; no task was enqueued`, { field });
  }
  return tasks as TaskRequest[];
}

/** Consecutive runs of at most `maxCount` tasks and (unless one task alone is larger) `maxBytes` of JSON. */
export function chunksOf<T>(tasks: T[], maxCount: number, maxBytes = maxChunkBytes): Array<{ start: number; tasks: T[] }> {
  const chunks: Array<{ start: number; tasks: T[] }> = [];
  let current: { start: number; tasks: T[] } = { start: 0, tasks: [] };
  let bytes = 0;
  for (const [index, task] of tasks.entries()) {
    const size = Buffer.byteLength(JSON.stringify(task)) + 1;
    if (current.tasks.length > 0 && (current.tasks.length >= maxCount || bytes + size > maxBytes)) {
      chunks.push(current);
      current = { start: index, tasks: [] };
      bytes = 0;
    }
    current.tasks.push(task);
    bytes += size;
  }
  if (current.tasks.length > 0) chunks.push(current);
  return chunks;
}

export interface BulkOptions {
  /** Most tasks per request; at most 10 000 (the API's limit). */
  chunkSize?: number;
  /** Draw a progress bar on stderr (the caller decides: a terminal, and more than one chunk). */
  progress?: (chunks: number) => boolean;
}

/**
 * Enqueues `tasks` with `tasks.enqueueBulk`, one chunk at a time, in order. Each chunk is all or
 * nothing at the agent. When a chunk is refused, the chunks before it stay enqueued: the error
 * says how many, names the bad task by its index in the whole list, and (with `--json`) carries
 * the ids enqueued so far, so a script can resume (or rely on idempotency keys to re-send all).
 */
export async function enqueueInBulk(api: ApiClient, queue: string, tasks: TaskRequest[], options: BulkOptions = {}): Promise<{ tasks: Enqueued[]; requests: number }> {
  const chunks = chunksOf(tasks, Math.min(options.chunkSize ?? maxBulkTasks, maxBulkTasks));
  const bar = options.progress?.(chunks.length)
    ? new SingleBar({ stream: process.stderr, format: 'enqueueing [{bar}] {percentage}% | {value}/{total} tasks | {eta_formatted} left', hideCursor: true, etaBuffer: 4 })
    : undefined;
  bar?.start(tasks.length, 0);
  const enqueued: Enqueued[] = [];
  try {
    for (const chunk of chunks) {
      try {
        const answer = await api.call('tasks.enqueueBulk', { params: { name: queue }, body: { tasks: chunk.tasks } });
        enqueued.push(...answer.tasks);
        bar?.increment(chunk.tasks.length);
      } catch (error) {
        throw chunkFailure(error, chunk.start, enqueued);
      }
    }
  } finally {
    bar?.stop();
  }
  return { tasks: enqueued, requests: chunks.length };
}

/** The refusal of a chunk, with task indexes counted in the whole list and what went in before it. */
function chunkFailure(error: unknown, start: number, enqueued: Enqueued[]): unknown {
  if (!(error instanceof ApiError)) {
    return enqueued.length === 0 ? error : new TaskctlError('failed', `${(error as Error).message}; ${enqueued.length} tasks were enqueued before the failure`, { enqueued: enqueued.length, tasks: enqueued });
  }
  const shift = (text: string) => text.replace(/body\.tasks\[(\d+)\]/g, (_, index: string) => `body.tasks[${start + Number(index)}]`);
  const field = error.field === undefined ? undefined : shift(error.field);
  const issues = error.issues.map((issue) => ({ field: shift(issue.field), message: issue.message }));
  if (enqueued.length === 0) return new ApiError(error.status, { code: error.code, message: shift(error.message), field, issues, retryAfterSeconds: error.retryAfterSeconds });
  return new TaskctlError(error.code, `${shift(error.message)}; the ${enqueued.length} tasks before task ${start} were enqueued, none from there on`, {
    status: error.status,
    ...(field !== undefined && { field }),
    ...(issues.length > 0 && { issues }),
    enqueued: enqueued.length,
    tasks: enqueued,
  });
}
