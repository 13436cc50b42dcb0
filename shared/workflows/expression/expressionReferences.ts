/**
 * What an expression reads: the root names it uses (`input`, `nodes`, `item`, …) and the node ids
 * it reaches through `nodes.<id>` or `nodes['<id>']`. The validator uses this to refuse unknown
 * names and reads of nodes that are not upstream.
 */
import type { ExpressionNode } from './ExpressionNode.js';

export interface ExpressionReferences {
  names: Set<string>;
  nodes: Set<string>;
  /** True when `nodes` is used other than directly followed by a literal node id (e.g. `nodes[x]`). */
  dynamicNodeAccess: boolean;
}

export function expressionReferences(tree: ExpressionNode): ExpressionReferences {
  const references: ExpressionReferences = { names: new Set(), nodes: new Set(), dynamicNodeAccess: false };
  const visit = (node: ExpressionNode): void => {
    switch (node.kind) {
      case 'literal':
        return;
      case 'name':
        references.names.add(node.name);
        if (node.name === 'nodes') references.dynamicNodeAccess = true;
        return;
      case 'member':
        if (node.object.kind === 'name' && node.object.name === 'nodes') {
          references.names.add('nodes');
          references.nodes.add(node.property);
          return;
        }
        return visit(node.object);
      case 'index':
        if (node.object.kind === 'name' && node.object.name === 'nodes' && node.index.kind === 'literal' && typeof node.index.value === 'string') {
          references.names.add('nodes');
          references.nodes.add(node.index.value);
          return;
        }
        visit(node.object);
        return visit(node.index);
      case 'unary':
        return visit(node.operand);
      case 'binary':
        visit(node.left);
        return visit(node.right);
      case 'conditional':
        visit(node.test);
        visit(node.consequent);
        return visit(node.alternate);
      case 'call':
        return node.arguments.forEach(visit);
      case 'array':
        return node.elements.forEach(visit);
    }
  };
  visit(tree);
  return references;
}
