import { finishedStates, type FinishedState, type Task, type TaskState } from '../../shared/task.js';
import { taskErrorCodes } from '../../shared/taskErrors.js';
import type { Engine } from '../engine/Engine.js';
import { EngineError } from '../engine/EngineError.js';
import type { HistoryFilter, HistoryPosition, HistoryTask, TaskHistory } from '../records/TaskHistory.js';

/** What a search narrows tasks by; every field is optional and they combine with AND. */
export interface TaskFilter {
  queue?: string;
  types?: readonly string[];
  states?: readonly TaskState[];
  /** The task's latest event (finished, else started, else created) at or after this, epoch ms. */
  since?: number;
  /** …and before this. */
  until?: number;
  /** Case-insensitive text in the payload or the last error's message. */
  text?: string;
}

/** A found task, and where it was found. */
export interface FoundTask extends Task {
  source: 'engine' | 'history';
  requeuedAs: string | null;
}

/**
 * Where a search stopped. Tasks live in two places: the engine holds live tasks (and finished
 * ones for the second or so before the archiver moves them), history holds the rest. A search
 * walks the engine queue by queue first, then history newest first.
 */
type Position =
  | {
      phase: 'engine';
      queues: string[];
      queueIndex: number;
      /** The scan cursor that reads the current page of the current queue. */
      engineCursor: string | null;
      /** Matches of the current page already answered. */
      skip: number;
    }
  | { phase: 'history'; after: HistoryPosition | null };

/**
 * Most engine records one answer examines, so a search that matches little still answers
 * promptly: it then holds fewer tasks than asked, and a cursor to go on.
 */
const engineRecordsPerPage = 2_000;

export class TaskSearch {
  constructor(
    private readonly engine: Engine,
    private readonly history: TaskHistory,
  ) {}

  /** One task by id: from the engine while it holds it, else from history. */
  async find(id: string, queue?: string): Promise<FoundTask | undefined> {
    const queues = queue ? [queue] : (await this.engine.listQueues()).map((definition) => definition.name);
    for (const name of queues) {
      const task = await this.engine.getTask(name, id);
      if (task) return { ...task, source: 'engine', requeuedAs: null };
    }
    const archived = await this.history.get(id, queue);
    return archived && fromHistory(archived);
  }

  /**
   * Up to `limit` matching tasks and the cursor of the next page (null at the end). Engine tasks
   * come in no set order; history newest first. A page may hold fewer than `limit` tasks before
   * the end: the cursor says whether there is more.
   */
  async search(filter: TaskFilter, limit: number, cursor?: string): Promise<{ tasks: FoundTask[]; nextCursor: string | null }> {
    let position: Position | null = cursor ? decode(cursor) : await this.start(filter);
    const tasks: FoundTask[] = [];
    let examined = 0;
    while (position && tasks.length < limit) {
      if (position.phase === 'engine') {
        if (examined >= engineRecordsPerPage) break;
        const queue = position.queues[position.queueIndex];
        if (queue === undefined) {
          position = this.historyStart(filter);
          continue;
        }
        const page = await this.engine.scanTasks(queue, { cursor: position.engineCursor, count: 1_000 }).catch(skipDeletedQueue);
        examined += page.tasks.length;
        const matching = page.tasks.filter((task) => matches(task, filter)).slice(position.skip);
        const taken = matching.slice(0, limit - tasks.length);
        tasks.push(...taken.map((task): FoundTask => ({ ...task, source: 'engine', requeuedAs: null })));
        if (taken.length < matching.length) {
          // The page had more than this answer holds: the next one reads the same page again, past these.
          position = { ...position, skip: position.skip + taken.length };
          break;
        }
        position = page.cursor ? { ...position, engineCursor: page.cursor, skip: 0 } : { ...position, queueIndex: position.queueIndex + 1, engineCursor: null, skip: 0 };
      } else {
        const found = await this.history.search(historyFilter(filter), limit - tasks.length + 1, position.after ?? undefined);
        const page = found.slice(0, limit - tasks.length);
        tasks.push(...page.map(fromHistory));
        const last = page.at(-1);
        position = found.length > page.length && last ? { phase: 'history', after: { finishedAt: last.finishedAt!, id: last.id } } : null;
      }
    }
    return { tasks, nextCursor: position ? encode(position) : null };
  }

  private async start(filter: TaskFilter): Promise<Position | null> {
    const queues = filter.queue ? [filter.queue] : (await this.engine.listQueues()).map((definition) => definition.name).sort();
    return { phase: 'engine', queues, queueIndex: 0, engineCursor: null, skip: 0 };
  }

  /** History holds finished tasks only: a search for live states skips it. */
  private historyStart(filter: TaskFilter): Position | null {
    if (filter.states?.length && !filter.states.some((state) => isFinished(state))) return null;
    return { phase: 'history', after: null };
  }
}

/** A queue deleted between two pages has nothing more to give; any other failure is real. */
function skipDeletedQueue(error: unknown): { tasks: Task[]; cursor: null } {
  if (error instanceof EngineError && error.code === taskErrorCodes.unknownQueue) return { tasks: [], cursor: null };
  throw error;
}

function isFinished(state: TaskState): state is FinishedState {
  return (finishedStates as readonly TaskState[]).includes(state);
}

function historyFilter(filter: TaskFilter): HistoryFilter {
  return { ...filter, states: filter.states?.filter(isFinished) };
}

function fromHistory(task: HistoryTask): FoundTask {
  const { errorSignature: _signature, errorTitle: _title, ...rest } = task;
  return { ...rest, source: 'history' };
}

/** The same filter, applied to a task the engine holds. */
export function matches(task: Task, filter: TaskFilter): boolean {
  if (filter.types?.length && !filter.types.includes(task.type)) return false;
  if (filter.states?.length && !filter.states.includes(task.state)) return false;
  const latest = task.finishedAt ?? task.startedAt ?? task.createdAt;
  if (filter.since !== undefined && latest < filter.since) return false;
  if (filter.until !== undefined && latest >= filter.until) return false;
  if (filter.text) {
    const text = filter.text.toLowerCase();
    const inPayload = JSON.stringify(task.payload ?? null).toLowerCase().includes(text);
    if (!inPayload && !(task.error?.message.toLowerCase().includes(text) ?? false)) return false;
  }
  return true;
}

function encode(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A cursor from a client: checked, since it is input. */
function decode(cursor: string): Position | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const position = parsed as Position;
  if (position?.phase === 'engine' && Array.isArray(position.queues) && position.queues.every((queue) => typeof queue === 'string') && Number.isInteger(position.queueIndex) && Number.isInteger(position.skip) && position.skip >= 0 && (position.engineCursor === null || (typeof position.engineCursor === 'string' && /^\d{1,20}$/.test(position.engineCursor)))) {
    return position;
  }
  if (position?.phase === 'history' && (position.after === null || (typeof position.after?.id === 'string' && /^[0-9a-f-]{36}$/.test(position.after.id) && Number.isFinite(position.after.finishedAt)))) {
    return position;
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('the cursor is not one this agent gave out');
  }
}
