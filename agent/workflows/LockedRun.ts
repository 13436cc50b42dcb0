/**
 * One run's transaction, holding its row lock (`RunStore.withLockedRun`): everything the run
 * engine reads and changes of a run while it moves it on.
 *
 * Few round trips: the run, its nodes and its decided edges arrive with the lock; reads of them
 * are answered from that copy, and changes to them (and to the run) are applied to the copy at
 * once and written in one message with the commit (`writes()`). Only map items, which can be
 * many, are read and written as they are needed.
 */
import type pg from 'pg';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import { edgeKey, type RunSnapshot, type RunState } from './RunSnapshot.js';
import type { NodeChange, RunItemRow, RunNodeRow, RunRow } from './runRows.js';

/** After finishing items, what the map node's items look like. */
export interface ItemsFinished {
  /** The items that were running these tasks and now finished. */
  finished: Array<{ index: number; state: 'succeeded' | 'failed' }>;
  /** Items still running. */
  running: number;
  /** The first item still waiting (items start in index order, so every later one waits too), or null. */
  nextWaiting: number | null;
  waiting: number;
}

/** The columns of `workflow_run_nodes` a change can touch, with their types. */
const columnTypes = {
  state: 'text',
  starts: 'integer',
  attempts: 'integer',
  input: 'jsonb',
  output: 'jsonb',
  error: 'jsonb',
  task_queue: 'text',
  task_id: 'uuid',
  child_run: 'uuid',
  items_total: 'integer',
  items_finished: 'integer',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
} as const;
type NodeColumn = keyof typeof columnTypes;

const columnOf = {
  state: 'state',
  starts: 'starts',
  attempts: 'attempts',
  input: 'input',
  output: 'output',
  error: 'error',
  taskQueue: 'task_queue',
  taskId: 'task_id',
  childRun: 'child_run',
  itemsTotal: 'items_total',
  itemsFinished: 'items_finished',
} as const satisfies Record<string, NodeColumn>;

function columnValues(node: RunNodeRow): Record<NodeColumn, unknown> {
  return {
    state: node.state,
    starts: node.starts,
    attempts: node.attempts,
    input: node.input,
    output: node.output,
    error: node.error,
    task_queue: node.taskQueue,
    task_id: node.taskId,
    child_run: node.childRun,
    items_total: node.itemsTotal,
    items_finished: node.itemsFinished,
    started_at: node.startedAt === null ? null : new Date(node.startedAt).toISOString(),
    finished_at: node.finishedAt === null ? null : new Date(node.finishedAt).toISOString(),
  };
}

export class LockedRun {
  readonly #nodes: Map<string, RunNodeRow>;
  readonly #edges: Map<string, boolean>;
  /** Changed nodes, each with the columns that changed. */
  readonly #changedNodes = new Map<string, Set<NodeColumn>>();
  /** Edge decisions to write: taken, skipped, or forgotten (null). */
  readonly #changedEdges = new Map<string, boolean | null>();
  #runChange: { state: RunState; output?: JsonValue | null; failure?: RunRow['failure'] } | undefined;
  /** Item statements deferred to the commit. */
  readonly #itemWrites: string[] = [];

  constructor(
    readonly client: pg.PoolClient,
    readonly run: RunRow,
    nodes: readonly RunNodeRow[],
    edges: ReadonlyArray<{ from: string; to: string; taken: boolean }>,
  ) {
    this.#nodes = new Map(nodes.map((node) => [node.nodeId, node]));
    this.#edges = new Map(edges.map((edge) => [edgeKey(edge.from, edge.to), edge.taken]));
  }

  /** The run's nodes as they stand in this transaction (the same objects each time; changes show in them). */
  async nodes(): Promise<RunNodeRow[]> {
    return [...this.#nodes.values()];
  }

  async snapshot(nodes?: RunNodeRow[]): Promise<RunSnapshot> {
    return {
      state: this.run.state,
      input: this.run.input,
      nodes: new Map((nodes ?? [...this.#nodes.values()]).map((node) => [node.nodeId, { state: node.state, output: node.output ?? undefined, error: node.error ?? undefined }])),
      edges: new Map(this.#edges),
    };
  }

  async decideEdges(decisions: ReadonlyMap<string, boolean>): Promise<void> {
    for (const [key, taken] of decisions) {
      this.#edges.set(key, taken);
      this.#changedEdges.set(key, taken);
    }
  }

  async forgetEdges(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.#edges.delete(key);
      this.#changedEdges.set(key, null);
    }
  }

  async changeNodes(nodeIds: readonly string[], change: NodeChange): Promise<void> {
    const now = Date.now();
    for (const id of nodeIds) {
      const node = this.#nodes.get(id);
      if (!node) continue;
      const { started, finished, ...fields } = change;
      const columns = this.#changedNodes.get(id) ?? new Set<NodeColumn>();
      this.#changedNodes.set(id, columns);
      for (const [field, value] of Object.entries(fields) as Array<[keyof typeof columnOf, unknown]>) {
        if (value === undefined) continue;
        (node as unknown as Record<string, unknown>)[field] = value;
        columns.add(columnOf[field]);
      }
      if (started) node.startedAt = now;
      if (finished === true) node.finishedAt = now;
      if (finished === null) {
        node.startedAt = null;
        node.finishedAt = null;
      }
      if (started || finished === null) columns.add('started_at');
      if (finished !== undefined) columns.add('finished_at');
    }
  }

  async changeRun(change: { state: RunState; output?: JsonValue | null; failure?: RunRow['failure'] }): Promise<void> {
    this.#runChange = { ...this.#runChange, ...change };
    Object.assign(this.run, { state: change.state });
  }

  async items(nodeId: string): Promise<RunItemRow[]> {
    const { rows } = await this.client.query<{ index: number; state: RunItemRow['state']; task_id: string | null; output: JsonValue | null }>(
      'select index, state, task_id, output from workflow_run_items where run_id = $1 and node_id = $2 order by index',
      [this.run.id, nodeId],
    );
    return rows.map((row) => ({ index: row.index, state: row.state, taskId: row.task_id, output: row.output }));
  }

  /** The outputs of every item of a node, in index order. */
  async itemOutputs(nodeId: string): Promise<JsonValue[]> {
    const { rows } = await this.client.query<{ output: JsonValue | null }>('select output from workflow_run_items where run_id = $1 and node_id = $2 order by index', [this.run.id, nodeId]);
    return rows.map((row) => row.output ?? null);
  }

  async createItems(nodeId: string, count: number): Promise<void> {
    this.#itemWrites.push(
      `insert into workflow_run_items (run_id, node_id, index) select ${this.#literal(this.run.id)}, ${this.#literal(nodeId)}, generate_series(0, ${Math.floor(count)} - 1)`,
    );
  }

  /** Marks items running with their tasks (written with the commit, after `createItems`). */
  async startItems(nodeId: string, started: ReadonlyArray<{ index: number; taskId: string }>): Promise<void> {
    if (started.length === 0) return;
    const rows = started.map((item) => ({ index: item.index, task_id: item.taskId }));
    this.#itemWrites.push(
      `update workflow_run_items i set state = 'running', task_id = s.task_id
       from jsonb_to_recordset(${this.#literal(JSON.stringify(rows))}::jsonb) as s(index integer, task_id uuid)
       where i.run_id = ${this.#literal(this.run.id)} and i.node_id = ${this.#literal(nodeId)} and i.index = s.index`,
    );
  }

  /**
   * Records finished items, each only while it still runs the task that finished (succeeded with
   * an output, or failed with an error), and answers what became of the node's items: one statement.
   */
  async finishItems(nodeId: string, finished: ReadonlyArray<{ index: number; taskId: string; state: 'succeeded' | 'failed'; value: JsonValue }>): Promise<ItemsFinished> {
    const { rows } = await this.client.query<{ finished: ItemsFinished['finished'] | null; running: number; waiting: number; next_waiting: number | null }>(
      `with done as (
         update workflow_run_items i set state = f.state,
           output = case when f.state = 'succeeded' then f.value else null end,
           error = case when f.state = 'failed' then f.value else null end
         from unnest($3::integer[], $4::uuid[], $5::text[], $6::jsonb[]) as f(index, task_id, state, value)
         where i.run_id = $1 and i.node_id = $2 and i.index = f.index and i.state = 'running' and i.task_id = f.task_id
         returning i.index, i.state),
       before as (
         select count(*) filter (where state = 'running')::integer as running, count(*) filter (where state = 'waiting')::integer as waiting,
           min(index) filter (where state = 'waiting') as next_waiting
         from workflow_run_items where run_id = $1 and node_id = $2)
       select (select json_agg(json_build_object('index', index, 'state', state)) from done) as finished, running, waiting, next_waiting from before`,
      [this.run.id, nodeId, finished.map((item) => item.index), finished.map((item) => item.taskId), finished.map((item) => item.state), finished.map((item) => JSON.stringify(item.value))],
    );
    const row = rows[0]!;
    const done = row.finished ?? [];
    // `before` counts the items as they were before this statement's update.
    return { finished: done, running: row.running - done.length, waiting: row.waiting, nextWaiting: row.next_waiting };
  }

  async deleteItems(nodeIds: readonly string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    this.#itemWrites.push(`delete from workflow_run_items where run_id = ${this.#literal(this.run.id)} and node_id = any(${this.#literal(`{${nodeIds.join(',')}}`)}::text[])`);
  }

  /** Every change made through this object and not yet written, as statements for one message (empty when none). */
  writes(): string {
    const statements: string[] = [];
    const run = this.#literal(this.run.id);
    // Items first: a retry deletes items before its nodes start again and create new ones.
    statements.push(...this.#itemWrites.splice(0));
    // One statement per set of changed columns (usually one): a node's large input is not
    // written again when only its progress changed.
    const groups = new Map<string, { columns: NodeColumn[]; rows: Array<Record<string, unknown>> }>();
    for (const [id, changed] of this.#changedNodes) {
      const columns = [...changed].sort();
      const group = groups.get(columns.join()) ?? { columns, rows: [] };
      groups.set(columns.join(), group);
      const values = columnValues(this.#nodes.get(id)!);
      group.rows.push(Object.fromEntries([['node_id', id], ...columns.map((column) => [column, values[column]])]));
    }
    this.#changedNodes.clear();
    for (const { columns, rows } of groups.values()) {
      if (columns.length === 0) continue;
      statements.push(
        `update workflow_run_nodes n set ${columns.map((column) => `${column} = c.${column}`).join(', ')}
         from jsonb_to_recordset(${this.#literal(JSON.stringify(rows))}::jsonb) as c(node_id text, ${columns.map((column) => `${column} ${columnTypes[column]}`).join(', ')})
         where n.run_id = ${run} and n.node_id = c.node_id`,
      );
    }
    if (this.#changedEdges.size > 0) {
      const ends = (wanted: (taken: boolean | null) => boolean) =>
        [...this.#changedEdges].filter(([, taken]) => wanted(taken)).map(([key, taken]) => {
          const [from, to] = key.split('\u0000') as [string, string];
          return { f: from, t: to, k: taken };
        });
      const forgotten = ends((taken) => taken === null);
      const decided = ends((taken) => taken !== null);
      this.#changedEdges.clear();
      if (forgotten.length > 0) {
        statements.push(
          `delete from workflow_run_edges e using jsonb_to_recordset(${this.#literal(JSON.stringify(forgotten))}::jsonb) as k(f text, t text)
           where e.run_id = ${run} and e.from_node = k.f and e.to_node = k.t`,
        );
      }
      if (decided.length > 0) {
        statements.push(
          `insert into workflow_run_edges (run_id, from_node, to_node, taken)
           select ${run}, f, t, k from jsonb_to_recordset(${this.#literal(JSON.stringify(decided))}::jsonb) as e(f text, t text, k boolean)
           on conflict (run_id, from_node, to_node) do update set taken = excluded.taken`,
        );
      }
    }
    if (this.#runChange) {
      const change = this.#runChange;
      this.#runChange = undefined;
      const finished = change.state === 'succeeded' || change.state === 'failed' || change.state === 'cancelled';
      const json = (value: unknown) => `${this.#literal(JSON.stringify(value ?? null))}::jsonb`;
      statements.push(
        `update workflow_runs set state = ${this.#literal(change.state)}
           ${change.output !== undefined ? `, output = ${json(change.output)}` : ''}${change.failure !== undefined ? `, failure = ${json(change.failure)}` : ''},
           finished_at = ${finished ? 'coalesce(finished_at, now())' : 'null'}, updated_at = now()
         where id = ${run}`,
      );
    }
    return statements.map((statement) => `${statement};\n`).join('');
  }

  #literal(value: string): string {
    return this.client.escapeLiteral(value);
  }
}
