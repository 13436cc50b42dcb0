import { localClusterId } from '../../../shared/clusters.js';

/** Longest id a profile may have (`clusterProfile` in shared/clusters.ts). */
const maxIdLength = 64;

/**
 * A new cluster's id, from its name: lower-case letters, digits and dashes (`Prod EU` → `prod-eu`),
 * `cluster` when the name has none of those, and `-2`, `-3`, … after it when the id is taken.
 * `this-computer` is kept for the embedded agent, so a user's cluster named "This computer" gets
 * `this-computer-2`.
 */
export function clusterSlug(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, maxIdLength - 4)
      .replace(/-+$/, '') || 'cluster';
  const unavailable = (id: string) => taken.has(id) || id === localClusterId;
  if (!unavailable(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!unavailable(candidate)) return candidate;
  }
}

/** `name`, or `name (2)`, `name (3)`, … when another cluster already has it (case-insensitive). */
export function uniqueClusterName(name: string, taken: ReadonlySet<string>): string {
  const lowerTaken = new Set([...taken].map((existing) => existing.toLowerCase()));
  if (!lowerTaken.has(name.toLowerCase())) return name;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${name.slice(0, 60 - ` (${suffix})`.length)} (${suffix})`;
    if (!lowerTaken.has(candidate.toLowerCase())) return candidate;
  }
}
