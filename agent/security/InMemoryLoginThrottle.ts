import { loginCounters, loginForgetAfterMs, loginWaitMs, type LoginCheck, type LoginThrottle } from './LoginThrottle.js';

/** One counter: its failures, when they are forgotten, and until when a sign-in must wait. */
interface Counter {
  failures: number;
  forgetAt: number;
  waitUntil: number;
}

/**
 * The login throttle in this process's memory, with the same rules as `RedisLoginThrottle`
 * (LoginThrottle.ts), for an agent without Redis: it is the only agent of its cluster, so its
 * own counts are the cluster's. Counters are forgotten an hour after their last failure (swept
 * as they are touched, and all expired ones at most once a minute), and lost on restart.
 */
export class InMemoryLoginThrottle implements LoginThrottle {
  readonly #counters = new Map<string, Counter>();
  readonly #now: () => number;
  #sweptAt = 0;

  constructor({ now = Date.now }: { now?: () => number } = {}) {
    this.#now = now;
  }

  async check(username: string, address: string): Promise<LoginCheck> {
    const now = this.#now();
    const waits = loginCounters(username, address).map(({ name }) => {
      const counter = this.#current(name, now);
      return counter ? counter.waitUntil - now : 0;
    });
    const retryAfterMs = Math.max(0, ...waits);
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const now = this.#now();
    this.#sweep(now);
    for (const { name, rule } of loginCounters(username, address)) {
      const counter = this.#current(name, now) ?? { failures: 0, forgetAt: 0, waitUntil: 0 };
      counter.failures += 1;
      counter.forgetAt = now + loginForgetAfterMs;
      const wait = loginWaitMs(counter.failures, rule);
      if (wait > 0) counter.waitUntil = now + wait;
      this.#counters.set(name, counter);
    }
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    for (const { name } of loginCounters(username, address).slice(0, 2)) this.#counters.delete(name);
  }

  #current(name: string, now: number): Counter | undefined {
    const counter = this.#counters.get(name);
    if (counter && counter.forgetAt <= now) {
      this.#counters.delete(name);
      return undefined;
    }
    return counter;
  }

  #sweep(now: number): void {
    if (now - this.#sweptAt < 60_000) return;
    this.#sweptAt = now;
    for (const [name, counter] of this.#counters) if (counter.forgetAt <= now) this.#counters.delete(name);
  }
}
