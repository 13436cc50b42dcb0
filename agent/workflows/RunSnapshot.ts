/**
 * A workflow run as the planner sees it: the state of every node, what each finished node put
 * out, and which edges have been decided (taken or skipped). The run engine loads one from
 * Postgres, asks `planRun` what to do next, and writes the answer back in one transaction.
 */
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';

/**
 * - `waiting`: its join is not satisfied yet;
 * - `running`: started (its task, items or sub-run are under way);
 * - `succeeded`, `failed` (its last attempt failed), `skipped` (every incoming edge was skipped),
 *   `cancelled` (the run was cancelled before it finished).
 */
export const runNodeStates = ['waiting', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export type RunNodeState = (typeof runNodeStates)[number];

export const runStates = ['running', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
export type RunState = (typeof runStates)[number];

export interface RunNodeSnapshot {
  state: RunNodeState;
  /** The node's output once it succeeded. */
  output?: JsonValue;
  /** Why it failed, once it did: `{ message, … }` from its task, items or sub-run. */
  error?: JsonValue;
}

export interface RunSnapshot {
  state: RunState;
  input: JsonValue;
  nodes: ReadonlyMap<string, RunNodeSnapshot>;
  /** Decided edges by `edgeKey(from, to)`: true when taken, false when skipped. */
  edges: ReadonlyMap<string, boolean>;
}

export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
