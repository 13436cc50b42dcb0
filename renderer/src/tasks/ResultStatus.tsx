/**
 * The line above the results: how many tasks match (exact once every page is loaded, else "N
 * loaded, more match"), "Load all matching" to fetch the remaining pages in the background with
 * a running count, "Stop" to cancel that, and a notice when the list reached `maxHeldTasks`.
 */
import { maxHeldTasks, pageSize, useTasksStore } from '../state/tasksStore.js';

const count = (value: number) => value.toLocaleString('en-US');

export function ResultStatus() {
  const { tasks, nextCursor, capped, searched, busy, loadingAll, loadAll, stopLoading } = useTasksStore();
  if (!searched && !busy) return null;
  const loaded = tasks.length;
  const complete = searched && nextCursor === null;
  const summary = !searched
    ? 'Searching…'
    : complete
      ? `${count(loaded)} ${loaded === 1 ? 'task matches' : 'tasks match'}`
      : loadingAll
        ? `Loading… ${count(loaded)} tasks loaded`
        : `${count(loaded)} tasks loaded, more match`;
  return (
    <div className="result-status">
      <p className="task-count" aria-live="polite" data-loaded={loaded} data-complete={complete} data-capped={capped}>
        {summary}
      </p>
      {loadingAll ? <progress aria-label="Tasks loaded" /> : null}
      {!complete && !capped && searched && !loadingAll ? (
        <button type="button" onClick={() => void loadAll()} title={`Fetches every remaining page (${pageSize} tasks each), up to ${count(maxHeldTasks)} tasks`}>
          Load all matching
        </button>
      ) : null}
      {loadingAll ? (
        <button type="button" onClick={stopLoading}>
          Stop loading
        </button>
      ) : null}
      {capped ? <p className="hint">The list holds at most {count(maxHeldTasks)} tasks; narrow the search to see the others.</p> : null}
    </div>
  );
}
