/** Keys whose values are secrets: passwords, secrets, tokens, API keys, authorization headers, cookies. */
const secretKey = /pass(word)?|secret|token|api.?key|authorization|cookie/i;

export const redacted = '[redacted]';

/**
 * A deep copy of `value` with the value of every key that looks like it holds a secret replaced
 * by `"[redacted]"`, at any depth, in objects and in arrays of objects. Used on everything written
 * to the audit log. Values with `toJSON` (dates) are copied as their JSON form; a circular
 * reference becomes `"[circular]"`; functions and symbols are dropped as JSON would drop them.
 */
export function redactSecrets(value: unknown): unknown {
  return copy(value, new WeakSet());
}

function copy(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return copy((value as { toJSON: () => unknown }).toJSON(), seen);
  }
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, seen));
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const copied = secretKey.test(key) ? redacted : copy(item, seen);
      if (copied !== undefined) result[key] = copied;
    }
    return result;
  } finally {
    seen.delete(value);
  }
}
