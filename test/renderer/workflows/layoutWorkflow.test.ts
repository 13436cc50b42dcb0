/** Auto-layout of workflow graphs (renderer/src/workflows/graph/layoutWorkflow.ts). */
import { describe, expect, it } from 'vitest';
import { layoutWorkflow } from '../../../renderer/src/workflows/graph/layoutWorkflow.js';

const box = (id: string) => ({ id, width: 180, height: 60 });

describe('workflow layout', () => {
  it('places every node after its parents, left to right, without overlaps', () => {
    const nodes = ['fetch', 'left', 'right', 'merge'].map(box);
    const edges = [
      { from: 'fetch', to: 'left' },
      { from: 'fetch', to: 'right' },
      { from: 'left', to: 'merge' },
      { from: 'right', to: 'merge' },
    ];
    const positions = layoutWorkflow(nodes, edges);
    const at = (id: string) => positions.get(id)!;
    for (const edge of edges) expect(at(edge.to).x).toBeGreaterThan(at(edge.from).x + 180);
    expect(Math.abs(at('left').y - at('right').y)).toBeGreaterThanOrEqual(60);
  });

  it('ignores edges to nodes it does not know (a definition being edited) and lays out 500 nodes', () => {
    const nodes = Array.from({ length: 500 }, (_, index) => box(`n${index}`));
    const edges = nodes.slice(1).map((node, index) => ({ from: `n${Math.floor(index / 3)}`, to: node.id }));
    const positions = layoutWorkflow(nodes, [...edges, { from: 'n1', to: 'missing' }]);
    expect(positions.size).toBe(500);
    for (const position of positions.values()) expect(Number.isFinite(position.x) && Number.isFinite(position.y)).toBe(true);
  });
});
