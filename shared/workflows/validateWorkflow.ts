/**
 * The one check of a workflow definition, used by the agent before it saves a version or starts
 * a run and by the builder as the author types. It refuses, naming every offending node:
 * schema errors, duplicate node ids, dangling, self and duplicate edges, cycles, nodes no entry
 * reaches, unparsable expressions, unknown names in expressions, reads of nodes that are not
 * upstream, a `reduce` without a `map` parent, unknown queues, task types and sub-workflows
 * (when the caller says which exist), and a workflow that runs itself.
 */
import type { z } from 'zod';
import { ExpressionError } from './expression/ExpressionError.js';
import { expressionReferences } from './expression/expressionReferences.js';
import { parseExpression } from './expression/parseExpression.js';
import { templateExpressions } from './inputTemplate.js';
import { workflowDefinition, type WorkflowDefinition, type WorkflowNode } from './workflowDefinition.js';
import { WorkflowGraph } from './workflowGraph.js';
import { schemaIssuePath } from '../schemaIssuePath.js';

export interface WorkflowProblem {
  /** The nodes the problem is about (shown on them in the builder); empty for the whole workflow. */
  nodeIds: string[];
  /** Where in the definition, e.g. `nodes[2].input.customer` or `edges[4].when`. */
  path: string;
  message: string;
}

export interface ValidationOptions {
  /** Whether the queue exists; unchecked when absent. */
  queueExists?: (queue: string) => boolean;
  /** Whether `type` is a task type registered for `queue`; unchecked when absent. */
  taskTypeExists?: (queue: string, type: string) => boolean;
  /** Whether the workflow `name` (at `version`, when given) exists; unchecked when absent. */
  workflowExists?: (name: string, version: number | undefined) => boolean;
}

export type WorkflowValidation = { valid: true; definition: WorkflowDefinition; problems: [] } | { valid: false; problems: WorkflowProblem[] };

export function validateWorkflow(input: unknown, options: ValidationOptions = {}): WorkflowValidation {
  const parsed = workflowDefinition.safeParse(input);
  if (!parsed.success) return { valid: false, problems: parsed.error.issues.map((issue) => schemaProblem(issue, input)) };
  const definition = parsed.data;
  const problems = new Checker(definition, options).check();
  return problems.length === 0 ? { valid: true, definition, problems: [] } : { valid: false, problems };
}

class Checker {
  readonly #problems: WorkflowProblem[] = [];
  readonly #graph: WorkflowGraph;
  readonly #nodes = new Map<string, WorkflowNode>();
  #acyclic = true;

  constructor(
    private readonly definition: WorkflowDefinition,
    private readonly options: ValidationOptions,
  ) {
    this.#graph = new WorkflowGraph(definition);
  }

  check(): WorkflowProblem[] {
    this.#checkNodeIds();
    this.#checkEdges();
    this.#checkShape();
    this.definition.nodes.forEach((node, at) => this.#checkNode(node, `nodes[${at}]`));
    this.definition.edges.forEach((edge, at) => {
      if (edge.when !== undefined && this.#nodes.has(edge.from) && this.#nodes.has(edge.to)) {
        this.#checkExpression(edge.when, `edges[${at}].when`, [edge.from, edge.to], ['input', 'nodes'], new Set([edge.from, ...this.#graph.ancestors(edge.from)]));
      }
    });
    return this.#problems;
  }

  #report(nodeIds: string[], path: string, message: string): void {
    this.#problems.push({ nodeIds, path, message });
  }

  #checkNodeIds(): void {
    this.definition.nodes.forEach((node, at) => {
      if (this.#nodes.has(node.id)) this.#report([node.id], `nodes[${at}].id`, `node id ${node.id} is used by more than one node`);
      else this.#nodes.set(node.id, node);
    });
  }

  #checkEdges(): void {
    const seen = new Set<string>();
    this.definition.edges.forEach((edge, at) => {
      const path = `edges[${at}]`;
      const missing = [edge.from, edge.to].filter((id) => !this.#nodes.has(id));
      const known = [edge.from, edge.to].filter((id) => this.#nodes.has(id));
      if (missing.length > 0) this.#report(known, path, `dangling edge ${edge.from} → ${edge.to}: no node ${missing.join(' or ')}`);
      else if (edge.from === edge.to) this.#report([edge.from], path, `edge from ${edge.from} to itself`);
      else if (seen.has(`${edge.from}\n${edge.to}`)) this.#report([edge.from, edge.to], path, `edge ${edge.from} → ${edge.to} is drawn twice`);
      seen.add(`${edge.from}\n${edge.to}`);
    });
  }

  #checkShape(): void {
    for (const cycle of this.#graph.cycles()) {
      this.#acyclic = false;
      this.#report(cycle, 'edges', `cycle: ${[...cycle, cycle[0]].join(' → ')}`);
    }
    const reached = this.#graph.reachableFrom(this.#graph.entries());
    const unreached = this.#graph.ids.filter((id) => !reached.has(id));
    if (unreached.length > 0) this.#report(unreached, 'nodes', `unreachable: no node without incoming edges leads to ${unreached.join(', ')}`);
  }

  #checkNode(node: WorkflowNode, path: string): void {
    const upstream = this.#graph.ancestors(node.id);
    if (node.kind === 'task' || node.kind === 'map' || node.kind === 'reduce') {
      if (this.options.queueExists && !this.options.queueExists(node.queue)) this.#report([node.id], `${path}.queue`, `unknown queue ${node.queue}`);
      else if (this.options.taskTypeExists && !this.options.taskTypeExists(node.queue, node.type)) {
        this.#report([node.id], `${path}.type`, `unknown task type ${node.type} on queue ${node.queue}`);
      }
    }
    if (node.kind === 'map') this.#checkExpression(node.over, `${path}.over`, [node.id], ['input', 'nodes'], upstream);
    if (node.kind === 'reduce' && !this.#graph.parents(node.id).some((parent) => this.#nodes.get(parent)?.kind === 'map')) {
      this.#report([node.id], path, `reduce node ${node.id} needs a map node as a direct parent`);
    }
    if (node.kind === 'workflow') {
      if (node.workflow === this.definition.name) this.#report([node.id], `${path}.workflow`, `node ${node.id} runs workflow ${node.workflow} inside itself`);
      else if (this.options.workflowExists && !this.options.workflowExists(node.workflow, node.version)) {
        this.#report([node.id], `${path}.workflow`, `unknown workflow ${node.workflow}${node.version === undefined ? '' : ` version ${node.version}`}`);
      }
    }
    if (node.kind !== 'branch') {
      const names = node.kind === 'map' ? ['input', 'nodes', 'item', 'index'] : ['input', 'nodes'];
      for (const expression of templateExpressions(node.input, `${path}.input`)) {
        this.#checkExpression(expression.source, expression.path, [node.id], names, upstream);
      }
    }
  }

  /** Parses `source` and checks its names and node reads; `readable` is the set of nodes it may read. */
  #checkExpression(source: string, path: string, nodeIds: string[], names: string[], readable: Set<string>): void {
    let references;
    try {
      references = expressionReferences(parseExpression(source));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.#report(nodeIds, path, `bad expression ${JSON.stringify(source.slice(0, 80))}: ${error.message}`);
      return;
    }
    const unknown = [...references.names].filter((name) => !names.includes(name));
    if (unknown.length > 0) this.#report(nodeIds, path, `unknown name ${unknown.join(', ')} in ${JSON.stringify(source.slice(0, 80))}; known here: ${names.join(', ')}`);
    if (references.dynamicNodeAccess) this.#report(nodeIds, path, `nodes must be followed by a node id (nodes.<id>) in ${JSON.stringify(source.slice(0, 80))}`);
    if (!this.#acyclic) return;
    for (const read of references.nodes) {
      if (!this.#nodes.has(read)) this.#report(nodeIds, path, `reads nodes.${read}, but there is no node ${read}`);
      else if (!readable.has(read)) this.#report([...nodeIds, read], path, `reads nodes.${read}, which is not upstream of ${nodeIds.at(-1)}`);
    }
  }
}

/** A zod issue as a problem, naming the node when the path points into one. */
function schemaProblem(issue: z.core.$ZodIssue, input: unknown): WorkflowProblem {
  const path = schemaIssuePath(issue.path);
  const nodeIds: string[] = [];
  if (issue.path[0] === 'nodes' && typeof issue.path[1] === 'number') {
    const nodes = (input as { nodes?: unknown[] } | null)?.nodes;
    const id = (nodes?.[issue.path[1]] as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') nodeIds.push(id);
  }
  return { nodeIds, path: path || '(definition)', message: `${path || 'definition'}: ${issue.message}` };
}
