/**
 * `run`: one workflow run's state and its nodes' states, at once and then whenever any of them
 * changes. Each tick reads every watched run in two queries however many sockets watch them.
 * A finished run is still watched: a retry from a node brings it back to running.
 */
import type { EventData } from '../../../shared/api/events.js';
import type { RunStore } from '../../workflows/RunStore.js';
import type { EventSource } from './EventSource.js';
import { SubscriptionRefused } from './SubscriptionRefused.js';
import type { Subscription } from './Subscription.js';

type RunEvent = EventData<'run'>['run'];

export class RunSource implements EventSource<'run'> {
  readonly #sent = new Map<Subscription<'run'>, string>();

  constructor(private readonly runs: RunStore | undefined) {}

  get ticking(): boolean {
    return this.#sent.size > 0;
  }

  async add(subscription: Subscription<'run'>): Promise<void> {
    if (!this.runs) throw new SubscriptionRefused('not_found', 'this event hub keeps no workflow runs', 'topic.runId');
    const [run] = await this.runs.summaries([subscription.topic.runId]);
    if (!run) throw new SubscriptionRefused('not_found', `no run ${subscription.topic.runId}`, 'topic.runId');
    this.#sent.set(subscription, JSON.stringify(run));
    subscription.deliver({ run });
  }

  remove(subscription: Subscription<'run'>): void {
    this.#sent.delete(subscription);
  }

  async tick(): Promise<void> {
    if (!this.runs || this.#sent.size === 0) return;
    const ids = [...new Set([...this.#sent.keys()].map((subscription) => subscription.topic.runId))];
    const byId = new Map<string, RunEvent>((await this.runs.summaries(ids)).map((run) => [run.id, run]));
    for (const [subscription, sent] of this.#sent) {
      const run = byId.get(subscription.topic.runId);
      if (!run) continue;
      const seen = JSON.stringify(run);
      if (seen === sent) continue;
      this.#sent.set(subscription, seen);
      subscription.deliver({ run });
    }
  }
}
