/**
 * The builder's toolbar: back to the list, what is open, and the actions — undo and redo, copy,
 * paste and delete, auto-layout and zoom to fit, export and import JSON, the version history,
 * save and run. A role without `workflows:write` gets no control that changes the draft or saves
 * it, and one without `workflows:run` no Run. Leaving a draft with unsaved changes asks first.
 */
import { useReactFlow } from '@xyflow/react';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ActionButton } from '../../controls/ActionButton.js';
import { hasUnsavedChanges, useBuilderStore } from './builderStore.js';
import { copyButton, pasteButton } from './clipboardActions.js';
import { exportDefinitionText, exportFileName } from './definitionFile.js';
import { downloadText } from './downloadText.js';
import { canRedo, canUndo } from './editHistory.js';
import { ImportJsonInput } from './ImportJsonInput.js';
import { autoLayout } from './placeNodes.js';

export type BuilderPanel = 'versions' | 'run' | null;

interface BuilderToolbarProps {
  canWrite: boolean;
  canRun: boolean;
  panel: BuilderPanel;
  onPanel(panel: BuilderPanel): void;
  onBack(): void;
}

export function BuilderToolbar({ canWrite, canRun, panel, onPanel, onBack }: BuilderToolbarProps) {
  const { open, history, savedDraft, selectedNodes, selectedEdges, clipboardProblem, measured, edit, undo, redo, deleteSelection } = useBuilderStore();
  const flow = useReactFlow();
  if (!open) return null;
  const definition = history.present;
  const toggle = (which: Exclude<BuilderPanel, null>) => onPanel(panel === which ? null : which);
  const unsaved = hasUnsavedChanges({ open, history, savedDraft }, canWrite);

  return (
    <div className="builder-toolbar" role="toolbar" aria-label="Builder">
      <ActionButton label="← Workflows" busyLabel="Leaving…" confirm={unsaved ? 'Leave without saving? The unsaved changes are lost.' : undefined} onAction={async () => onBack()} />
      <h1>
        {open.name}{' '}
        <span className="hint">
          {open.version === null ? 'new, not saved' : `v${open.version}${open.latestVersion !== open.version ? ` (latest v${open.latestVersion})` : ''}`}
          {unsaved ? ' · unsaved changes' : ''}
        </span>
      </h1>
      {canWrite ? (
        <span className="tool-group">
          <button type="button" onClick={undo} disabled={!canUndo(history)} title="Ctrl+Z">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!canRedo(history)} title="Ctrl+Shift+Z or Ctrl+Y">
            Redo
          </button>
          <button type="button" onClick={copyButton} disabled={selectedNodes.size === 0} title="Ctrl+C">
            Copy
          </button>
          <button type="button" onClick={() => void pasteButton()} title="Ctrl+V">
            Paste
          </button>
          <ErrorMessage message={clipboardProblem} />
          <button type="button" onClick={deleteSelection} disabled={selectedNodes.size + selectedEdges.size === 0} title="Delete">
            Delete
          </button>
          <button
            type="button"
            onClick={() => {
              edit((current) => autoLayout(current, measured));
              requestAnimationFrame(() => void flow.fitView({ duration: 200 }));
            }}
            disabled={definition.nodes.length === 0}
          >
            Auto-layout
          </button>
        </span>
      ) : null}
      <span className="tool-group">
        <button type="button" onClick={() => void flow.fitView({ duration: 200 })}>
          Zoom to fit
        </button>
        <button type="button" onClick={() => downloadText(exportFileName(definition), exportDefinitionText(definition))}>
          Export JSON
        </button>
        {canWrite ? <ImportJsonInput onImport={(imported) => edit(() => ({ ...imported, name: open.name }))} /> : null}
        <button type="button" aria-pressed={panel === 'versions'} onClick={() => toggle('versions')}>
          Versions
        </button>
        {canRun ? (
          <button type="button" aria-pressed={panel === 'run'} onClick={() => toggle('run')}>
            Run…
          </button>
        ) : null}
      </span>
    </div>
  );
}
