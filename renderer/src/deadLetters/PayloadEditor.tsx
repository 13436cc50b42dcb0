/**
 * A dead task's payload as JSON, to edit and requeue with (`deadLetters.requeue` with `taskId`
 * and `payload`; the copy runs with the edited payload, the original leaves the dead letters).
 * Unchanged text requeues the task with its stored payload. The text must parse as JSON before
 * anything is sent.
 */
import { useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useDeadLettersStore, type DeadTask } from './deadLettersStore.js';

/** The JSON in `text`, or why it is not JSON. */
function parsePayload(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `Payload: not valid JSON (${error instanceof Error ? error.message : String(error)}). Correct it and try again.` };
  }
}

export function PayloadEditor({ task }: { task: DeadTask }) {
  const requeueTask = useDeadLettersStore((state) => state.requeueTask);
  const original = JSON.stringify(task.payload ?? null, null, 2);
  const [text, setText] = useState(original);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const edited = text !== original;

  const requeue = async () => {
    const parsed = parsePayload(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(null);
    setBusy(true);
    await requeueTask(task, edited ? parsed.value : undefined);
    setBusy(false);
  };

  return (
    <div className="payload-editor">
      <label>
        Payload (JSON)
        <textarea name="payload" rows={Math.min(20, original.split('\n').length + 2)} value={text} spellCheck={false} onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
          }} />
      </label>
      <ErrorMessage message={problem} />
      <button type="button" disabled={busy} onClick={() => void requeue()}>
        {busy ? 'Requeueing…' : edited ? 'Requeue with edited payload' : 'Requeue task'}
      </button>
      {edited ? (
        <button type="button" disabled={busy} onClick={() => setText(original)}>
          Undo edits
        </button>
      ) : null}
    </div>
  );
}
