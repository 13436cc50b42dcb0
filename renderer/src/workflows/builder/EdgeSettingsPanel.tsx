/**
 * The selected edge: its ends and its condition (`when`), an expression over `input` and
 * `nodes` that must be true for the run to take the edge; empty means always. The validator's
 * problems with the condition show under it as it is typed.
 */
import type { WorkflowProblem } from '../../../../shared/workflows/validateWorkflow.js';
import { useBuilderStore } from './builderStore.js';
import { setEdgeCondition, type EdgeEnds } from './definitionEdits.js';
import type { DraftEdge } from './draftDefinition.js';
import { edgeId } from './flowElements.js';
import { TextSetting } from './SettingFields.js';
import { settingProblems } from './settingProblems.js';

export function EdgeSettingsPanel({ edge, index, problems, readOnly }: { edge: DraftEdge; index: number; problems: readonly WorkflowProblem[]; readOnly: boolean }) {
  const { edit, deleteSelection } = useBuilderStore();
  const ends: EdgeEnds = { from: edge.from, to: edge.to };
  const fieldProblems = settingProblems(problems, 'edges', index);
  return (
    <section className="settings-panel" aria-label="Edge settings">
      <h2>
        Edge <code>{edge.from}</code> → <code>{edge.to}</code>
      </h2>
      <TextSetting
        label="Condition (when)"
        value={edge.when ?? ''}
        readOnly={readOnly}
        placeholder="always"
        hint="e.g. input.paid == true, or nodes.<an upstream id>.output.ok; empty: always taken"
        problem={fieldProblems.get('when')}
        onChange={(value) => edit((definition) => setEdgeCondition(definition, ends, value), `${edgeId(ends)}.when`)}
      />
      {readOnly ? null : (
        <div className="panel-actions">
          <button type="button" className="danger" onClick={deleteSelection}>
            Delete edge
          </button>
        </div>
      )}
    </section>
  );
}
