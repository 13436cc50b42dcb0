/**
 * Creates a cron schedule: name, queue, pattern, time zone (default UTC), task type and an
 * optional JSON payload; other settings keep their defaults (missed ticks skipped, enabled).
 * "Preview" asks the agent for the pattern's next five runs without saving anything.
 */
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useAction } from '../controls/useAction.js';
import { apiClient } from '../state/sessionStore.js';
import { useSchedulesStore, type NewSchedule } from './schedulesStore.js';

interface Draft {
  name: string;
  queue: string;
  cron: string;
  timeZone: string;
  type: string;
  payload: string;
}

const emptyDraft: Draft = { name: '', queue: '', cron: '', timeZone: 'UTC', type: '', payload: '' };

/** The draft as a request; throws, naming the field, when the payload is not JSON. */
function scheduleOf(draft: Draft): NewSchedule {
  let payload: unknown;
  if (draft.payload.trim() !== '') {
    try {
      payload = JSON.parse(draft.payload);
    } catch (error) {
      throw new Error(`Payload is not JSON (${(error as Error).message}); write e.g. {"report": "daily"} or leave it empty`, { cause: error });
    }
  }
  return { name: draft.name.trim(), queue: draft.queue.trim(), cron: draft.cron.trim(), timeZone: draft.timeZone.trim() || 'UTC', task: { type: draft.type.trim(), payload } };
}

export function CreateScheduleForm() {
  const create = useSchedulesStore((state) => state.create);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [preview, setPreview] = useState<string[] | null>(null);
  const saving = useAction();
  const previewing = useAction();
  const field = (name: keyof Draft) => ({
    name,
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await saving.run(() => create(scheduleOf(draft)))) {
      setDraft(emptyDraft);
      setPreview(null);
    }
  };
  const showPreview = () =>
    void previewing.run(async () => {
      const { runs } = await apiClient.call('schedules.preview', { body: { cron: draft.cron.trim(), timeZone: draft.timeZone.trim() || 'UTC' } });
      setPreview(runs.map((run) => run.iso));
    });

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} aria-label="Create schedule">
      <label>
        Name
        <input {...field('name')} required />
      </label>
      <label>
        Queue
        <input {...field('queue')} required />
      </label>
      <label>
        Cron
        <input {...field('cron')} placeholder="*/5 * * * *" required />
      </label>
      <label>
        Time zone
        <input {...field('timeZone')} />
      </label>
      <label>
        Task type
        <input {...field('type')} required />
      </label>
      <label>
        Payload (JSON)
        <textarea {...field('payload')} rows={1} placeholder="optional" />
      </label>
      <button type="button" disabled={previewing.busy || draft.cron.trim() === ''} onClick={showPreview}>
        {previewing.busy ? 'Previewing…' : 'Preview'}
      </button>
      <button type="submit" disabled={saving.busy}>
        {saving.busy ? 'Creating…' : 'Create schedule'}
      </button>
      <ErrorMessage message={saving.error ?? previewing.error} />
      {preview ? (
        <p className="preview" aria-label="Preview of next runs">
          Next runs: {preview.length === 0 ? 'none (the pattern runs out)' : preview.join(', ')}
        </p>
      ) : null}
    </form>
  );
}
