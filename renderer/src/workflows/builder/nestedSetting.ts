/**
 * Sets one setting inside an optional nested object (a node's `retry.backoff.delayMs`, say),
 * answering a new object: `undefined` removes the setting, and an object left empty is removed
 * too, so a cleared retry policy disappears from the definition instead of staying as `{}`.
 */
type Settings = Record<string, unknown>;

export function withNestedSetting(object: Settings | undefined, path: readonly string[], value: unknown): Settings | undefined {
  const [key, ...rest] = path;
  if (key === undefined) throw new Error('withNestedSetting needs a path');
  const next: Settings = { ...object };
  const inner = rest.length === 0 ? value : withNestedSetting(next[key] as Settings | undefined, rest, value);
  if (inner === undefined) delete next[key];
  else next[key] = inner;
  return Object.keys(next).length === 0 ? undefined : next;
}

/** The setting at `path`, or undefined. */
export function nestedSetting(object: Settings | undefined, path: readonly string[]): unknown {
  let at: unknown = object;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Settings)[key] : undefined;
  return at;
}
