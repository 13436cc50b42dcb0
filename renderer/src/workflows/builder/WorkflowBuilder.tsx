/**
 * The builder of one workflow: toolbar and save form on top, the palette, the canvas and the
 * side panel (version history or run form, then the selection's settings) side by side, and the
 * Problems panel below. The draft is validated on every change with the shared
 * `validateWorkflow`, against the queues that exist; its problems show on the nodes, under the
 * settings and in the Problems panel. A viewer gets the same drawing with nothing to change.
 */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { Role } from '../../../../shared/security/permissions.js';
import { roleAllows } from '../../../../shared/security/permissions.js';
import { validateWorkflow } from '../../../../shared/workflows/validateWorkflow.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { BuilderToolbar, type BuilderPanel } from './BuilderToolbar.js';
import { useBuilderCatalogStore } from './builderCatalogStore.js';
import { useBuilderStore } from './builderStore.js';
import { problemsByNode } from './flowElements.js';
import { NodePalette } from './NodePalette.js';
import { ProblemsPanel } from './ProblemsPanel.js';
import { RunForm } from './RunForm.js';
import { SaveForm } from './SaveForm.js';
import { SelectionPanel } from './SelectionPanel.js';
import { useBuilderShortcuts } from './useBuilderShortcuts.js';
import { VersionDiffView } from './VersionDiffView.js';
import { VersionHistory } from './VersionHistory.js';
import { WorkflowCanvas } from './WorkflowCanvas.js';
import { useWorkflowVersionsStore } from './workflowVersionsStore.js';

export function WorkflowBuilder({ role }: { role: Role }) {
  const canWrite = roleAllows(role, 'workflows:write');
  const canRun = roleAllows(role, 'workflows:run');
  const open = useBuilderStore((state) => state.open);
  const definition = useBuilderStore((state) => state.history.present);
  const close = useBuilderStore((state) => state.close);
  const { checks, load: loadCatalog } = useBuilderCatalogStore();
  const { diff, error, closeDiff } = useWorkflowVersionsStore();
  const openWorkflow = useWorkflowNavigation((state) => state.openWorkflow);
  const [panel, setPanel] = useState<BuilderPanel>(null);
  useBuilderShortcuts(canWrite);

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

  const problems = useMemo(() => {
    const validation = validateWorkflow(definition, checks);
    return validation.valid ? [] : validation.problems;
  }, [definition, checks]);
  const byNode = useMemo(() => problemsByNode(problems), [problems]);

  if (!open) return null;
  return (
    <main className="workflow-builder">
      <ReactFlowProvider>
        <BuilderToolbar
          canWrite={canWrite}
          canRun={canRun}
          panel={panel}
          onPanel={setPanel}
          onBack={() => {
            close();
            closeDiff();
            openWorkflow(null);
          }}
        />
        {canWrite ? <SaveForm /> : null}
        <ErrorMessage message={error} />
        {diff ? (
          <VersionDiffView diff={diff} onClose={closeDiff} />
        ) : (
          <div className={canWrite ? 'builder-body' : 'builder-body read-only'}>
            {canWrite ? <NodePalette /> : null}
            <WorkflowCanvas problems={byNode} readOnly={!canWrite} />
            <div className="builder-side">
              {panel === 'versions' ? <VersionHistory name={open.name} canWrite={canWrite} /> : null}
              {panel === 'run' && canRun ? <RunForm onClose={() => setPanel(null)} /> : null}
              <SelectionPanel problems={problems} readOnly={!canWrite} />
            </div>
          </div>
        )}
        <ProblemsPanel problems={problems} />
      </ReactFlowProvider>
    </main>
  );
}
