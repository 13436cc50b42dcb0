/**
 * The runs, newest first, 50 a page (Older/Newer), filtered by workflow and state, refreshed
 * every `refreshMs` while shown: workflow, version, state, who started it, when, how long and the
 * failure. Opening a run shows its graph.
 */
import { useCallback, useEffect } from 'react';
import { runStateNames } from '../../../../shared/api/schemas/workflowRuns.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatTime } from '../../components/formatTime.js';
import { TableHead } from '../../controls/TableHead.js';
import { usePolling } from '../../controls/usePolling.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import type { RunState } from './nodeDisplay.js';
import { formatElapsed } from './runDurations.js';
import { useRunsListStore } from './runsListStore.js';
import { useNow } from './useNow.js';

const refreshMs = 5_000;

const columns = ['Workflow', 'Version', 'State', 'Started by', 'Created', 'Duration', 'Failure'];

export function RunsList() {
  const { filters, runs, cursors, hasOlder, workflows, loaded, error } = useRunsListStore();
  const now = useNow(refreshMs);

  useEffect(() => {
    void useRunsListStore.getState().loadWorkflows();
  }, []);
  const load = useCallback(() => useRunsListStore.getState().load(), []);
  usePolling(load, refreshMs);

  const change = (fields: Partial<typeof filters>) => void useRunsListStore.getState().filter({ ...filters, ...fields });
  return (
    <main className="runs-list">
      <h1>Runs</h1>
      <form className="runs-filters" aria-label="Filter runs" onSubmit={(event) => event.preventDefault()}>
        <label>
          Workflow
          <select name="workflow" value={filters.workflow} onChange={(event) => change({ workflow: event.target.value })}>
            <option value="">All workflows</option>
            {workflows.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select name="state" value={filters.state} onChange={(event) => change({ state: event.target.value as RunState | '' })}>
            <option value="">Any state</option>
            {runStateNames.map((state) => (
              <option key={state} value={state}>
                {state}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </form>
      <ErrorMessage message={error} />
      {loaded && runs.length === 0 ? <p>No runs match.</p> : null}
      {runs.length > 0 ? (
        <table aria-label="Runs">
          <TableHead columns={columns} />
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-run={run.id} data-state={run.state}>
                <td>
                  <button type="button" className="link" title={`Open run ${run.id}`} onClick={() => useWorkflowNavigation.getState().openRun(run.id)}>
                    {run.workflow}
                  </button>
                </td>
                <td>{run.version}</td>
                <td className="run-state" data-state={run.state}>
                  {run.state}
                </td>
                <td>{run.createdBy ?? '—'}</td>
                <td>{formatTime(run.createdAt)}</td>
                <td>{formatElapsed(run.createdAt, run.finishedAt, now)}</td>
                <td className="run-failure-cell">{run.failure ? `${run.failure.nodeIds.join(', ')}: ${run.failure.message}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="runs-pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => void useRunsListStore.getState().newer()}>
          Newer
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button type="button" disabled={!hasOlder} onClick={() => void useRunsListStore.getState().older()}>
          Older
        </button>
      </div>
    </main>
  );
}
