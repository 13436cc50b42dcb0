/**
 * Text PostgreSQL can store. Switchyard keeps its records (users, keys, the audit log, task
 * history) in PostgreSQL, whose `text` and `jsonb` cannot hold the character U+0000 or a lone
 * UTF-16 surrogate (half of a pair). Input carrying either is refused where it enters, naming
 * the field; text a handler produces (results, error messages) is made storable on its way into
 * history instead, since refusing it would lose the outcome.
 */

/** Whether `text` holds U+0000 or an unpaired surrogate. */
export function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed();
}

/**
 * Whether JSON text (as `JSON.stringify` writes it) holds an escaped U+0000 or lone surrogate:
 * `JSON.stringify` escapes exactly those as `\u0000` and `\udXXX`, and writes valid pairs as is.
 * An even run of backslashes before the `u` is an escaped backslash, not an escape.
 */
export function jsonIsUnstorable(json: string): boolean {
  return unstorableEscape.test(json);
}
const unstorableEscape = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** The path of the first string or key in `value` that cannot be stored (`body.tasks[2].type`), or undefined. */
export function findUnstorable(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isUnstorable(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnstorable(value[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isUnstorable(key)) return `${path}.${key.toWellFormed().replaceAll('\u0000', '\uFFFD')}`;
      const found = findUnstorable(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** `text` with U+0000 and lone surrogates replaced by U+FFFD (the replacement character). */
export function storable(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/** A copy of a JSON value with every string and key made storable. */
export function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storableValue(item)]));
  }
  return value;
}
