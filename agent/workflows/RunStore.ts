/**
 * Workflow runs in Postgres (migration 0008): the run, each node's state and output, decided
 * edges and map items. Every change to a run happens inside `withLockedRun`, a transaction that
 * holds the run's row lock, so two agents (or the driver and an API call) never move one run at
 * the same time. Reads for the API and the driver's scan of running work go without the lock.
 */
import type pg from 'pg';
import type { RunItemView } from '../../shared/api/schemas/workflowRuns.js';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import { withPgClient } from '../records/withPgClient.js';
import { withTransaction } from '../records/withTransaction.js';
import { LockedRun } from './LockedRun.js';
import type { RunNodeState, RunState } from './RunSnapshot.js';
import { millis, nodeOf, runOf, type NodeTableRow, type RunNodeRow, type RunRow, type RunningWork, type RunStateSummary, type RunTableRow } from './runRows.js';

export { LockedRun } from './LockedRun.js';
export type { NodeChange, RunItemRow, RunNodeRow, RunningWork, RunRow, RunStateSummary } from './runRows.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RunStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates a run in `running` with every node waiting; answers false when a run with the id exists already. */
  async create(run: { id: string; workflow: string; version: number; input: JsonValue; createdBy: string | null }, nodeIds: readonly string[]): Promise<boolean> {
    return withTransaction(this.pool, async (client) => {
      const inserted = await client.query(
        `insert into workflow_runs (id, workflow, version, state, input, created_by) values ($1, $2, $3, 'running', $4, $5) on conflict (id) do nothing`,
        [run.id, run.workflow, run.version, JSON.stringify(run.input), run.createdBy],
      );
      if (inserted.rowCount === 0) return false;
      await client.query('insert into workflow_run_nodes (run_id, node_id) select $1, unnest($2::text[])', [run.id, nodeIds]);
      return true;
    });
  }

  /**
   * Runs `work` in a transaction holding the run's lock; undefined when there is no such run.
   * Two round trips besides `work`'s own: one message begins, takes the lock and reads the nodes
   * and edges (each statement sees what committed before it, so after the lock the latest), and
   * one writes what `work` changed and commits.
   */
  async withLockedRun<T>(id: string, work: (locked: LockedRun) => Promise<T>): Promise<T | undefined> {
    if (!uuidPattern.test(id)) return undefined;
    return withPgClient(this.pool, async (client) => {
      const run = client.escapeLiteral(id.toLowerCase());
      try {
        const results = (await client.query(
          `begin; select * from workflow_runs where id = ${run} for update;
           select * from workflow_run_nodes where run_id = ${run};
           select from_node, to_node, taken from workflow_run_edges where run_id = ${run}`,
        )) as unknown as Array<pg.QueryResult>;
        const [, runs, nodes, edges] = results as [unknown, pg.QueryResult<RunTableRow>, pg.QueryResult<NodeTableRow>, pg.QueryResult<{ from_node: string; to_node: string; taken: boolean }>];
        if (!runs.rows[0]) {
          await client.query('rollback');
          return undefined;
        }
        const locked = new LockedRun(
          client,
          runOf(runs.rows[0]),
          nodes.rows.map(nodeOf),
          edges.rows.map((row) => ({ from: row.from_node, to: row.to_node, taken: row.taken })),
        );
        const result = await work(locked);
        await client.query(`${locked.writes()}commit`);
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  async get(id: string): Promise<{ run: RunRow; nodes: RunNodeRow[]; edges: Array<{ from: string; to: string; taken: boolean }> } | undefined> {
    const { rows } = await this.pool.query<RunTableRow>('select * from workflow_runs where id = $1', [id]);
    if (!rows[0]) return undefined;
    const [nodes, edges] = await Promise.all([
      this.pool.query<NodeTableRow>('select * from workflow_run_nodes where run_id = $1 order by node_id', [id]),
      this.pool.query<{ from_node: string; to_node: string; taken: boolean }>('select from_node, to_node, taken from workflow_run_edges where run_id = $1', [id]),
    ]);
    return { run: runOf(rows[0]), nodes: nodes.rows.map(nodeOf), edges: edges.rows.map((row) => ({ from: row.from_node, to: row.to_node, taken: row.taken })) };
  }

  /**
   * Runs newest first (by creation time to the millisecond, as the API shows it, then id),
   * optionally of one workflow or in one state, after the cursor `before` (and `beforeId`: the
   * last run of the previous page, so runs created in the same millisecond are not skipped).
   */
  async list(filter: { workflow?: string; state?: RunState; before?: number; beforeId?: string; limit: number }): Promise<RunRow[]> {
    const { rows } = await this.pool.query<RunTableRow>(
      `select * from workflow_runs
        where ($1::text is null or workflow = $1) and ($2::text is null or state = $2)
          and ($3::timestamptz is null
               or date_trunc('milliseconds', created_at) < $3
               or (date_trunc('milliseconds', created_at) = $3 and $5::uuid is not null and id < $5))
        order by date_trunc('milliseconds', created_at) desc, id desc limit $4`,
      [filter.workflow ?? null, filter.state ?? null, filter.before === undefined ? null : new Date(filter.before), filter.limit, filter.beforeId ?? null],
    );
    return rows.map(runOf);
  }

  /** Every task and sub-run that runs (paused) runs are waiting for, oldest runs first. */
  async runningWork(limit: number): Promise<RunningWork[]> {
    const { rows } = await this.pool.query<{ run_id: string; node_id: string; index: number | null; task_queue: string | null; task_id: string | null; child_run: string | null }>(
      `select n.run_id, n.node_id, null::integer as index, n.task_queue, n.task_id, n.child_run
         from workflow_run_nodes n join workflow_runs r on r.id = n.run_id
        where n.state = 'running' and (n.task_id is not null or n.child_run is not null) and r.state in ('running', 'paused', 'failed')
       union all
       select i.run_id, i.node_id, i.index, n.task_queue, i.task_id, null
         from workflow_run_items i join workflow_run_nodes n using (run_id, node_id) join workflow_runs r on r.id = i.run_id
        where i.state = 'running' and n.state = 'running' and r.state in ('running', 'paused', 'failed')
       limit $1`,
      [limit],
    );
    return rows.map((row) => ({ runId: row.run_id, nodeId: row.node_id, index: row.index, queue: row.task_queue, taskId: row.task_id, childRun: row.child_run }));
  }

  /** The state and output of runs (sub-runs the driver watches). */
  async states(ids: readonly string[]): Promise<Map<string, Pick<RunRow, 'state' | 'output' | 'failure'>>> {
    const { rows } = await this.pool.query<Pick<RunTableRow, 'id' | 'state' | 'output' | 'failure'>>('select id, state, output, failure from workflow_runs where id = any($1::uuid[])', [ids]);
    return new Map(rows.map((row) => [row.id, { state: row.state, output: row.output, failure: row.failure }]));
  }

  /**
   * Records that a running node's task has taken `attempts` attempts so far (announced when one
   * failed and the task will be retried). One statement, outside the run's lock: it changes only a
   * count that grows, and only while the node still runs that task, so it cannot undo a move.
   */
  async noteAttempts(runId: string, nodeId: string, taskId: string, attempts: number): Promise<void> {
    await this.pool.query(
      `update workflow_run_nodes set attempts = $4
        where run_id = $1 and node_id = $2 and task_id = $3 and state = 'running' and (attempts is null or attempts < $4)`,
      [runId, nodeId, taskId, attempts],
    );
  }

  /** Runs with their nodes' states, for `run` events: two queries for any number of runs. */
  async summaries(ids: readonly string[]): Promise<RunStateSummary[]> {
    const [runs, nodes] = await Promise.all([
      this.pool.query<{ id: string; state: RunState; failure: RunRow['failure'] }>('select id, state, failure from workflow_runs where id = any($1::uuid[])', [ids]),
      this.pool.query<{ run_id: string; node_id: string; state: RunNodeState; starts: number; attempts: number | null; items_total: number | null; items_finished: number; started_at: Date | null; finished_at: Date | null }>(
        'select run_id, node_id, state, starts, attempts, items_total, items_finished, started_at, finished_at from workflow_run_nodes where run_id = any($1::uuid[]) order by node_id',
        [ids],
      ),
    ]);
    return runs.rows.map((run) => ({
      id: run.id,
      state: run.state,
      failure: run.failure,
      nodes: nodes.rows
        .filter((node) => node.run_id === run.id)
        .map((node) => ({
          id: node.node_id,
          state: node.state,
          starts: node.starts,
          attempts: node.attempts,
          items: node.items_total === null ? null : { total: node.items_total, finished: node.items_finished },
          startedAt: millis(node.started_at),
          finishedAt: millis(node.finished_at),
        })),
    }));
  }

  /**
   * A page of a map node's items in index order, with how many there are (in `state`, when
   * given); undefined when the run has no such node.
   */
  async items(runId: string, nodeId: string, page: { offset: number; limit: number; state?: RunItemView['state'] }): Promise<{ total: number; items: RunItemView[] } | undefined> {
    const { rows: nodes } = await this.pool.query<{ task_queue: string | null }>('select task_queue from workflow_run_nodes where run_id = $1 and node_id = $2', [runId, nodeId]);
    if (nodes.length === 0) return undefined;
    const state = page.state ?? null;
    const [count, items] = await Promise.all([
      this.pool.query<{ total: number }>('select count(*)::integer as total from workflow_run_items where run_id = $1 and node_id = $2 and ($3::text is null or state = $3)', [runId, nodeId, state]),
      this.pool.query<{ index: number; state: RunItemView['state']; task_id: string | null; output: JsonValue | null; error: JsonValue | null }>(
        `select index, state, task_id, output, error from workflow_run_items
          where run_id = $1 and node_id = $2 and ($3::text is null or state = $3)
          order by index offset $4 limit $5`,
        [runId, nodeId, state, page.offset, page.limit],
      ),
    ]);
    const queue = nodes[0]!.task_queue;
    return {
      total: count.rows[0]!.total,
      items: items.rows.map((row) => ({ index: row.index, state: row.state, task: queue && row.task_id ? { queue, id: row.task_id } : null, output: row.output, error: row.error })),
    };
  }

  /** Whether a run of the workflow is running or paused (a workflow with one cannot be deleted). */
  async hasActiveRun(workflow: string): Promise<boolean> {
    const { rows } = await this.pool.query("select 1 from workflow_runs where workflow = $1 and state in ('running', 'paused') limit 1", [workflow]);
    return rows.length > 0;
  }
}

