/**
 * The validator's problems for one node's or edge's settings, by setting: a problem at
 * `nodes[2].input.customer` belongs to setting `input` of the third node, `edges[4].when` to
 * the condition of the fifth edge. The side panel shows each under its field.
 */
import type { WorkflowProblem } from '../../../../shared/workflows/validateWorkflow.js';

/** Messages by the first setting name after `<collection>[<index>].`; several on one setting are joined. */
export function settingProblems(problems: readonly WorkflowProblem[], collection: 'nodes' | 'edges', index: number): Map<string, string> {
  const prefix = `${collection}[${index}]`;
  const bySetting = new Map<string, string>();
  for (const problem of problems) {
    if (!problem.path.startsWith(`${prefix}.`)) continue;
    const setting = /^[A-Za-z_]+/.exec(problem.path.slice(prefix.length + 1))?.[0];
    if (!setting) continue;
    const earlier = bySetting.get(setting);
    bySetting.set(setting, earlier ? `${earlier}; ${problem.message}` : problem.message);
  }
  return bySetting;
}
