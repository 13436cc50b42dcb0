/**
 * Saves the draft as the next version of its workflow with a message for the history. The agent
 * validates in full; when it refuses, every problem it named is listed (the same ones the
 * Problems panel shows, plus what only the agent knows, like a sub-workflow it does not have).
 */
import { useState, type FormEvent } from 'react';
import { useBuilderStore } from './builderStore.js';
import { useWorkflowVersionsStore, type SaveOutcome } from './workflowVersionsStore.js';

export function SaveForm() {
  const draft = useBuilderStore((state) => state.history.present);
  const save = useWorkflowVersionsStore((state) => state.save);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    const result = await save(draft, message.trim());
    setBusy(false);
    setOutcome(result);
    if (result.ok) setMessage('');
  };

  return (
    <form className="save-form" aria-label="Save version" onSubmit={(event) => void submit(event)}>
      <label>
        Version message
        <input value={message} maxLength={500} placeholder="what changed" onChange={(event) => setMessage(event.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save version'}
      </button>
      {outcome?.ok ? (
        <span className="notice" role="status">
          Saved version {outcome.version}.
        </span>
      ) : null}
      {outcome && !outcome.ok ? (
        <div className="error save-error" role="alert">
          <p>{outcome.message}</p>
          {outcome.issues.length > 0 ? (
            <ul aria-label="Save problems">
              {outcome.issues.map((issue, at) => (
                <li key={at}>
                  <code>{issue.field}</code> {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
