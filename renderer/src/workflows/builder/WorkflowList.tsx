/**
 * The list of saved workflows — name, latest version, node count, last change — each opened in
 * the builder by its name. Roles allowed `workflows:write` also start a new one (a name, then an
 * empty canvas), import one from a JSON file (opened as an unsaved draft), or delete one with
 * all its versions (confirmed first).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Role } from '../../../../shared/security/permissions.js';
import { roleAllows } from '../../../../shared/security/permissions.js';
import { workflowNamePattern } from '../../../../shared/workflows/workflowDefinition.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatTime } from '../../components/formatTime.js';
import { ActionButton } from '../../controls/ActionButton.js';
import { TableHead } from '../../controls/TableHead.js';
import { useWorkflowNavigation } from '../workflowNavigation.js';
import { ImportJsonInput } from './ImportJsonInput.js';
import { useWorkflowListStore } from './workflowListStore.js';
import { useWorkflowVersionsStore } from './workflowVersionsStore.js';
import type { DraftDefinition } from './draftDefinition.js';

const columns = ['Name', 'Latest version', 'Nodes', 'Updated'];

export function WorkflowList({ role }: { role: Role }) {
  const { workflows, loaded, error, load, remove } = useWorkflowListStore();
  const startDraft = useWorkflowVersionsStore((state) => state.startDraft);
  const openWorkflow = useWorkflowNavigation((state) => state.openWorkflow);
  const canWrite = roleAllows(role, 'workflows:write');
  const [name, setName] = useState('');
  const [nameProblem, setNameProblem] = useState<string | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const openDraft = (draftName: string, definition?: DraftDefinition) => {
    startDraft(draftName, definition);
    openWorkflow({ name: draftName });
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    const wanted = name.trim();
    if (!workflowNamePattern.test(wanted)) return setNameProblem('Name: 1–64 letters, digits, ., _ or -');
    if (workflows.some((workflow) => workflow.name === wanted)) return setNameProblem(`Name: ${wanted} exists already; open it to save a new version`);
    setNameProblem(null);
    setName('');
    openDraft(wanted);
  };

  return (
    <main className="workflows">
      <h1>Workflows</h1>
      <ErrorMessage message={error} />
      {canWrite ? (
        <div className="workflow-list-actions">
          <form className="inline-form" aria-label="New workflow" onSubmit={create}>
            <label>
              Name
              <input value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. order-fulfilment" />
            </label>
            <button type="submit">New workflow</button>
            <ErrorMessage message={nameProblem} />
          </form>
          <ImportJsonInput onImport={(definition) => openDraft(definition.name, definition)} />
        </div>
      ) : null}
      {loaded && workflows.length === 0 ? <p className="empty">No workflows yet.</p> : null}
      {workflows.length > 0 ? (
        <table aria-label="Workflows">
          <TableHead columns={columns} actions={canWrite} />
          <tbody>
            {workflows.map((workflow) => (
              <tr key={workflow.name} data-workflow={workflow.name}>
                <td>
                  <button type="button" className="link" aria-label={`Open ${workflow.name}`} onClick={() => openWorkflow({ name: workflow.name })}>
                    {workflow.name}
                  </button>
                  {workflow.description ? <div className="hint">{workflow.description}</div> : null}
                </td>
                <td>v{workflow.latestVersion}</td>
                <td className="count">{workflow.nodeCount}</td>
                <td>{formatTime(workflow.updatedAt)}</td>
                {canWrite ? (
                  <td>
                    <ActionButton label="Delete" busyLabel="Deleting…" danger confirm={`Delete ${workflow.name} and all its versions?`} onAction={() => remove(workflow.name)} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
