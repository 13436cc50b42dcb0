import type { EventData } from '../../../shared/api/events.js';
import type { Engine } from '../../engine/Engine.js';
import type { EventSource } from './EventSource.js';
import { SubscriptionRefused } from './SubscriptionRefused.js';
import type { Subscription } from './Subscription.js';
import type { TickSnapshot } from './TickSnapshot.js';

type QueueStats = EventData<'queueStats'>['queues'][number];

/**
 * `queueStats`: each tick, the counts per state and the paused flag of every queue (or the named
 * one), read once for every subscriber of the agent. Sent every tick, changed or not, so charts
 * get one point a second. A deleted queue drops out of the list.
 */
export class QueueStatsSource implements EventSource<'queueStats'> {
  readonly #subscriptions = new Set<Subscription<'queueStats'>>();

  constructor(private readonly engine: Engine) {}

  get ticking(): boolean {
    return this.#subscriptions.size > 0;
  }

  async add(subscription: Subscription<'queueStats'>): Promise<void> {
    const { queue } = subscription.topic;
    if (queue !== undefined && !(await this.engine.getQueue(queue))) throw new SubscriptionRefused('not_found', `no queue ${queue}`, 'topic.queue');
    this.#subscriptions.add(subscription);
  }

  remove(subscription: Subscription<'queueStats'>): void {
    this.#subscriptions.delete(subscription);
  }

  async tick(snapshot: TickSnapshot): Promise<void> {
    const subscriptions = [...this.#subscriptions];
    if (subscriptions.length === 0) return;
    const everyQueue = subscriptions.some((subscription) => subscription.topic.queue === undefined);
    const names = everyQueue ? (await snapshot.queues()).map((queue) => queue.name) : [...new Set(subscriptions.map((subscription) => subscription.topic.queue!))];
    const read = await Promise.all(
      names.map(async (name): Promise<QueueStats | undefined> => {
        const [counts, paused] = await Promise.all([snapshot.counts(name), snapshot.paused(name)]);
        return counts && paused !== undefined ? { name, paused, counts } : undefined;
      }),
    );
    const stats = read.filter((queue): queue is QueueStats => queue !== undefined);
    for (const subscription of subscriptions) {
      if (!this.#subscriptions.has(subscription)) continue;
      const { queue } = subscription.topic;
      subscription.deliver({ queues: queue === undefined ? stats : stats.filter((candidate) => candidate.name === queue) });
    }
  }
}
