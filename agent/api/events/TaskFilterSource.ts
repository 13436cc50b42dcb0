import type { TaskSummary } from '../../../shared/api/events.js';
import { taskStates, type StateCounts, type TaskState } from '../../../shared/task.js';
import type { Engine } from '../../engine/Engine.js';
import { BusListener } from './BusListener.js';
import type { ArchivedTasks, EventBus } from './EventBus.js';
import type { EventSource } from './EventSource.js';
import { SubscriptionRefused } from './SubscriptionRefused.js';
import type { Subscription } from './Subscription.js';
import { summariseTask } from './summariseTask.js';
import { TickSnapshot } from './TickSnapshot.js';

interface Filter {
  subscription: Subscription<'tasks'>;
  states: readonly TaskState[];
  types: ReadonlySet<string> | undefined;
  /** The counts of the last counts event sent. */
  sent: Partial<StateCounts> | undefined;
  /** Each task's state as the last tick saw it; undefined before the first tick. */
  seen: Map<string, TaskState> | undefined;
}

/**
 * `tasks`: a filter over one queue's tasks, built from what the engines expose without a change
 * feed (which they do not have yet):
 * - `counts`: each tick, the queue's counts of the filter's states, sent when any of them changed
 *   since the last one sent (the first at once), with the change per state. The engine counts per
 *   queue, not per type, so these ignore `types`.
 * - `finished`: every task of the queue that reached a finished state (succeeded, dead,
 *   cancelled) and matches `types` and `states`, in the batches the leader's archiver moves it to
 *   history in, from whichever agent leads: usually within a second or two of finishing.
 * - `states`: each tick, the tasks of the queue that match the filter and appeared or changed
 *   state since the previous tick, found by reading the tasks the engine holds (at most
 *   `tasksPerTick` a tick, shared by every subscription to the queue; `complete: false` says a
 *   queue held more). A task that changes and changes back within a second is not seen.
 */
export class TaskFilterSource implements EventSource<'tasks'> {
  readonly #filters = new Map<Subscription<'tasks'>, Filter>();
  readonly #archived: BusListener<'archived'>;

  constructor(
    private readonly engine: Engine,
    bus: EventBus,
  ) {
    this.#archived = new BusListener(bus, 'archived', (archived) => this.#heard(archived));
  }

  get ticking(): boolean {
    return this.#filters.size > 0;
  }

  async add(subscription: Subscription<'tasks'>): Promise<void> {
    const { queue, states, types } = subscription.topic;
    if (!(await this.engine.getQueue(queue))) throw new SubscriptionRefused('not_found', `no queue ${queue}`, 'topic.queue');
    await this.#archived.hold();
    this.#filters.set(subscription, { subscription, states: states ? [...new Set(states)] : taskStates, types: types && new Set(types), sent: undefined, seen: await this.#states0(queue) });
  }

  /** The states of the queue's tasks when a subscription starts: changes are counted from here. */
  async #states0(queue: string): Promise<Map<string, TaskState> | undefined> {
    const read = await new TickSnapshot(this.engine).tasks(queue);
    return read && new Map(read.tasks.map((task) => [task.id, task.state]));
  }

  remove(subscription: Subscription<'tasks'>): void {
    if (this.#filters.delete(subscription)) this.#archived.release();
  }

  async tick(snapshot: TickSnapshot): Promise<void> {
    const filters = [...this.#filters.values()];
    const counted = new Map(await Promise.all([...new Set(filters.map((filter) => filter.subscription.topic.queue))].map(async (queue) => [queue, await snapshot.counts(queue)] as const)));
    for (const filter of filters) {
      const counts = counted.get(filter.subscription.topic.queue);
      if (!counts || !this.#filters.has(filter.subscription)) continue;
      const selected = Object.fromEntries(filter.states.map((state) => [state, counts[state]])) as Partial<StateCounts>;
      await this.#states(filter, snapshot);
      const previous = filter.sent;
      if (previous === undefined) {
        filter.sent = selected;
        filter.subscription.deliver({ change: 'counts', counts: selected, delta: null });
        continue;
      }
      const delta = Object.fromEntries(filter.states.map((state) => [state, (selected[state] ?? 0) - (previous[state] ?? 0)])) as Partial<StateCounts>;
      if (Object.values(delta).every((change) => change === 0)) continue;
      filter.sent = selected;
      filter.subscription.deliver({ change: 'counts', counts: selected, delta });
    }
  }

  /** Delivers the matching tasks that appeared or changed state since the last tick. */
  async #states(filter: Filter, snapshot: TickSnapshot): Promise<void> {
    const read = await snapshot.tasks(filter.subscription.topic.queue);
    if (!read || !this.#filters.has(filter.subscription)) return;
    const seen = new Map(read.tasks.map((task) => [task.id, task.state]));
    const previous = filter.seen;
    filter.seen = seen;
    if (previous === undefined) return;
    const changed = read.tasks.filter((task) => previous.get(task.id) !== task.state).map(summariseTask).filter((task) => matches(filter, task));
    if (changed.length > 0) filter.subscription.deliver({ change: 'states', tasks: changed, complete: read.complete });
  }

  #heard({ queue, tasks }: ArchivedTasks): void {
    for (const filter of this.#filters.values()) {
      if (filter.subscription.topic.queue !== queue) continue;
      const matching = tasks.filter((task) => matches(filter, task));
      if (matching.length > 0) filter.subscription.deliver({ change: 'finished', tasks: matching });
    }
  }
}

function matches(filter: Filter, task: TaskSummary): boolean {
  return filter.states.includes(task.state) && (filter.types === undefined || filter.types.has(task.type));
}
