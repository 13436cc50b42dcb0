import type { BackoffPolicy } from './task.js';

/**
 * Milliseconds to wait before the next attempt, after `attempt` attempts have failed (1-based).
 * Exponential: delayMs · 2^(attempt−1), capped at maxDelayMs; then `jitter` of it is drawn at
 * random, so failures that happened together do not retry together.
 * `random` is injectable so tests are exact; it must return a number in [0, 1).
 */
export function retryDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const steps = Math.max(0, attempt - 1);
  const base = policy.kind === 'fixed' ? policy.delayMs : policy.delayMs * 2 ** Math.min(steps, 52);
  const capped = Math.min(base, policy.maxDelayMs);
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}
