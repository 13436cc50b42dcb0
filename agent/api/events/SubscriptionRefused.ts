import type { RefusalCode } from '../../../shared/api/events.js';

/** A subscription an event source will not start: answered to the client as `refused`. */
export class SubscriptionRefused extends Error {
  override readonly name = 'SubscriptionRefused';

  constructor(
    readonly code: RefusalCode,
    message: string,
    /** The offending field of the subscribe message, e.g. `topic.queue`. */
    readonly field?: string,
  ) {
    super(message);
  }
}
