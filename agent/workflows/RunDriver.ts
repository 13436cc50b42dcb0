/**
 * The leader's loop that moves workflow runs on when their work finishes. Two ways in:
 *
 * - **announcements** (the fast path): the engine announces every task a run enqueued when it
 *   finishes (`Engine.onFinished`; the task's key says run, node and item, see shared/workflows/taskKeys.ts), with
 *   its outcome when small; a sub-run that ended is reported by the run engine (`runEnded`).
 *   The driver hands them to `RunEngine.advance` at once.
 * - **the look-round** (the safety net): every `pollIntervalMs` it reads every task and sub-run
 *   that runs wait for, asks the engine (or, for a task already archived, the history) whether it
 *   finished, and hands what did to `advance`. It finds what an announcement missed (a worker
 *   that died between its acknowledgement and the announcement, a listener's connection down, a
 *   lease that expired into `dead`, a task an operator cancelled, work finished while another
 *   agent led), so a lost announcement only delays. While announcements flow (one heard within
 *   the last interval) it looks round only every `busyPollIntervalMs`: reading every running
 *   task costs most when most of them are about to be announced anyway.
 *
 * Completions are batched per run: one `advance` per run at a time, taking every completion that
 * arrived meanwhile, and up to `parallelRuns` runs moving at once. Because the state lives in
 * Postgres and every move happens under the run's lock, an agent that dies mid-run loses nothing:
 * the next leader's driver finds the same running work and carries on; a completion seen twice is
 * ignored the second time (its node is no longer running that task).
 */
import type { Logger } from 'pino';
import { finishedStates, type Task } from '../../shared/task.js';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import type { Engine } from '../engine/Engine.js';
import { hasFinished, type FinishedTask } from '../engine/finishedTasks.js';
import type { TaskHistory } from '../records/TaskHistory.js';
import type { Completion, EndedRun, RunEngine } from './RunEngine.js';
import type { RunningWork, RunStore } from './RunStore.js';
import { placeOfTaskKey } from '../../shared/workflows/taskKeys.js';

export interface RunDriverOptions {
  runs: RunStore;
  runEngine: RunEngine;
  engine: Engine;
  history: TaskHistory;
  isLeader: () => boolean;
  log: Logger;
  /** How often the leader looks round for finished work announcements missed. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How often it looks round at least while announcements flow. Default 10 × `pollIntervalMs`. */
  busyPollIntervalMs?: number;
  /** Work items looked at per look-round. Default 5000. */
  batch?: number;
  /** Runs moved on at once. Default 8. */
  parallelRuns?: number;
}

/** Reads of the engine at once. */
const readConcurrency = 64;

export class RunDriver {
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #looking: Promise<void> | undefined;
  #stopListening: (() => Promise<void>) | undefined;
  #lastHeardAt = -Infinity;
  #lastLookedAt = -Infinity;
  /** Completions waiting for their run's next move, by run. */
  readonly #pending = new Map<string, Completion[]>();
  /** Runs being moved on now, with the move. */
  readonly #moving = new Map<string, Promise<void>>();
  /** Reads of announced tasks that came without their outcome, and attempt counts being recorded. */
  readonly #reads = new Set<Promise<void>>();

  constructor(private readonly options: RunDriverOptions) {}

  /** Listens for announcements, then looks round once and every `pollIntervalMs` after. */
  async start(): Promise<void> {
    this.#stopListening = await this.options.engine.onFinished((tasks) => this.#heard(tasks));
    this.#schedule(0);
  }

  /** Looks round at once (soon after the look-round under way, if one is). */
  wake(): void {
    if (this.#looking || this.#closed) return;
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  /** A run ended: when it is a sub-run, its parent's node finished with it. */
  runEnded(run: EndedRun): void {
    if (this.#closed || !this.options.isLeader() || !run.createdBy?.startsWith('run:')) return;
    this.#add(run.createdBy.slice('run:'.length), { nodeId: null, index: null, workId: run.id, outcome: subRunOutcome(run) });
  }

  /**
   * Looks for finished work now and moves the runs it belongs to on; answers how much work runs
   * wait for and how much of it finished. Resolves once those moves are done.
   */
  async poll(): Promise<{ waiting: number; finished: number }> {
    const work = await this.options.runs.runningWork(this.options.batch ?? 5_000);
    const found: Array<{ runId: string; completion: Completion }> = [];
    const childRuns = work.filter((each) => each.childRun);
    const children = childRuns.length > 0 ? await this.options.runs.states(childRuns.map((each) => each.childRun!)) : new Map();
    for (const each of childRuns) {
      const child = children.get(each.childRun!);
      if (!child || (child.state !== 'succeeded' && child.state !== 'failed' && child.state !== 'cancelled')) continue;
      found.push({ runId: each.runId, completion: completionOf(each, subRunOutcome({ id: each.childRun!, ...child })) });
    }
    const tasks = work.filter((each) => each.taskId && each.queue);
    for (let at = 0; at < tasks.length; at += readConcurrency) {
      const slice = tasks.slice(at, at + readConcurrency);
      const read = await Promise.all(slice.map((each) => this.#finishedTask(each)));
      slice.forEach((each, index) => {
        const task = read[index];
        if (task) found.push({ runId: each.runId, completion: { ...completionOf(each, outcomeOf(task)), attempts: task.attempts } });
      });
    }
    for (const { runId, completion } of found) this.#add(runId, completion);
    await this.settled();
    return { waiting: work.length, finished: found.length };
  }

  /** Resolves when no announced completion is waiting or being applied. */
  async settled(): Promise<void> {
    while (this.#moving.size > 0 || this.#reads.size > 0) {
      await Promise.all([...this.#moving.values(), ...this.#reads]);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#stopListening?.().catch(() => undefined);
    await this.#looking;
    this.#pending.clear();
    await this.settled();
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#looking = this.#lookRound().finally(() => {
        this.#looking = undefined;
        this.#schedule(this.options.pollIntervalMs ?? 1_000);
      });
    }, delayMs);
  }

  async #lookRound(): Promise<void> {
    const now = performance.now();
    const interval = this.options.pollIntervalMs ?? 1_000;
    if (now - this.#lastHeardAt < interval && now - this.#lastLookedAt < (this.options.busyPollIntervalMs ?? interval * 10)) return;
    this.#lastLookedAt = now;
    try {
      if (this.options.isLeader()) await this.poll();
    } catch (error) {
      this.options.log.error({ err: error }, 'the workflow run driver failed to look for finished work');
    }
  }

  /**
   * Announced tasks: their completions go to their runs at once (those without an outcome after a
   * read); a node task being retried has its attempts so far recorded on its node.
   */
  #heard(tasks: readonly FinishedTask[]): void {
    if (this.#closed || !this.options.isLeader()) return;
    this.#lastHeardAt = performance.now();
    for (const task of tasks) {
      const place = placeOfTaskKey(task.idempotencyKey);
      if (!place) continue;
      if (!hasFinished(task)) {
        if (place.index === null && task.attempts !== undefined) this.#noteAttempts(place.runId, place.nodeId, task.id, task.attempts);
        continue;
      }
      const completion = (outcome: Completion['outcome'], attempts: number | undefined): Completion => ({ nodeId: place.nodeId, index: place.index, workId: task.id, outcome, ...(attempts === undefined ? {} : { attempts }) });
      if (task.outcome) {
        this.#add(place.runId, completion(announcedOutcome(task), task.attempts));
        continue;
      }
      const read: Promise<void> = this.#finishedTask({ queue: task.queue, taskId: task.id })
        .then((found) => void (found && this.#add(place.runId, completion(outcomeOf(found), found.attempts))))
        .catch((error: unknown) => this.options.log.warn({ err: error, task: task.id }, 'could not read an announced task; the next look-round will'))
        .finally(() => this.#reads.delete(read));
      this.#reads.add(read);
    }
  }

  /** Records a running node task's attempts so far; a lost write only leaves the count behind until the node finishes. */
  #noteAttempts(runId: string, nodeId: string, taskId: string, attempts: number): void {
    const write: Promise<void> = this.options.runs
      .noteAttempts(runId, nodeId, taskId, attempts)
      .catch((error: unknown) => this.options.log.warn({ err: error, runId, nodeId }, 'could not record the attempts of a retried node task'))
      .finally(() => this.#reads.delete(write));
    this.#reads.add(write);
  }

  #add(runId: string, completion: Completion): void {
    const list = this.#pending.get(runId);
    if (list) list.push(completion);
    else this.#pending.set(runId, [completion]);
    this.#moveOn();
  }

  /** Starts a move for each run with pending completions that is not moving, up to `parallelRuns`. */
  #moveOn(): void {
    const parallel = this.options.parallelRuns ?? 8;
    for (const [runId, completions] of this.#pending) {
      if (this.#moving.size >= parallel) return;
      if (this.#moving.has(runId)) continue;
      this.#pending.delete(runId);
      const move = this.options.runEngine
        .advance(runId, completions)
        .catch((error: unknown) => this.options.log.error({ err: error, runId }, 'a workflow run could not move on'))
        .finally(() => {
          this.#moving.delete(runId);
          if (!this.#closed) this.#moveOn();
        });
      this.#moving.set(runId, move);
    }
  }

  /** The task if it finished, from the engine or (once archived) the history; undefined while it has not. */
  async #finishedTask(work: Pick<RunningWork, 'queue' | 'taskId'>): Promise<Task | undefined> {
    const live = await this.options.engine.getTask(work.queue!, work.taskId!);
    const task = live ?? (await this.options.history.get(work.taskId!, work.queue!));
    return task && (finishedStates as readonly string[]).includes(task.state) ? task : undefined;
  }
}

function completionOf(work: RunningWork, outcome: Completion['outcome']): Completion {
  return { nodeId: work.nodeId, index: work.index, workId: (work.childRun ?? work.taskId)!, outcome };
}

function subRunOutcome(run: Pick<EndedRun, 'id' | 'state' | 'output' | 'failure'>): Completion['outcome'] {
  return run.state === 'succeeded' ? { status: 'succeeded', output: run.output } : { status: 'failed', error: { message: `sub-run ${run.id} ${run.state}`, failure: run.failure } };
}

function outcomeOf(task: Task): Completion['outcome'] {
  if (task.state === 'succeeded') return { status: 'succeeded', output: (task.result ?? null) as JsonValue };
  const error = task.error ? { message: task.error.message, ...(task.error.code ? { code: task.error.code } : {}) } : { message: `task ${task.id} ${task.state}` };
  return { status: 'failed', error: { ...error, task: task.id, state: task.state } };
}

/** The same outcome `outcomeOf` gives for the task once read. */
function announcedOutcome(task: FinishedTask): Completion['outcome'] {
  const outcome = task.outcome!;
  if ('result' in outcome) return { status: 'succeeded', output: (outcome.result ?? null) as JsonValue };
  const error = { message: outcome.error.message, ...(outcome.error.code ? { code: outcome.error.code } : {}) };
  return { status: 'failed', error: { ...error, task: task.id, state: task.state } };
}
