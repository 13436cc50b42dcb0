/**
 * One run's transaction, holding its row lock (`RunStore.withLockedRun`): everything the run
 * engine reads and changes of a run while it moves it on.
 */
import type pg from 'pg';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import { edgeKey, type RunSnapshot, type RunState } from './RunSnapshot.js';
import { nodeOf, type NodeChange, type NodeTableRow, type RunItemRow, type RunNodeRow, type RunRow } from './runRows.js';

export class LockedRun {
  constructor(
    readonly client: pg.PoolClient,
    readonly run: RunRow,
  ) {}

  async nodes(): Promise<RunNodeRow[]> {
    const { rows } = await this.client.query<NodeTableRow>('select * from workflow_run_nodes where run_id = $1', [this.run.id]);
    return rows.map(nodeOf);
  }

  async snapshot(nodes?: RunNodeRow[]): Promise<RunSnapshot> {
    const edges = await this.client.query<{ from_node: string; to_node: string; taken: boolean }>('select from_node, to_node, taken from workflow_run_edges where run_id = $1', [this.run.id]);
    return {
      state: this.run.state,
      input: this.run.input,
      nodes: new Map((nodes ?? (await this.nodes())).map((node) => [node.nodeId, { state: node.state, output: node.output ?? undefined }])),
      edges: new Map(edges.rows.map((row) => [edgeKey(row.from_node, row.to_node), row.taken])),
    };
  }

  async decideEdges(decisions: ReadonlyMap<string, boolean>): Promise<void> {
    if (decisions.size === 0) return;
    const ends = [...decisions.keys()].map((key) => key.split('\u0000') as [string, string]);
    await this.client.query(
      `insert into workflow_run_edges (run_id, from_node, to_node, taken)
       select $1, f, t, k from unnest($2::text[], $3::text[], $4::boolean[]) as e(f, t, k)
       on conflict (run_id, from_node, to_node) do update set taken = excluded.taken`,
      [this.run.id, ends.map(([from]) => from), ends.map(([, to]) => to), [...decisions.values()]],
    );
  }

  async forgetEdges(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const ends = keys.map((key) => key.split('\u0000') as [string, string]);
    await this.client.query(
      `delete from workflow_run_edges e using unnest($2::text[], $3::text[]) as k(f, t)
       where e.run_id = $1 and e.from_node = k.f and e.to_node = k.t`,
      [this.run.id, ends.map(([from]) => from), ends.map(([, to]) => to)],
    );
  }

  async changeNodes(nodeIds: readonly string[], change: NodeChange): Promise<void> {
    if (nodeIds.length === 0) return;
    const sets: string[] = [];
    const values: unknown[] = [this.run.id, nodeIds];
    const set = (column: string, value: unknown, json = false) => {
      values.push(json && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column} = $${values.length}${json ? '::jsonb' : ''}`);
    };
    if (change.state !== undefined) set('state', change.state);
    if (change.starts !== undefined) set('starts', change.starts);
    if (change.input !== undefined) set('input', change.input, true);
    if (change.output !== undefined) set('output', change.output, true);
    if (change.error !== undefined) set('error', change.error, true);
    if (change.taskQueue !== undefined) set('task_queue', change.taskQueue);
    if (change.taskId !== undefined) set('task_id', change.taskId);
    if (change.childRun !== undefined) set('child_run', change.childRun);
    if (change.itemsTotal !== undefined) set('items_total', change.itemsTotal);
    if (change.itemsFinished !== undefined) set('items_finished', change.itemsFinished);
    if (change.started) sets.push('started_at = now()');
    if (change.finished === true) sets.push('finished_at = now()');
    if (change.finished === null) sets.push('finished_at = null, started_at = null');
    await this.client.query(`update workflow_run_nodes set ${sets.join(', ')} where run_id = $1 and node_id = any($2::text[])`, values);
  }

  async items(nodeId: string): Promise<RunItemRow[]> {
    const { rows } = await this.client.query<{ index: number; state: RunItemRow['state']; task_id: string | null; output: JsonValue | null }>(
      'select index, state, task_id, output from workflow_run_items where run_id = $1 and node_id = $2 order by index',
      [this.run.id, nodeId],
    );
    return rows.map((row) => ({ index: row.index, state: row.state, taskId: row.task_id, output: row.output }));
  }

  async createItems(nodeId: string, count: number): Promise<void> {
    await this.client.query('insert into workflow_run_items (run_id, node_id, index) select $1, $2, generate_series(0, $3::integer - 1)', [this.run.id, nodeId, count]);
  }

  /** Marks items running with their tasks, in one statement. */
  async startItems(nodeId: string, started: ReadonlyArray<{ index: number; taskId: string }>): Promise<void> {
    await this.client.query(
      `update workflow_run_items i set state = 'running', task_id = s.task_id
       from unnest($3::integer[], $4::uuid[]) as s(index, task_id)
       where i.run_id = $1 and i.node_id = $2 and i.index = s.index`,
      [this.run.id, nodeId, started.map((item) => item.index), started.map((item) => item.taskId)],
    );
  }

  /** Records finished items (succeeded with an output, or failed with an error), in one statement. */
  async finishItems(nodeId: string, finished: ReadonlyArray<{ index: number; state: 'succeeded' | 'failed'; value: JsonValue }>): Promise<void> {
    if (finished.length === 0) return;
    await this.client.query(
      `update workflow_run_items i set state = f.state,
         output = case when f.state = 'succeeded' then f.value else null end,
         error = case when f.state = 'failed' then f.value else null end
       from unnest($3::integer[], $4::text[], $5::jsonb[]) as f(index, state, value)
       where i.run_id = $1 and i.node_id = $2 and i.index = f.index`,
      [this.run.id, nodeId, finished.map((item) => item.index), finished.map((item) => item.state), finished.map((item) => JSON.stringify(item.value))],
    );
  }

  async deleteItems(nodeIds: readonly string[]): Promise<void> {
    await this.client.query('delete from workflow_run_items where run_id = $1 and node_id = any($2::text[])', [this.run.id, nodeIds]);
  }

  async changeRun(change: { state: RunState; output?: JsonValue | null; failure?: RunRow['failure'] }): Promise<void> {
    const finished = change.state === 'succeeded' || change.state === 'failed' || change.state === 'cancelled';
    await this.client.query(
      `update workflow_runs set state = $2, output = case when $3 then $4::jsonb else output end, failure = case when $5 then $6::jsonb else failure end,
         finished_at = case when $7 then coalesce(finished_at, now()) else null end, updated_at = now()
       where id = $1`,
      [this.run.id, change.state, change.output !== undefined, JSON.stringify(change.output ?? null), change.failure !== undefined, JSON.stringify(change.failure ?? null), finished],
    );
    Object.assign(this.run, { state: change.state });
  }
}

