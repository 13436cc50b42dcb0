/**
 * Key layout of one queue. Every key carries the hash tag `{q:<name>}` so a queue lives in one
 * Redis Cluster slot and its Lua commands run unchanged on a cluster.
 */
export interface QueueKeys {
  /** The fourteen keys every command receives, in the order of includes/queueKeys.lua. */
  keys: readonly string[];
  /** Prefix of the queue's other keys (`<base>lease:<token>`, `<base>idem:<key>`) and wake channel. */
  base: string;
  /** Channel a message is published on when tasks become claimable. */
  wakeChannel: string;
  /** Glob matching every key of the queue. */
  pattern: string;
  meta: string;
  counts: string;
  specs: string;
  records: string;
  results: string;
  errors: string;
  histories: string;
  /** Lines handlers logged, per attempt: field `<task id>#<attempt>`. */
  logs: string;
}

export function queueKeys(prefix: string, queue: string): QueueKeys {
  const base = `${prefix}:{q:${queue}}:`;
  const names = ['meta', 'pending', 'scheduled', 'active', 'finished', 'counts', 'sequence', 'rate', 'leases', 'specs', 'records', 'results', 'errors', 'histories'];
  return {
    keys: names.map((name) => base + name),
    base,
    wakeChannel: `${base}wake`,
    pattern: `${base}*`,
    meta: `${base}meta`,
    counts: `${base}counts`,
    specs: `${base}specs`,
    records: `${base}records`,
    results: `${base}results`,
    errors: `${base}errors`,
    histories: `${base}histories`,
    logs: `${base}logs`,
  };
}

/** The set of queue names of one prefix (one key, outside every queue's slot). */
export function queueIndexKey(prefix: string): string {
  return `${prefix}:queues`;
}
