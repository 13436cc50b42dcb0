/**
 * Enqueues one task (`tasks.enqueue`; roles with `tasks:write` only, TasksView does not render it
 * for a viewer): queue, type, a JSON payload, and optionally priority, delay and max attempts
 * (empty: the queue's defaults). A payload that is not JSON is refused here with the parser's
 * message; anything else the agent refuses shows its message, which names the field. After
 * success, "Find it" searches for the new task by id.
 */
import { useState, type FormEvent } from 'react';
import { highestPriority, lowestPriority } from '../../../shared/task.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { errorMessage } from '../state/errorMessage.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { apiClient } from '../state/sessionStore.js';
import { useTasksStore } from '../state/tasksStore.js';
import { emptyDraft, enqueueRequest, parsePayload, type EnqueueDraft } from './enqueueDraft.js';
import { emptyFilters } from './taskQuery.js';

export function EnqueueForm() {
  const queues = useQueuesStore((state) => state.queues);
  const search = useTasksStore((state) => state.search);
  const [draft, setDraft] = useState<EnqueueDraft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [enqueued, setEnqueued] = useState<{ queue: string; id: string } | null>(null);
  const queue = draft.queue || queues[0]?.definition.name || '';
  const change = (field: keyof EnqueueDraft, value: string) => setDraft({ ...draft, [field]: value });
  const parsed = parsePayload(draft.payload);
  const payloadError = 'error' in parsed ? parsed.error : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = enqueueRequest({ ...draft, queue });
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setBusy(true);
    setEnqueued(null);
    try {
      const answer = await apiClient.call('tasks.enqueue', built.request);
      setEnqueued({ queue, id: answer.id });
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="enqueue" aria-label="Enqueue a task">
      <h2>Enqueue a task</h2>
      <form onSubmit={(event) => void submit(event)} aria-label="Enqueue task">
        <label>
          Queue
          <select name="enqueueQueue" value={queue} onChange={(event) => change('queue', event.target.value)} required>
            {queues.map((summary) => (
              <option key={summary.definition.name} value={summary.definition.name}>
                {summary.definition.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <input name="enqueueType" value={draft.type} onChange={(event) => change('type', event.target.value)} required />
        </label>
        <label className="payload">
          Payload (JSON)
          <textarea name="payload" rows={4} value={draft.payload} onChange={(event) => change('payload', event.target.value)} placeholder='{"invoice": 42}' aria-invalid={payloadError !== null} />
        </label>
        {payloadError ? <p className="error payload-error">{payloadError}</p> : null}
        <label>
          Priority
          <input name="priority" type="number" value={draft.priority} onChange={(event) => change('priority', event.target.value)} placeholder={`${lowestPriority}–${highestPriority}`} />
        </label>
        <label>
          Delay (ms)
          <input name="delayMs" type="number" value={draft.delayMs} onChange={(event) => change('delayMs', event.target.value)} placeholder="0" />
        </label>
        <label>
          Max attempts
          <input name="maxAttempts" type="number" value={draft.maxAttempts} onChange={(event) => change('maxAttempts', event.target.value)} placeholder="queue default" />
        </label>
        <button type="submit" disabled={busy || queue === '' || payloadError !== null}>
          Enqueue
        </button>
      </form>
      <ErrorMessage message={error} />
      {enqueued ? (
        <p className="enqueued" data-task={enqueued.id}>
          Enqueued <code>{enqueued.id}</code>{' '}
          <button type="button" onClick={() => void search({ ...emptyFilters, queue: enqueued.queue, id: enqueued.id })}>
            Find it
          </button>
        </p>
      ) : null}
    </section>
  );
}
