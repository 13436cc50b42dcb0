/**
 * Creates a queue (`queues.create`) with the settings the API accepts at creation: the engine
 * (fixed for the queue's life; empty means the agent's default), concurrency and rate limit, and
 * the default retry policy its tasks get (attempts, backoff kind and first delay). Empty fields
 * keep the agent's defaults. Checked before sending against the API's own schema.
 */
import { useState, type FormEvent } from 'react';
import { createQueueRequest, type CreateQueueRequest } from '../../../shared/api/schemas/queues.js';
import { engineKinds } from '../../../shared/queue.js';
import { checkAgainst, readLimits, wholeNumber, type LimitFields } from '../queues/queueSettings.js';
import '../queues/queues.css';
import { useQueuesStore } from '../state/queuesStore.js';
import { ErrorMessage } from './ErrorMessage.js';

interface Fields extends LimitFields {
  name: string;
  engine: string;
  maxAttempts: string;
  backoffKind: string;
  backoffDelayMs: string;
}

const empty: Fields = { name: '', engine: '', concurrency: '', rateMax: '', rateIntervalMs: '', maxAttempts: '', backoffKind: '', backoffDelayMs: '' };

/** The request the fields describe, leaving out what was left empty. */
function requestOf(fields: Fields): { ok: true; value: CreateQueueRequest } | { ok: false; message: string; field: string } {
  const limits = readLimits(fields);
  if (!limits.ok) return limits;
  const maxAttempts = wholeNumber(fields.maxAttempts);
  const delayMs = wholeNumber(fields.backoffDelayMs);
  const backoff = {
    ...(fields.backoffKind !== '' && { kind: fields.backoffKind as 'exponential' | 'fixed' }),
    ...(delayMs !== null && { delayMs }),
  };
  const retry = { ...(maxAttempts !== null && { maxAttempts }), ...(Object.keys(backoff).length > 0 && { backoff }) };
  const request = {
    name: fields.name.trim(),
    ...(fields.engine !== '' && { engine: fields.engine as CreateQueueRequest['engine'] }),
    ...(limits.value.concurrency !== null && { concurrency: limits.value.concurrency }),
    ...(limits.value.rateLimit !== null && { rateLimit: limits.value.rateLimit }),
    ...(Object.keys(retry).length > 0 && { retry }),
  };
  return checkAgainst(createQueueRequest, request);
}

export function CreateQueueForm() {
  const createQueue = useQueuesStore((state) => state.createQueue);
  const [fields, setFields] = useState<Fields>(empty);
  const [problem, setProblem] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = requestOf(fields);
    if (!request.ok) {
      setProblem(request);
      return;
    }
    setBusy(true);
    const outcome = await createQueue(request.value);
    setBusy(false);
    if (outcome.ok) {
      setFields(empty);
      setProblem(null);
    } else setProblem(outcome);
  };

  const input = (key: keyof Fields, label: string, placeholder: string, extra: { required?: boolean } = {}) => (
    <label>
      {label}
      <input
        name={key === 'name' ? 'queueName' : key}
        value={fields[key]}
        placeholder={placeholder}
        onChange={(event) => setFields({ ...fields, [key]: event.target.value })}
        {...extra}
      />
    </label>
  );
  const select = (key: keyof Fields, label: string, options: readonly string[]) => (
    <label>
      {label}
      <select name={key} value={fields[key]} onChange={(event) => setFields({ ...fields, [key]: event.target.value })}>
        <option value="">default</option>
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </label>
  );

  return (
    <form className="create-queue" onSubmit={(event) => void submit(event)} aria-label="Create queue">
      {input('name', 'New queue', 'name', { required: true })}
      {select('engine', 'Engine', engineKinds)}
      {input('concurrency', 'Concurrency', 'no limit')}
      <fieldset>
        <legend>Rate limit</legend>
        {input('rateMax', 'Tasks', 'no limit')}
        {input('rateIntervalMs', 'Per ms', 'e.g. 1000')}
      </fieldset>
      <fieldset>
        <legend>Retry policy</legend>
        {input('maxAttempts', 'Attempts', 'default')}
        {select('backoffKind', 'Backoff', ['exponential', 'fixed'])}
        {input('backoffDelayMs', 'First delay ms', 'default')}
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create queue'}
      </button>
      <ErrorMessage message={problem?.message ?? null} />
    </form>
  );
}
