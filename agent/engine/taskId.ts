import { randomUUID } from 'node:crypto';

/**
 * A new task id: a UUID version 7 (RFC 9562) — 48 bits of Unix milliseconds, then random bits —
 * so ids are unique across queues, engines and agents, and sort by creation time.
 */
export function newTaskId(now: number = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
