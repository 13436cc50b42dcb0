import type { TaskSummary } from '../../../shared/api/events.js';
import { finishedStates, type TaskState } from '../../../shared/task.js';
import type { Engine } from '../../engine/Engine.js';
import { BusListener } from './BusListener.js';
import type { ArchivedTasks, EventBus } from './EventBus.js';
import type { EventSource } from './EventSource.js';
import { SubscriptionRefused } from './SubscriptionRefused.js';
import type { Subscription } from './Subscription.js';
import { summariseTask } from './summariseTask.js';

/** Ticks a task may be missing from the engine, without its archiving being heard of, before it is reported gone. */
const goneAfterTicks = 5;
/** Tasks read from the engine at once during a tick. */
const readConcurrency = 32;

interface Watch {
  subscription: Subscription<'task'>;
  /** `state/attempts` of the last event sent. */
  sent: string;
  missingTicks: number;
  /** A finished state (or the task's disappearance) was sent: nothing more will come. */
  done: boolean;
}

/**
 * `task`: one task's state. The current state at once, then, polling the engine each tick (one
 * read per distinct task however many sockets watch it), an event whenever its state or attempt
 * count changed. The archiver may move a finished task out of the engine between two polls, so the
 * source also hears the leader's archived batches: a watched task's final state always arrives.
 * Changes quicker than a tick (queued → active → failed → queued within a second) are seen as
 * their net result; the attempt count still shows that an attempt happened.
 */
export class TaskSource implements EventSource<'task'> {
  readonly #watches = new Map<Subscription<'task'>, Watch>();
  readonly #archived: BusListener<'archived'>;

  constructor(
    private readonly engine: Engine,
    bus: EventBus,
  ) {
    this.#archived = new BusListener(bus, 'archived', (archived) => this.#heard(archived));
  }

  get ticking(): boolean {
    for (const watch of this.#watches.values()) if (!watch.done) return true;
    return false;
  }

  async add(subscription: Subscription<'task'>): Promise<void> {
    const { queue, taskId } = subscription.topic;
    if (!(await this.engine.getQueue(queue))) throw new SubscriptionRefused('not_found', `no queue ${queue}`, 'topic.queue');
    await this.#archived.hold();
    try {
      const task = await this.engine.getTask(queue, taskId);
      if (!task) throw new SubscriptionRefused('not_found', `no task ${taskId} in queue ${queue} (a finished task leaves the queue once archived)`, 'topic.taskId');
      const summary = summariseTask(task);
      this.#watches.set(subscription, { subscription, sent: fingerprint(summary), missingTicks: 0, done: isFinished(summary.state) });
      subscription.deliver({ task: summary });
    } catch (error) {
      this.#archived.release();
      throw error;
    }
  }

  remove(subscription: Subscription<'task'>): void {
    if (this.#watches.delete(subscription)) this.#archived.release();
  }

  async tick(): Promise<void> {
    const polled = [...this.#watches.values()].filter((watch) => !watch.done);
    const keys = [...new Set(polled.map((watch) => keyOf(watch.subscription.topic.queue, watch.subscription.topic.taskId)))];
    const read = new Map<string, TaskSummary | undefined>();
    for (let start = 0; start < keys.length; start += readConcurrency) {
      const slice = keys.slice(start, start + readConcurrency);
      const tasks = await Promise.all(
        slice.map((key) => {
          const [queue, id] = key.split('\n') as [string, string];
          return this.engine.getTask(queue, id);
        }),
      );
      slice.forEach((key, index) => read.set(key, tasks[index] && summariseTask(tasks[index])));
    }
    for (const watch of polled) {
      if (!this.#watches.has(watch.subscription)) continue;
      const task = read.get(keyOf(watch.subscription.topic.queue, watch.subscription.topic.taskId));
      if (task) this.#update(watch, task);
      else if (!watch.done && ++watch.missingTicks >= goneAfterTicks) {
        watch.done = true;
        watch.subscription.deliver({ task: null });
      }
    }
  }

  #heard({ queue, tasks }: ArchivedTasks): void {
    const byId = new Map(tasks.map((task) => [task.id, task]));
    for (const watch of this.#watches.values()) {
      if (watch.subscription.topic.queue !== queue) continue;
      const task = byId.get(watch.subscription.topic.taskId);
      if (task) this.#update(watch, task);
    }
  }

  #update(watch: Watch, task: TaskSummary): void {
    if (watch.done) return;
    watch.missingTicks = 0;
    const seen = fingerprint(task);
    if (seen === watch.sent) return;
    watch.sent = seen;
    watch.done = isFinished(task.state);
    watch.subscription.deliver({ task });
  }
}

function keyOf(queue: string, id: string): string {
  return `${queue}\n${id}`;
}

function fingerprint(task: TaskSummary): string {
  return `${task.state}/${task.attempts}`;
}

function isFinished(state: TaskState): boolean {
  return (finishedStates as readonly TaskState[]).includes(state);
}
