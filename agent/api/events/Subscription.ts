import type { EventData, EventKind, EventMessage, TopicOf } from '../../../shared/api/events.js';

/** One subscription of one socket, as the event sources see it. */
export interface Subscription<K extends EventKind = EventKind> {
  /** The id the client chose. */
  readonly id: string;
  readonly topic: TopicOf<K>;
  /** Sends an event of this subscription to its socket. Never throws. */
  deliver(data: EventData<K>): void;
}

/**
 * A subscription of a socket. Events delivered while its source is still starting it are held,
 * and sent after the client has been told `subscribed` (`open`), so the client never sees an
 * event for an id it does not know yet.
 */
export class SocketSubscription<K extends EventKind = EventKind> implements Subscription<K> {
  #held: EventMessage[] | undefined = [];

  constructor(
    readonly id: string,
    readonly topic: TopicOf<K>,
    private readonly send: (message: EventMessage) => void,
  ) {}

  deliver(data: EventData<K>): void {
    const message = { type: 'event', id: this.id, kind: this.topic.kind, data, at: Date.now() } as EventMessage;
    if (this.#held) this.#held.push(message);
    else this.send(message);
  }

  /** Sends what was held and every later event straight away. */
  open(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const message of held) this.send(message);
  }
}
