/**
 * Starts a run of the open workflow's saved version with an input typed as JSON (checked as it
 * is typed), then opens the run in the Runs view. Unsaved changes are not part of a run: the
 * form says so, and a workflow never saved cannot run yet.
 */
import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useAction } from '../../controls/useAction.js';
import { apiClient } from '../../state/sessionStore.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { useBuilderStore } from './builderStore.js';
import { parseJsonText } from './jsonText.js';

export function RunForm({ onClose }: { onClose(): void }) {
  const { open, history, savedDraft } = useBuilderStore();
  const openRun = useWorkflowNavigation((state) => state.openRun);
  const [text, setText] = useState('{}');
  const starting = useAction();
  const parsed = parseJsonText(text, 'Run input');
  if (!open) return null;
  const version = open.version;

  const start = () =>
    void starting.run(async () => {
      if (!parsed.ok || version === null) return;
      const run = await apiClient.call('runs.start', { params: { name: open.name }, body: { input: parsed.value, version } });
      openRun(run.id);
    });

  return (
    <section className="run-form" aria-label="Run workflow">
      <h2>Run {open.name}</h2>
      {version === null ? (
        <p className="hint">Save the workflow first: a run executes a saved version.</p>
      ) : (
        <>
          <p className="hint">
            Runs version {version}
            {history.present !== savedDraft ? ' as saved; the unsaved changes on the canvas are not part of the run' : ''}.
          </p>
          <label>
            Run input (JSON)
            <textarea rows={6} value={text} spellCheck={false} onChange={(event) => setText(event.target.value)} />
          </label>
          <ErrorMessage message={parsed.ok ? null : parsed.message} />
          <button type="button" disabled={!parsed.ok || starting.busy} onClick={start}>
            {starting.busy ? 'Starting…' : 'Start run'}
          </button>
          <ErrorMessage message={starting.error} />
        </>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
