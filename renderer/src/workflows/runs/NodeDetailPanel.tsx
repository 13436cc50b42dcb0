/**
 * The selected node's detail beside the graph: state, starts, times, its task (a link to the
 * Tasks view) or sub-run (a link to that run), its input, output and error as JSON, the task's
 * attempts with their errors and log lines (`tasks.get`), and for a map node its items behind a
 * disclosure. Escape or Close deselects the node.
 */
import { type KeyboardEvent } from 'react';
import { AttemptList } from '../../components/AttemptList.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatTime } from '../../components/formatTime.js';
import { useTasksStore } from '../../state/tasksStore.js';
import { useViewStore } from '../../state/viewStore.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { MapItemsList } from './MapItemsList.js';
import { displayLabels, displayState } from './nodeDisplay.js';
import { formatElapsed } from './runDurations.js';
import { useRunViewStore } from './runViewStore.js';
import { useNow } from './useNow.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <>
      <h3>{title}</h3>
      <pre className={`node-${title.toLowerCase()}`}>{json(value)}</pre>
    </>
  );
}

export function NodeDetailPanel({ node }: { node: string }) {
  const run = useRunViewStore((state) => state.run);
  const runState = useRunViewStore((state) => state.runState);
  const status = useRunViewStore((state) => state.statuses[node]);
  const task = useRunViewStore((state) => state.task);
  const items = useRunViewStore((state) => state.items);
  const detail = run?.nodes.find((each) => each.id === node);
  const shown = displayState(status?.state ?? 'waiting', runState);
  const now = useNow(shown === 'running' ? 1_000 : null);
  const close = () => useRunViewStore.getState().select(null);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
    document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(node)}"]`)?.focus();
  };
  const openTask = (queue: string, id: string) => {
    void useTasksStore.getState().open(queue, id);
    useViewStore.getState().show('Tasks');
  };
  const itemsShown = items?.node === node;
  const nodeTask = task?.node === node ? task : null;

  return (
    <aside className="node-detail" aria-label="Node detail" data-node={node} onKeyDown={onKeyDown}>
      <header>
        <h2>{node}</h2>
        <button type="button" onClick={close}>
          Close
        </button>
      </header>
      <dl>
        <dt>State</dt>
        <dd className="node-detail-state" data-state={shown}>
          {displayLabels[shown]}
        </dd>
        <dt>Starts</dt>
        <dd>{status?.starts ?? 0}</dd>
        <dt>Started</dt>
        <dd>{formatTime(status?.startedAt ?? null)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(status?.finishedAt ?? null)}</dd>
        <dt>Duration</dt>
        <dd>{formatElapsed(status?.startedAt ?? null, status?.finishedAt ?? null, now)}</dd>
        {detail?.task ? (
          <>
            <dt>Task</dt>
            <dd>
              <button type="button" className="link" title={detail.task.id} onClick={() => openTask(detail.task!.queue, detail.task!.id)}>
                {detail.task.queue} / {detail.task.id.slice(-12)}
              </button>
            </dd>
          </>
        ) : null}
        {detail?.subRun ? (
          <>
            <dt>Sub-run</dt>
            <dd>
              <button type="button" className="link" onClick={() => useWorkflowNavigation.getState().openRun(detail.subRun)}>
                {detail.subRun}
              </button>
            </dd>
          </>
        ) : null}
        {status?.items ? (
          <>
            <dt>Items</dt>
            <dd>
              {status.items.finished} of {status.items.total} finished
            </dd>
          </>
        ) : null}
      </dl>
      {status?.items ? (
        <button
          type="button"
          aria-expanded={itemsShown}
          onClick={() => (itemsShown ? useRunViewStore.getState().hideItems() : void useRunViewStore.getState().showItems(node, 0))}
        >
          {itemsShown ? 'Hide items' : 'Show items'}
        </button>
      ) : null}
      {itemsShown && items ? <MapItemsList items={items} /> : null}
      <JsonBlock title="Error" value={detail?.error} />
      <JsonBlock title="Input" value={detail?.input} />
      <JsonBlock title="Output" value={detail?.output} />
      {nodeTask ? (
        <section aria-label="Task attempts">
          <h3>Attempts{nodeTask.detail ? ` (${nodeTask.detail.attempts} of ${nodeTask.detail.maxAttempts})` : ''}</h3>
          <ErrorMessage message={nodeTask.error} />
          {nodeTask.detail ? <AttemptList attempts={nodeTask.detail.history} /> : nodeTask.error ? null : <p className="muted">Loading the task…</p>}
        </section>
      ) : null}
    </aside>
  );
}
