/**
 * The graph of a definition's nodes and edges, with the walks the validator, the engine and the
 * builder's layout need: parents, children, cycles, reachability, ancestors and a topological order.
 * Edges whose ends are not nodes are left out (the validator reports them as dangling).
 */
import type { WorkflowDefinition } from './workflowDefinition.js';

export class WorkflowGraph {
  readonly ids: readonly string[];
  readonly #parents = new Map<string, string[]>();
  readonly #children = new Map<string, string[]>();

  constructor(definition: Pick<WorkflowDefinition, 'nodes' | 'edges'>) {
    this.ids = [...new Set(definition.nodes.map((node) => node.id))];
    for (const id of this.ids) {
      this.#parents.set(id, []);
      this.#children.set(id, []);
    }
    for (const edge of definition.edges) {
      const from = this.#children.get(edge.from);
      const to = this.#parents.get(edge.to);
      if (!from || !to || edge.from === edge.to || from.includes(edge.to)) continue;
      from.push(edge.to);
      to.push(edge.from);
    }
  }

  parents(id: string): readonly string[] {
    return this.#parents.get(id) ?? [];
  }

  children(id: string): readonly string[] {
    return this.#children.get(id) ?? [];
  }

  /** Nodes without incoming edges: where a run starts. */
  entries(): string[] {
    return this.ids.filter((id) => this.parents(id).length === 0);
  }

  /** Every group of nodes that lie on a cycle together (Tarjan's strongly connected components, iteratively). */
  cycles(): string[][] {
    const index = new Map<string, number>();
    const lowest = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const groups: string[][] = [];
    let counter = 0;
    for (const root of this.ids) {
      if (index.has(root)) continue;
      const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
      index.set(root, counter);
      lowest.set(root, counter++);
      stack.push(root);
      onStack.add(root);
      while (work.length > 0) {
        const frame = work[work.length - 1]!;
        const children = this.children(frame.id);
        if (frame.next < children.length) {
          const child = children[frame.next++]!;
          if (!index.has(child)) {
            index.set(child, counter);
            lowest.set(child, counter++);
            stack.push(child);
            onStack.add(child);
            work.push({ id: child, next: 0 });
          } else if (onStack.has(child)) {
            lowest.set(frame.id, Math.min(lowest.get(frame.id)!, index.get(child)!));
          }
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent) lowest.set(parent.id, Math.min(lowest.get(parent.id)!, lowest.get(frame.id)!));
        if (lowest.get(frame.id) !== index.get(frame.id)) continue;
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.id);
        if (group.length > 1) groups.push(group.reverse());
      }
    }
    return groups;
  }

  /** Nodes reachable from `starts` along edges, the starts included. */
  reachableFrom(starts: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const queue = [...starts];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...this.children(id));
    }
    return seen;
  }

  /** Every node upstream of `id` (not `id` itself). */
  ancestors(id: string): Set<string> {
    const seen = new Set<string>();
    const queue = [...this.parents(id)];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.parents(next));
    }
    return seen;
  }

  /** Nodes in an order where every node comes after its parents (Kahn); nodes on cycles are left out. */
  topologicalOrder(): string[] {
    const waiting = new Map(this.ids.map((id) => [id, this.parents(id).length]));
    const ready = this.ids.filter((id) => waiting.get(id) === 0);
    for (let at = 0; at < ready.length; at += 1) {
      const id = ready[at]!;
      for (const child of this.children(id)) {
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0) ready.push(child);
      }
    }
    return ready;
  }
}
