/**
 * The confirmations of a dead-letter group's actions. **Requeue** names the count and asks for
 * the rate (tasks a second, see `deadLettersStore`), then shows progress ("Requeued 12 of 40")
 * with a Stop button while it runs. **Purge** says that the tasks are deleted from history for
 * good (they cannot be requeued afterwards).
 */
import { useState } from 'react';
import { Confirmation } from '../components/Confirmation.js';
import { requeueRate, useDeadLettersStore, type DeadLetterGroup } from './deadLettersStore.js';

export type GroupAction = 'requeue' | 'purge';

const tasks = (count: number) => `${count} dead ${count === 1 ? 'task' : 'tasks'}`;

export function GroupActions({ group, action, onDone }: { group: DeadLetterGroup; action: GroupAction; onDone(): void }) {
  const { progress, requeueGroup, stopRequeue, purge } = useDeadLettersStore();
  const [rate, setRate] = useState(String(requeueRate.initial));
  const [busy, setBusy] = useState(false);
  const mine = progress !== null && progress.group.queue === group.queue && progress.group.signature === group.signature;

  if (action === 'purge') {
    return (
      <Confirmation
        title={`Purge ${group.title}`}
        confirmLabel={`Purge ${tasks(group.count)}`}
        busy={busy}
        onCancel={onDone}
        onConfirm={() => {
          setBusy(true);
          void purge(group).finally(onDone);
        }}
      >
        <p>
          Deletes {tasks(group.count)} of queue {group.queue} with this error from history. They cannot be requeued or inspected afterwards.
        </p>
        {busy ? <p className="progress">Purging…</p> : null}
      </Confirmation>
    );
  }

  const perSecond = Number(rate);
  const rateValid = Number.isInteger(perSecond) && perSecond >= requeueRate.min && perSecond <= requeueRate.max;
  const running = mine && progress.running;
  return (
    <Confirmation
      title={`Requeue ${group.title}`}
      confirmLabel={`Requeue ${tasks(group.count)}`}
      busy={busy}
      onCancel={onDone}
      onConfirm={() => {
        if (!rateValid) return;
        setBusy(true);
        void requeueGroup(group, perSecond).finally(onDone);
      }}
    >
      <p>
        Enqueues each of the {tasks(group.count)} of queue {group.queue} again as a new task with its stored payload, one at a time.
      </p>
      <label>
        Tasks per second{' '}
        <input
          name="requeueRate"
          inputMode="numeric"
          value={rate}
          disabled={busy}
          aria-invalid={rateValid ? undefined : true}
          onChange={(event) => setRate(event.target.value)}
        />
      </label>
      {rateValid ? null : (
        <p className="error" role="alert">
          Tasks per second: a whole number from {requeueRate.min} to {requeueRate.max}.
        </p>
      )}
      {running ? (
        <p className="progress" role="status">
          Requeued {progress.requeued} of {progress.total}…{' '}
          <button type="button" onClick={stopRequeue}>
            Stop
          </button>
        </p>
      ) : null}
    </Confirmation>
  );
}
