/**
 * The modal dialog of a bulk action: the dry run's count to confirm ("This will retry 1,234
 * tasks"), then progress while it runs, then how many tasks changed or the API's message. Escape
 * or Back leaves it before the action runs; while it runs it stays open. Closing it after a run
 * searches again, so the list shows the tasks' new states.
 */
import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useTasksStore, type TaskAction } from '../state/tasksStore.js';
import { useBulkStore } from './bulkStore.js';

const verbs: Record<TaskAction, { verb: string; done: string; appliesTo: string }> = {
  retry: { verb: 'retry', done: 'Retried', appliesTo: 'dead and cancelled tasks not yet retried' },
  cancel: { verb: 'cancel', done: 'Cancelled', appliesTo: 'scheduled, queued, active and backing-off tasks' },
  promote: { verb: 'promote', done: 'Promoted', appliesTo: 'scheduled and backing-off tasks' },
};

const count = (value: number) => value.toLocaleString('en-US');
const tasksWord = (value: number) => (value === 1 ? 'task' : 'tasks');

export function BulkDialog() {
  const { phase, action, matched, more, applied, rounds, error, confirm, dismiss } = useBulkStore();
  const ref = useRef<HTMLDialogElement>(null);
  const open = phase !== 'idle';

  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);

  const finish = () => {
    const ran = useBulkStore.getState().phase === 'done';
    dismiss();
    if (ran) void useTasksStore.getState().search(useTasksStore.getState().filters);
  };

  const words = action ? verbs[action] : verbs.retry;
  return (
    <dialog
      ref={ref}
      className="bulk-dialog"
      aria-labelledby="bulk-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        if (phase !== 'running') finish();
      }}
    >
      <h2 id="bulk-dialog-title">{action ? `${words.verb[0]!.toUpperCase()}${words.verb.slice(1)} all matching tasks` : 'Bulk action'}</h2>
      {phase === 'counting' ? <p aria-live="polite">Counting the tasks to {words.verb}…</p> : null}
      {phase === 'confirming' && matched > 0 ? (
        <>
          <p className="bulk-count" data-matched={matched}>
            This will {words.verb} {more ? 'at least ' : ''}
            {count(matched)} {tasksWord(matched)}
          </p>
          {more ? <p className="hint">The agent counts at most {count(matched)} at a time; the action repeats until none is left.</p> : null}
          <div className="dialog-buttons">
            <button type="button" className="primary" onClick={() => void confirm()}>
              {`${words.verb[0]!.toUpperCase()}${words.verb.slice(1)} ${count(matched)} ${tasksWord(matched)}`}
            </button>
            <button type="button" onClick={finish}>
              Back
            </button>
          </div>
        </>
      ) : null}
      {phase === 'confirming' && matched === 0 ? (
        <>
          <p className="bulk-count" data-matched={0}>
            No task in this search can be {words.done.toLowerCase()}: {words.verb} applies to {words.appliesTo}.
          </p>
          <button type="button" onClick={finish}>
            Close
          </button>
        </>
      ) : null}
      {phase === 'running' ? (
        <div aria-live="polite">
          {rounds === 0 ? <progress aria-label="Bulk action progress" /> : <progress aria-label="Bulk action progress" max={matched} value={Math.min(applied, matched)} />}
          <p>
            {words.done} {count(applied)} of {more ? 'at least ' : ''}
            {count(matched)} so far…
          </p>
        </div>
      ) : null}
      {phase === 'done' ? (
        <>
          <ErrorMessage message={error} />
          {error === null ? (
            <p className="bulk-result" data-applied={applied}>
              {words.done} {count(applied)} {tasksWord(applied)}.
            </p>
          ) : null}
          <button type="button" onClick={finish}>
            Close
          </button>
        </>
      ) : null}
    </dialog>
  );
}
