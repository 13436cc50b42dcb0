/**
 * The selected node's settings: id, label, join, and by kind the queue and task type, the input
 * template (JSON), timeout and retry, a map's `over` and concurrency, a sub-workflow's name and
 * version. Each change is written into the draft as it is typed (one undo step per field), and
 * the validator's problems show under the field they are about. The id changes when the field
 * is left or Enter is pressed, and only to a well-formed id no other node has; the node's edges
 * follow it.
 */
import { useState } from 'react';
import type { WorkflowProblem } from '../../../../shared/workflows/validateWorkflow.js';
import { taskLimits } from '../../../../shared/task.js';
import { workflowLimits } from '../../../../shared/workflows/workflowDefinition.js';
import { useBuilderStore } from './builderStore.js';
import { renameNode, updateNode } from './definitionEdits.js';
import { nodeIdProblem, type DraftNode } from './draftDefinition.js';
import { parseJsonText, parseWholeNumber } from './jsonText.js';
import { nestedSetting, withNestedSetting } from './nestedSetting.js';
import { kindNames } from './nodeSummary.js';
import { ChoiceSetting, ParsedSetting, TextSetting } from './SettingFields.js';
import { settingProblems } from './settingProblems.js';
import { copyButton } from './clipboardActions.js';

const joins = [
  { value: 'all', text: 'all: every incoming edge decided, one taken' },
  { value: 'any', text: 'any: the first taken edge' },
] as const;
const backoffKinds = [
  { value: '', text: "the queue's" },
  { value: 'exponential', text: 'exponential' },
  { value: 'fixed', text: 'fixed' },
] as const;

const formatJson = (value: unknown) => JSON.stringify(value ?? {}, null, 2);
const formatNumber = (value: unknown) => (typeof value === 'number' ? String(value) : '');

export function NodeSettingsPanel({ node, index, problems, readOnly }: { node: DraftNode; index: number; problems: readonly WorkflowProblem[]; readOnly: boolean }) {
  const { edit, select, deleteSelection } = useBuilderStore();
  const fieldProblems = settingProblems(problems, 'nodes', index);
  const set = (field: string, value: unknown) => edit((definition) => updateNode(definition, node.id, { [field]: value }), `${node.id}.${field}`);
  const text = (field: string) => {
    const value = (node as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : '';
  };
  const taskLike = node.kind === 'task' || node.kind === 'map' || node.kind === 'reduce';
  const retry = taskLike ? (node.retry as Record<string, unknown> | undefined) : undefined;
  const setRetry = (path: string[], value: unknown) => set('retry', withNestedSetting(retry, path, value));
  const number = (field: string, min: number, max: number) => (typed: string) => parseWholeNumber(typed, field, min, max);

  return (
    <section className="settings-panel" aria-label="Node settings">
      <h2>
        {kindNames[node.kind]} <code>{node.id}</code>
      </h2>
      <NodeIdField node={node} readOnly={readOnly} onRenamed={(id) => select([id])} />
      <TextSetting label="Label" value={node.label ?? ''} readOnly={readOnly} placeholder={node.id} problem={fieldProblems.get('label')} onChange={(value) => set('label', value.trim() === '' ? undefined : value)} />
      {taskLike ? (
        <>
          <TextSetting label="Queue" value={text('queue')} readOnly={readOnly} problem={fieldProblems.get('queue')} onChange={(value) => set('queue', value)} />
          <TextSetting label="Task type" value={text('type')} readOnly={readOnly} problem={fieldProblems.get('type')} onChange={(value) => set('type', value)} />
        </>
      ) : null}
      {node.kind === 'map' ? (
        <>
          <TextSetting label="Over (list expression)" value={node.over} readOnly={readOnly} problem={fieldProblems.get('over')} hint="e.g. nodes.fetch.output.lines" onChange={(value) => set('over', value)} />
          <ParsedSetting label="Concurrency" value={node.concurrency} format={formatNumber} parse={number('Concurrency', 1, workflowLimits.maxMapConcurrency)} readOnly={readOnly} problem={fieldProblems.get('concurrency')} onChange={(value) => set('concurrency', value)} />
        </>
      ) : null}
      {node.kind === 'workflow' ? (
        <>
          <TextSetting label="Workflow" value={node.workflow} readOnly={readOnly} problem={fieldProblems.get('workflow')} onChange={(value) => set('workflow', value)} />
          <ParsedSetting label="Version" value={node.version} format={formatNumber} parse={number('Version', 1, Number.MAX_SAFE_INTEGER)} readOnly={readOnly} problem={fieldProblems.get('version')} hint="empty: the latest when the run reaches it" onChange={(value) => set('version', value)} />
        </>
      ) : null}
      {node.kind !== 'branch' ? (
        <ParsedSetting
          label="Input template (JSON)"
          value={node.input as unknown}
          format={formatJson}
          parse={(typed) => parseJsonText(typed, 'Input template')}
          rows={6}
          readOnly={readOnly}
          problem={fieldProblems.get('input')}
          hint="{{ expression }} in a string reads input, nodes.<id>.output"
          onChange={(value) => set('input', value)}
        />
      ) : null}
      {taskLike ? (
        <>
          <ParsedSetting label="Timeout (ms)" value={node.timeoutMs} format={formatNumber} parse={number('Timeout', 1, taskLimits.maxTimeoutMs)} readOnly={readOnly} problem={fieldProblems.get('timeoutMs')} hint="empty: the queue's" onChange={(value) => set('timeoutMs', value)} />
          <ParsedSetting label="Retry: max attempts" value={nestedSetting(retry, ['maxAttempts']) as number | undefined} format={formatNumber} parse={number('Max attempts', 1, taskLimits.maxAttemptsLimit)} readOnly={readOnly} problem={fieldProblems.get('retry')} hint="empty: the queue's" onChange={(value) => setRetry(['maxAttempts'], value)} />
          <ChoiceSetting label="Retry: backoff" value={(nestedSetting(retry, ['backoff', 'kind']) as '' | 'exponential' | 'fixed' | undefined) ?? ''} choices={backoffKinds} readOnly={readOnly} onChange={(value) => setRetry(['backoff', 'kind'], value === '' ? undefined : value)} />
          <ParsedSetting label="Retry: backoff delay (ms)" value={nestedSetting(retry, ['backoff', 'delayMs']) as number | undefined} format={formatNumber} parse={number('Backoff delay', 0, taskLimits.maxTimeoutMs)} readOnly={readOnly} onChange={(value) => setRetry(['backoff', 'delayMs'], value)} />
        </>
      ) : null}
      <ChoiceSetting label="Join" value={node.join ?? 'all'} choices={joins} readOnly={readOnly} problem={fieldProblems.get('join')} onChange={(value) => set('join', value === 'all' ? undefined : value)} />
      {readOnly ? null : (
        <div className="panel-actions">
          <button type="button" onClick={copyButton}>
            Copy
          </button>
          <button type="button" className="danger" onClick={deleteSelection}>
            Delete node
          </button>
        </div>
      )}
    </section>
  );
}

/** The id, renamed when the field is left or Enter pressed; what is wrong with the typed id shows as it is typed. */
function NodeIdField({ node, readOnly, onRenamed }: { node: DraftNode; readOnly: boolean; onRenamed(id: string): void }) {
  const edit = useBuilderStore((state) => state.edit);
  const definition = useBuilderStore((state) => state.history.present);
  const [typed, setTyped] = useState(node.id);
  const problem = nodeIdProblem(definition, node.id, typed);
  if (readOnly) return null;
  const apply = () => {
    if (problem || typed === node.id) return;
    edit((current) => renameNode(current, node.id, typed));
    onRenamed(typed);
  };
  return (
    <div className={problem ? 'setting has-problem' : 'setting'}>
      <label htmlFor={`node-id-${node.id}`}>Id</label>
      <input
        id={`node-id-${node.id}`}
        value={typed}
        spellCheck={false}
        onChange={(event) => setTyped(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />
      {problem ? (
        <span className="setting-problem" role="alert">
          Id: {problem}; the node keeps {node.id}
        </span>
      ) : null}
    </div>
  );
}
