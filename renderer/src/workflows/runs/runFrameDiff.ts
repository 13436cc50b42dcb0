/**
 * Diffing a `run` event's states frame against what the view holds: which nodes changed (only
 * those are redrawn) and which finished since (then the view reads the run again for their
 * outputs and errors, which frames do not carry).
 */
import type { EventData } from '../../../../shared/api/events.js';
import { isFinished } from './nodeDisplay.js';

/** One node as a `run` frame carries it: state, starts, attempts once finished, map progress and times. */
export type RunNodeStatus = EventData<'run'>['run']['nodes'][number];

export interface FrameDiff {
  /** Nodes whose state, starts, attempts, progress or times differ from the previous ones (or that are new). */
  changed: RunNodeStatus[];
  /** Of those, the nodes that reached a finished state (or finished again after a retry). */
  finished: string[];
}

export function sameStatus(a: RunNodeStatus, b: RunNodeStatus): boolean {
  return (
    a.state === b.state &&
    a.starts === b.starts &&
    a.attempts === b.attempts &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt &&
    a.items?.total === b.items?.total &&
    a.items?.finished === b.items?.finished
  );
}

export function diffRunFrame(previous: Readonly<Record<string, RunNodeStatus>>, nodes: readonly RunNodeStatus[]): FrameDiff {
  const changed: RunNodeStatus[] = [];
  const finished: string[] = [];
  for (const node of nodes) {
    const before = previous[node.id];
    if (before && sameStatus(before, node)) continue;
    changed.push(node);
    const finishedNow = isFinished(node.state) && (!before || !isFinished(before.state) || before.starts !== node.starts || before.finishedAt !== node.finishedAt);
    if (finishedNow) finished.push(node.id);
  }
  return { changed, finished };
}

/** `previous` with `changed` written over it: a new record only when something changed. */
export function withStatuses(previous: Readonly<Record<string, RunNodeStatus>>, changed: readonly RunNodeStatus[]): Record<string, RunNodeStatus> {
  if (changed.length === 0) return previous as Record<string, RunNodeStatus>;
  const next = { ...previous };
  for (const node of changed) next[node.id] = node;
  return next;
}
