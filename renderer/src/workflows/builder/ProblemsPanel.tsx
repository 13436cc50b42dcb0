/**
 * Every problem the validator found in the draft, as the author types: the nodes it is about,
 * where in the definition, and the message. Pressing a problem selects its node and brings it
 * into view.
 */
import type { WorkflowProblem } from '../../../../shared/workflows/validateWorkflow.js';
import { useBuilderStore } from './builderStore.js';

export function ProblemsPanel({ problems }: { problems: readonly WorkflowProblem[] }) {
  const focusNode = useBuilderStore((state) => state.focusNode);
  return (
    <section className="problems-panel" role="region" aria-label="Problems">
      <h2>Problems {problems.length > 0 ? <span className="problem-count">{problems.length}</span> : null}</h2>
      {problems.length === 0 ? (
        <p className="valid" role="status">
          No problems: the workflow is valid.
        </p>
      ) : (
        <ul>
          {problems.map((problem, at) => {
            const node = problem.nodeIds[0];
            const text = (
              <>
                {problem.nodeIds.length > 0 ? <strong>{problem.nodeIds.join(', ')}</strong> : null} <span className="problem-message">{problem.message}</span> <code className="problem-path">{problem.path}</code>
              </>
            );
            return (
              <li key={`${problem.path}:${at}`} data-problem-nodes={problem.nodeIds.join(' ')}>
                {node ? (
                  <button type="button" className="link" onClick={() => focusNode(node)}>
                    {text}
                  </button>
                ) : (
                  text
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
