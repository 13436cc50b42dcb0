/** Where a schema issue is, written as in the JSON it points into: `nodes[2].input.value`; empty for the whole value. */
export function schemaIssuePath(path: readonly PropertyKey[]): string {
  return path.map((part, at) => (typeof part === 'number' ? `[${part}]` : `${at === 0 ? '' : '.'}${String(part)}`)).join('');
}
