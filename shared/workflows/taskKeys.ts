/**
 * The idempotency keys of the tasks a workflow run enqueues: `wf:<run>:<node>:<start>[:<item>]`.
 * The key makes a repeated start (after a crash) find the task it made; the engines announce a
 * task whose key has this prefix when it finishes (agent/engine/finishedTasks.ts), and the run
 * driver reads the run, node and item back from the announced key. The console reads it too, to
 * link a task to the run that made it.
 */

/** Every workflow task's key starts with this. */
export const workflowTaskKeyPrefix = 'wf:';

/** Where a workflow task belongs. */
export interface TaskPlace {
  runId: string;
  nodeId: string;
  start: number;
  /** The map item, or null for the node's own task. */
  index: number | null;
}

export function taskKey(runId: string, nodeId: string, start: number, index?: number): string {
  return `${workflowTaskKeyPrefix}${runId}:${nodeId}:${start}${index === undefined ? '' : `:${index}`}`;
}

/** Node ids hold no `:` (see nodeIdPattern), so the key splits cleanly; undefined for any other key. */
const keyPattern = /^wf:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([A-Za-z_][A-Za-z0-9_]*):(\d+)(?::(\d+))?$/i;

export function placeOfTaskKey(key: string): TaskPlace | undefined {
  const match = keyPattern.exec(key);
  if (!match) return undefined;
  return { runId: match[1]!.toLowerCase(), nodeId: match[2]!, start: Number(match[3]), index: match[4] === undefined ? null : Number(match[4]) };
}
