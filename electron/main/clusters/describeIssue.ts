/** A zod issue as one line naming its field: `clusters[2].connection.url: url must be …`. */
export function describeIssue(issue: { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }): string {
  const segments = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined) segments.push(issue.keys[0]);
  const field = segments.reduce<string>(
    (joined, segment) => (typeof segment === 'number' ? `${joined}[${segment}]` : joined === '' ? String(segment) : `${joined}.${String(segment)}`),
    '',
  );
  return field === '' ? issue.message : `${field}: ${issue.message}`;
}
