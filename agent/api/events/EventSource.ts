import type { EventKind } from '../../../shared/api/events.js';
import type { Subscription } from './Subscription.js';
import type { TickSnapshot } from './TickSnapshot.js';

/**
 * Where the events of one topic kind come from. The hub hands each source its subscriptions and,
 * while any source is `ticking`, calls every ticking source once a second with one shared snapshot.
 */
export interface EventSource<K extends EventKind> {
  /**
   * Checks the topic (throws `SubscriptionRefused`, e.g. for an unknown queue) and starts
   * delivering to the subscription, perhaps at once with the current state.
   */
  add(subscription: Subscription<K>): Promise<void>;
  /** Stops delivering to it. Removing one that was never added does nothing. */
  remove(subscription: Subscription<K>): void;
  /** Whether it needs the shared tick now. */
  readonly ticking: boolean;
  tick(snapshot: TickSnapshot): Promise<void>;
}
