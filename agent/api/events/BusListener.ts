import type { BusChannel, BusMessages, EventBus } from './EventBus.js';

/**
 * A source's listening to one bus channel, counted: each subscription that needs the channel
 * holds it (`hold` resolves once the Redis subscription is in place, and rejects, holding
 * nothing, when it cannot be made) and releases it once; the agent listens while any holds it.
 */
export class BusListener<C extends BusChannel> {
  #holders = 0;
  #stop: Promise<() => void> | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly channel: C,
    private readonly listener: (message: BusMessages[C]) => void,
  ) {}

  async hold(): Promise<void> {
    this.#holders += 1;
    if (!this.#stop) {
      const stop = this.bus.listen(this.channel, this.listener);
      this.#stop = stop;
      stop.catch(() => {
        if (this.#stop === stop) this.#stop = undefined;
      });
    }
    try {
      await this.#stop;
    } catch (error) {
      this.release();
      throw error;
    }
  }

  release(): void {
    this.#holders = Math.max(0, this.#holders - 1);
    if (this.#holders > 0) return;
    const stop = this.#stop;
    this.#stop = undefined;
    void stop?.then(
      (stopListening) => stopListening(),
      () => undefined,
    );
  }
}
