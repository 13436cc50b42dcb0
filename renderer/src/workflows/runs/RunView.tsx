/**
 * One run, live: its header (workflow, version, state, who started it, when, how long, the
 * failure), the run's actions for roles with `workflows:run`, the legend, the graph, the selected
 * node's detail and the timeline.
 *
 * Live through the `run` topic: each frame redraws the nodes that changed, and a node that
 * finished makes the view read the run again. While events do not flow (the socket is
 * reconnecting) the run is read every `pollMs` instead.
 */
import { useEffect, useMemo } from 'react';
import type { Role } from '../../../../shared/security/permissions.js';
import { roleAllows } from '../../../../shared/security/permissions.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatTime } from '../../components/formatTime.js';
import { useEventsFlowing, useEventTopic } from '../../events/useEventTopic.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { NodeContextMenu } from './NodeContextMenu.js';
import { NodeDetailPanel } from './NodeDetailPanel.js';
import { runIsLive } from './nodeDisplay.js';
import { RunControls } from './RunControls.js';
import { formatElapsed } from './runDurations.js';
import { RunGraph } from './RunGraph.js';
import { RunLegend } from './RunLegend.js';
import { RunTimeline } from './RunTimeline.js';
import { useRunViewStore } from './runViewStore.js';
import { useNow } from './useNow.js';

/** How often the run is read while events do not flow. */
export const pollMs = 2_000;

export function RunView({ runId, role }: { runId: string; role: Role }) {
  const canAct = roleAllows(role, 'workflows:run');
  const run = useRunViewStore((state) => state.run);
  const runState = useRunViewStore((state) => state.runState);
  const failure = useRunViewStore((state) => state.failure);
  const error = useRunViewStore((state) => state.error);
  const selected = useRunViewStore((state) => state.selected);
  const menu = useRunViewStore((state) => state.menu);
  const loaded = useRunViewStore((state) => state.definition !== null);
  const flowing = useEventsFlowing();
  const now = useNow(runIsLive(runState) ? 1_000 : null);

  useEffect(() => {
    void useRunViewStore.getState().open(runId);
    return () => useRunViewStore.getState().close();
  }, [runId]);

  const topic = useMemo(() => ({ kind: 'run' as const, runId }), [runId]);
  useEventTopic(topic, (data) => useRunViewStore.getState().applyFrame(data.run));

  useEffect(() => {
    if (flowing || !loaded) return;
    const timer = setInterval(() => void useRunViewStore.getState().refresh(), pollMs);
    return () => clearInterval(timer);
  }, [flowing, loaded]);

  const { openRun, openWorkflow } = useWorkflowNavigation.getState();
  return (
    <main className="run-view" data-run={runId} data-run-state={runState}>
      <nav className="run-breadcrumb" aria-label="Run">
        <button type="button" className="link" onClick={() => openRun(null)}>
          ← All runs
        </button>
        {run ? (
          <button type="button" className="link" onClick={() => openWorkflow({ name: run.workflow, version: run.version })}>
            Open {run.workflow} v{run.version} in the builder
          </button>
        ) : null}
      </nav>
      <header className="run-header">
        <h1>{run ? `${run.workflow} v${run.version}` : 'Run'}</h1>
        <span className="run-state" data-state={runState} role="status" aria-label="Run state">
          {runState}
        </span>
        {run ? (
          <span className="muted">
            started by {run.createdBy ?? 'unknown'} at {formatTime(run.createdAt)}, {formatElapsed(run.createdAt, run.finishedAt, now)}
            {flowing ? '' : ' · not live: reading every 2 s'}
          </span>
        ) : null}
        {canAct && run ? <RunControls state={runState} /> : null}
      </header>
      {failure ? (
        <p className="run-failure" role="alert">
          Failed at {failure.nodeIds.join(', ')}: {failure.message}
        </p>
      ) : null}
      <ErrorMessage message={error} />
      <RunLegend />
      <div className="run-body">
        {loaded ? <RunGraph canAct={canAct} /> : <p className="muted run-graph">Loading the run…</p>}
        {selected ? <NodeDetailPanel key={selected} node={selected} /> : null}
      </div>
      {loaded ? <RunTimeline /> : null}
      {canAct && menu ? <NodeContextMenu key={`${menu.node}:${menu.x}:${menu.y}`} menu={menu} /> : null}
    </main>
  );
}
