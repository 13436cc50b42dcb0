import { rateVerdict, type ApiKeyRateLimiter, type RateVerdict } from './ApiKeyRateLimiter.js';

/**
 * The API key limit in this process's memory, for a lone agent without Redis (rules in
 * ApiKeyRateLimiter.ts). It keeps only the current second's counters: a new second starts afresh.
 */
export class InMemoryApiKeyRateLimiter implements ApiKeyRateLimiter {
  readonly #perSecond: number;
  readonly #now: () => number;
  #second = -1;
  readonly #counts = new Map<string, number>();

  /** `perSecond`: requests one key may make per second; 0 for no limit. */
  constructor({ perSecond, now = Date.now }: { perSecond: number; now?: () => number }) {
    this.#perSecond = perSecond;
    this.#now = now;
  }

  async take(keyId: string): Promise<RateVerdict> {
    if (this.#perSecond === 0) return { allowed: true };
    const now = this.#now();
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#counts.clear();
    }
    const count = (this.#counts.get(keyId) ?? 0) + 1;
    this.#counts.set(keyId, count);
    return rateVerdict(count, this.#perSecond, second, now);
  }
}
