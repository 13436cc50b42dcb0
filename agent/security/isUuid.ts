const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in its usual text form. Ids from requests are checked with this
 * before they reach a `uuid` column, where anything else would be a database error rather than
 * "no such row".
 */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
