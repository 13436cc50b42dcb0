/**
 * The leader's loop that notices finished work of workflow runs: it reads every task and sub-run
 * that a run waits for, asks the engine (or, for a task already archived, the history) whether
 * it finished, and hands what did to `RunEngine.advance`, one call per run. How soon it looks
 * again adapts: `minimumIntervalMs` after a pass that found finished work (so a chain of quick
 * steps moves on within milliseconds), twice as long after each pass that found none, up to
 * `activeIntervalMs` while runs wait for work (so a run waiting on an hour-long task costs a few
 * reads a second), and `idleIntervalMs` when no run waits for anything. `wake()` (called when a
 * run starts on this agent) looks at once.
 *
 * Because the state lives in Postgres and every move happens under the run's lock, an agent that
 * dies mid-run loses nothing: the next leader's driver finds the same running work and carries on;
 * a completion seen twice is ignored the second time (its node is no longer running that task).
 */
import type { Logger } from 'pino';
import { finishedStates, type Task } from '../../shared/task.js';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import type { Engine } from '../engine/Engine.js';
import type { TaskHistory } from '../records/TaskHistory.js';
import type { Completion, RunEngine } from './RunEngine.js';
import type { RunningWork, RunStore } from './RunStore.js';

export interface RunDriverOptions {
  runs: RunStore;
  runEngine: RunEngine;
  engine: Engine;
  history: TaskHistory;
  isLeader: () => boolean;
  log: Logger;
  /** Default 2 ms. */
  minimumIntervalMs?: number;
  /** Default 200 ms. */
  activeIntervalMs?: number;
  /** Default 1000 ms. */
  idleIntervalMs?: number;
  /** Work items looked at per pass. Default 5000. */
  batch?: number;
}

/** Reads of the engine at once. */
const readConcurrency = 64;

export class RunDriver {
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #running: Promise<void> | undefined;
  #delayMs = 0;

  constructor(private readonly options: RunDriverOptions) {}

  start(): void {
    this.#schedule(0);
  }

  /** Looks at once (soon after the pass under way, if one is). */
  wake(): void {
    this.#delayMs = 0;
    if (this.#running || this.#closed) return;
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  /** Looks for finished work now; answers how much work runs wait for and how much of it finished. */
  async poll(): Promise<{ waiting: number; finished: number }> {
    const work = await this.options.runs.runningWork(this.options.batch ?? 5_000);
    const completions = new Map<string, Completion[]>();
    const childRuns = work.filter((each) => each.childRun);
    const children = childRuns.length > 0 ? await this.options.runs.states(childRuns.map((each) => each.childRun!)) : new Map();
    for (const each of childRuns) {
      const child = children.get(each.childRun!);
      if (!child || (child.state !== 'succeeded' && child.state !== 'failed' && child.state !== 'cancelled')) continue;
      const outcome: Completion['outcome'] =
        child.state === 'succeeded' ? { status: 'succeeded', output: child.output } : { status: 'failed', error: { message: `sub-run ${each.childRun} ${child.state}`, failure: child.failure } };
      add(completions, each, outcome);
    }
    const tasks = work.filter((each) => each.taskId && each.queue);
    for (let at = 0; at < tasks.length; at += readConcurrency) {
      const slice = tasks.slice(at, at + readConcurrency);
      const found = await Promise.all(slice.map((each) => this.#finishedTask(each)));
      slice.forEach((each, index) => {
        const task = found[index];
        if (task) add(completions, each, outcomeOf(task));
      });
    }
    let finished = 0;
    for (const [runId, runCompletions] of completions) {
      finished += runCompletions.length;
      await this.options.runEngine.advance(runId, runCompletions).catch((error: unknown) => this.options.log.error({ err: error, runId }, 'a workflow run could not move on'));
    }
    return { waiting: work.length, finished };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#pass().finally(() => (this.#running = undefined));
    }, delayMs);
  }

  async #pass(): Promise<void> {
    let found = { waiting: 0, finished: 0 };
    try {
      if (this.options.isLeader()) found = await this.poll();
    } catch (error) {
      this.options.log.error({ err: error }, 'the workflow run driver failed a pass');
    }
    const minimum = this.options.minimumIntervalMs ?? 2;
    if (found.finished > 0) this.#delayMs = minimum;
    else if (found.waiting > 0) this.#delayMs = Math.min(Math.max(minimum, this.#delayMs * 2), this.options.activeIntervalMs ?? 200);
    else this.#delayMs = this.options.idleIntervalMs ?? 1_000;
    this.#schedule(this.#delayMs);
  }

  /** The task if it finished, from the engine or (once archived) the history; undefined while it has not. */
  async #finishedTask(work: RunningWork): Promise<Task | undefined> {
    const live = await this.options.engine.getTask(work.queue!, work.taskId!);
    const task = live ?? (await this.options.history.get(work.taskId!, work.queue!));
    return task && (finishedStates as readonly string[]).includes(task.state) ? task : undefined;
  }
}

function add(completions: Map<string, Completion[]>, work: RunningWork, outcome: Completion['outcome']): void {
  const list = completions.get(work.runId) ?? [];
  list.push({ nodeId: work.nodeId, index: work.index, workId: (work.childRun ?? work.taskId)!, outcome });
  completions.set(work.runId, list);
}

function outcomeOf(task: Task): Completion['outcome'] {
  if (task.state === 'succeeded') return { status: 'succeeded', output: (task.result ?? null) as JsonValue };
  const error = task.error ? { message: task.error.message, ...(task.error.code ? { code: task.error.code } : {}) } : { message: `task ${task.id} ${task.state}` };
  return { status: 'failed', error: { ...error, task: task.id, state: task.state } };
}
