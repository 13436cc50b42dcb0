/**
 * Edits a queue's concurrency and rate limit in place (`queues.update`). The fields are checked
 * before sending (whole numbers, both parts of a rate limit or neither, the API's bounds); the
 * agent's own 4xx message, which names the field, is shown if it refuses anyway.
 */
import { useState, type FormEvent } from 'react';
import { updateQueueRequest, type QueueSummary } from '../../../shared/api/schemas/queues.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { checkAgainst, limitFieldsOf, readLimits, type LimitFields } from './queueSettings.js';
import './queues.css';

export function QueueSettingsForm({ queue, onDone }: { queue: QueueSummary; onDone(): void }) {
  const update = useQueuesStore((state) => state.update);
  const name = queue.definition.name;
  const [fields, setFields] = useState<LimitFields>(() => limitFieldsOf(queue.definition));
  const [problem, setProblem] = useState<{ message: string; field: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const limits = readLimits(fields);
    const checked = limits.ok ? checkAgainst(updateQueueRequest, limits.value) : limits;
    if (!checked.ok) {
      setProblem(checked);
      return;
    }
    setBusy(true);
    const outcome = await update(name, checked.value);
    setBusy(false);
    if (outcome.ok) onDone();
    else setProblem({ message: outcome.message, field: outcome.field ?? '' });
  };

  const field = (key: keyof LimitFields, label: string, problemField: string) => (
    <label>
      {label}
      <input
        name={key}
        inputMode="numeric"
        value={fields[key]}
        aria-invalid={problem?.field.endsWith(problemField) ? true : undefined}
        onChange={(event) => setFields({ ...fields, [key]: event.target.value })}
        placeholder="no limit"
      />
    </label>
  );

  return (
    <form className="queue-settings" aria-label={`Settings of ${name}`} onSubmit={(event) => void submit(event)}>
      {field('concurrency', 'Concurrency', 'concurrency')}
      {field('rateMax', 'Rate limit: tasks', 'rateLimit.max')}
      {field('rateIntervalMs', 'per milliseconds', 'rateLimit.intervalMs')}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" disabled={busy} onClick={onDone}>
        Cancel
      </button>
      <ErrorMessage message={problem?.message ?? null} />
    </form>
  );
}
