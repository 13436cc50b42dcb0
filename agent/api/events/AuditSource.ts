import { BusListener } from './BusListener.js';
import type { EventBus } from './EventBus.js';
import type { EventSource } from './EventSource.js';
import type { Subscription } from './Subscription.js';

/**
 * `audit`: every entry appended to the audit log by any agent of the cluster, as `GET /audit`
 * shows it, pushed over Redis pub/sub as it is stored. Entries written while this agent was cut
 * off from Redis are not replayed: read `GET /audit` after a reconnect.
 */
export class AuditSource implements EventSource<'audit'> {
  readonly #subscriptions = new Set<Subscription<'audit'>>();
  readonly #appended: BusListener<'audit'>;

  constructor(bus: EventBus) {
    this.#appended = new BusListener(bus, 'audit', (entry) => {
      for (const subscription of this.#subscriptions) subscription.deliver(entry);
    });
  }

  readonly ticking = false;

  async add(subscription: Subscription<'audit'>): Promise<void> {
    await this.#appended.hold();
    this.#subscriptions.add(subscription);
  }

  remove(subscription: Subscription<'audit'>): void {
    if (this.#subscriptions.delete(subscription)) this.#appended.release();
  }

  async tick(): Promise<void> {}
}
