/**
 * The side panel: the settings of the one selected node or edge; with several selected, how
 * many and what can be done with them; with nothing selected, the workflow's own settings (its
 * name and description) and how to draw.
 */
import type { WorkflowProblem } from '../../../../shared/workflows/validateWorkflow.js';
import { useBuilderStore } from './builderStore.js';
import { describeWorkflow } from './definitionEdits.js';
import { edgesOf } from './draftDefinition.js';
import { edgeId } from './flowElements.js';
import { EdgeSettingsPanel } from './EdgeSettingsPanel.js';
import { NodeSettingsPanel } from './NodeSettingsPanel.js';
import { TextSetting } from './SettingFields.js';
import { copyButton } from './clipboardActions.js';

const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export function SelectionPanel({ problems, readOnly }: { problems: readonly WorkflowProblem[]; readOnly: boolean }) {
  const { history, selectedNodes, selectedEdges, edit, deleteSelection } = useBuilderStore();
  const definition = history.present;
  const count = selectedNodes.size + selectedEdges.size;

  if (selectedNodes.size === 1 && selectedEdges.size === 0) {
    const [id] = selectedNodes;
    const index = definition.nodes.findIndex((node) => node.id === id);
    if (index >= 0) return <NodeSettingsPanel key={id} node={definition.nodes[index]!} index={index} problems={problems} readOnly={readOnly} />;
  }
  if (selectedEdges.size === 1 && selectedNodes.size === 0) {
    const [id] = selectedEdges;
    const index = edgesOf(definition).findIndex((edge) => edgeId(edge) === id);
    if (index >= 0) return <EdgeSettingsPanel key={id} edge={edgesOf(definition)[index]!} index={index} problems={problems} readOnly={readOnly} />;
  }
  if (count > 1) {
    return (
      <section className="settings-panel" aria-label="Selection">
        <h2>
          {counted(selectedNodes.size, 'node')} and {counted(selectedEdges.size, 'edge')} selected
        </h2>
        {readOnly ? null : (
          <div className="panel-actions">
            <button type="button" onClick={copyButton} disabled={selectedNodes.size === 0}>
              Copy
            </button>
            <button type="button" className="danger" onClick={deleteSelection}>
              Delete selection
            </button>
          </div>
        )}
      </section>
    );
  }
  return (
    <section className="settings-panel" aria-label="Workflow settings">
      <h2>Workflow {definition.name}</h2>
      <TextSetting label="Description" value={definition.description ?? ''} readOnly={readOnly} onChange={(value) => edit((current) => describeWorkflow(current, value), 'description')} />
      {readOnly ? (
        <p className="hint">Select a node or an edge to read its settings.</p>
      ) : (
        <p className="hint">
          Drag entries from the palette onto the canvas (or press them), then drag from a node&apos;s right port to another&apos;s left port to connect them. Select a node or an edge to edit it; shift-click
          or drag a box on the empty canvas to select several.
        </p>
      )}
    </section>
  );
}
