/**
 * Every saved version of the open workflow, newest first, with its message, author and time.
 * Each can be opened in the builder (replacing the draft; with unsaved changes, after asking) or
 * compared with the one before it; any two can be compared with the From/To pickers.
 */
import { useState } from 'react';
import { formatTime } from '../../components/formatTime.js';
import { ActionButton } from '../../controls/ActionButton.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { hasUnsavedChanges, useBuilderStore } from './builderStore.js';
import { useWorkflowVersionsStore, type VersionSummary } from './workflowVersionsStore.js';

export function VersionHistory({ name, canWrite }: { name: string; canWrite: boolean }) {
  const { versions, openDiff } = useWorkflowVersionsStore();
  const openWorkflow = useWorkflowNavigation((state) => state.openWorkflow);
  const unsaved = useBuilderStore((state) => hasUnsavedChanges(state, canWrite));

  if (versions.length === 0) return <p className="hint">Not saved yet: no versions.</p>;
  return (
    <section className="version-history" aria-label="Version history">
      <h2>Versions</h2>
      <ol>
        {versions.map((version) => (
          <li key={version.version} data-version={version.version}>
            <strong>v{version.version}</strong> <span className="version-message">{version.message || '(no message)'}</span>{' '}
            <span className="hint">
              {version.createdBy ?? 'someone'}, {formatTime(version.createdAt)}
            </span>
            <span className="version-actions">
              <ActionButton
                label={`Open v${version.version}`}
                busyLabel="Opening…"
                confirm={unsaved ? `Open v${version.version}? The unsaved changes on the canvas are lost.` : undefined}
                onAction={async () => openWorkflow({ name, version: version.version })}
              />
              {version.version > 1 ? (
                <button type="button" onClick={() => void openDiff(name, version.version - 1, version.version)}>
                  Compare v{version.version - 1} with v{version.version}
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
      {versions.length > 1 ? <ComparePicker key={versions[0]!.version} name={name} versions={versions} /> : null}
    </section>
  );
}

/** From/To pickers over every version, starting at the newest two (anew when a save adds one). */
function ComparePicker({ name, versions }: { name: string; versions: readonly VersionSummary[] }) {
  const openDiff = useWorkflowVersionsStore((state) => state.openDiff);
  const newest = versions[0]?.version ?? 1;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const picker = (label: string, value: number, onChange: (version: number) => void) => (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {versions.map((version) => (
          <option key={version.version} value={version.version}>
            v{version.version}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="compare-versions">
      {picker('From', from, setFrom)}
      {picker('To', to, setTo)}
      <button type="button" disabled={from === to} onClick={() => void openDiff(name, Math.min(from, to), Math.max(from, to))}>
        Show diff
      </button>
    </div>
  );
}
