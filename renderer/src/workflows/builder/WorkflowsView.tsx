/**
 * The Workflows view: the list of workflows, or the builder of the one `workflowNavigation`
 * says is open (another view can open one). A workflow named there that the builder does not
 * hold yet — or a different version of it — is loaded first.
 */
import '@xyflow/react/dist/style.css';
import './workflowBuilder.css';
import './workflowNodes.css';
import { useEffect } from 'react';
import type { Role } from '../../../../shared/security/permissions.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { useBuilderStore } from './builderStore.js';
import { WorkflowBuilder } from './WorkflowBuilder.js';
import { WorkflowList } from './WorkflowList.js';
import { useWorkflowVersionsStore } from './workflowVersionsStore.js';

export function WorkflowsView({ role }: { role: Role }) {
  const target = useWorkflowNavigation((state) => state.workflow);
  const openWorkflow = useWorkflowNavigation((state) => state.openWorkflow);
  const open = useBuilderStore((state) => state.open);
  const { loading, error, open: load } = useWorkflowVersionsStore();

  const held = target !== null && open?.name === target.name && (target.version === undefined || target.version === open.version);
  useEffect(() => {
    if (target && !held) void load(target.name, target.version);
  }, [target, held, load]);

  if (target === null) return <WorkflowList role={role} />;
  if (!held) {
    return (
      <main className="workflows">
        <h1>{target.name}</h1>
        {loading ? <p role="status">Loading…</p> : null}
        <ErrorMessage message={error} />
        <button type="button" onClick={() => openWorkflow(null)}>
          ← Workflows
        </button>
      </main>
    );
  }
  return <WorkflowBuilder role={role} />;
}
