/** Workflow run rows: as the API and the engine use them, as Postgres returns them, and the mapping between. */
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import type { RunNodeState, RunState } from './RunSnapshot.js';

export interface RunRow {
  id: string;
  workflow: string;
  version: number;
  state: RunState;
  input: JsonValue;
  output: JsonValue | null;
  failure: { nodeIds: string[]; message: string } | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface RunNodeRow {
  nodeId: string;
  state: RunNodeState;
  starts: number;
  /**
   * How many attempts the node's task took once the node finished with it; while it runs, how many
   * it has taken once one failed and is retried (null before); null for nodes without a task of their own.
   */
  attempts: number | null;
  input: JsonValue | null;
  output: JsonValue | null;
  error: JsonValue | null;
  taskQueue: string | null;
  taskId: string | null;
  childRun: string | null;
  itemsTotal: number | null;
  itemsFinished: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface RunItemRow {
  index: number;
  state: 'waiting' | 'running' | 'succeeded' | 'failed';
  taskId: string | null;
  output: JsonValue | null;
}

/** Work the driver watches: a node's task, a map item's task, or a node's sub-run. */
export interface RunningWork {
  runId: string;
  nodeId: string;
  /** The map item's index; null for a node's own task or sub-run. */
  index: number | null;
  queue: string | null;
  taskId: string | null;
  childRun: string | null;
}

/** A run and its nodes' states, as `run` events carry them. */
export interface RunStateSummary {
  id: string;
  state: RunState;
  failure: RunRow['failure'];
  nodes: Array<{ id: string; state: RunNodeState; starts: number; attempts: number | null; items: { total: number; finished: number } | null; startedAt: number | null; finishedAt: number | null }>;
}

/** What the driver or the API may change on a node. */
export type NodeChange = Partial<Omit<RunNodeRow, 'nodeId' | 'startedAt' | 'finishedAt'>> & { started?: boolean; finished?: boolean | null };


export const millis = (value: Date | null): number | null => (value ? value.getTime() : null);

export interface RunTableRow {
  id: string;
  workflow: string;
  version: number;
  state: RunState;
  input: JsonValue;
  output: JsonValue | null;
  failure: RunRow['failure'];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface NodeTableRow {
  node_id: string;
  state: RunNodeState;
  starts: number;
  attempts: number | null;
  input: JsonValue | null;
  output: JsonValue | null;
  error: JsonValue | null;
  task_queue: string | null;
  task_id: string | null;
  child_run: string | null;
  items_total: number | null;
  items_finished: number;
  started_at: Date | null;
  finished_at: Date | null;
}

export function runOf(row: RunTableRow): RunRow {
  return {
    id: row.id,
    workflow: row.workflow,
    version: row.version,
    state: row.state,
    input: row.input,
    output: row.output,
    failure: row.failure,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    finishedAt: millis(row.finished_at),
  };
}

export function nodeOf(row: NodeTableRow): RunNodeRow {
  return {
    nodeId: row.node_id,
    state: row.state,
    starts: row.starts,
    attempts: row.attempts,
    input: row.input,
    output: row.output,
    error: row.error,
    taskQueue: row.task_queue,
    taskId: row.task_id,
    childRun: row.child_run,
    itemsTotal: row.items_total,
    itemsFinished: row.items_finished,
    startedAt: millis(row.started_at),
    finishedAt: millis(row.finished_at),
  };
}
