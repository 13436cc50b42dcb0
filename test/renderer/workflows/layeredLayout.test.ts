/** The fast layered layout for large workflows (renderer/src/workflows/graph/layeredLayout.ts). */
import { describe, expect, it } from 'vitest';
import { layeredLayout } from '../../../renderer/src/workflows/graph/layeredLayout.js';

const box = (id: string) => ({ id, width: 200, height: 80 });

/** How many pairs of edges between two adjacent columns cross, given each node's y. */
function crossings(edges: Array<{ from: string; to: string }>, y: (id: string) => number): number {
  let count = 0;
  for (const [at, a] of edges.entries()) {
    for (const b of edges.slice(at + 1)) if ((y(a.from) - y(b.from)) * (y(a.to) - y(b.to)) < 0) count++;
  }
  return count;
}

describe('layered layout', () => {
  it('puts every node right of its parents, by longest path, without overlaps in a column', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map(box);
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
      { from: 'a', to: 'd' },
      { from: 'c', to: 'e' },
      { from: 'd', to: 'e' },
    ];
    const positions = layeredLayout(nodes, edges);
    const at = (id: string) => positions.get(id)!;
    for (const edge of edges) expect(at(edge.to).x).toBeGreaterThanOrEqual(at(edge.from).x + 200);
    // c is two steps from a (through b), so it is in the third column, not the second.
    expect(at('c').x).toBe(at('b').x + 264);
    expect(at('d').x).toBe(at('b').x);
    expect(Math.abs(at('b').y - at('d').y)).toBeGreaterThanOrEqual(80 + 24);
  });

  it('orders a column after its parents, so parallel chains do not cross', () => {
    // Two chains whose second column is listed the other way round.
    const nodes = ['top', 'bottom', 'bottom2', 'top2', 'top3', 'bottom3'].map(box);
    const edges = [
      { from: 'top', to: 'top2' },
      { from: 'bottom', to: 'bottom2' },
      { from: 'top2', to: 'top3' },
      { from: 'bottom2', to: 'bottom3' },
    ];
    const positions = layeredLayout(nodes, edges, { sweeps: 1 });
    expect(crossings(edges, (id) => positions.get(id)!.y)).toBe(0);
    expect(layeredLayout(nodes, edges, { sweeps: 0 }).get('bottom2')!.y).toBeLessThan(layeredLayout(nodes, edges, { sweeps: 0 }).get('top2')!.y);
  });

  it('ignores unknown ends and self-edges, puts a cycle after the rest, and places 500 nodes', () => {
    const cyclic = layeredLayout(['a', 'b', 'c'].map(box), [
      { from: 'a', to: 'a' },
      { from: 'a', to: 'missing' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'b' },
    ]);
    expect(cyclic.get('a')!.x).toBe(0);
    expect(cyclic.get('b')!.x).toBeGreaterThan(0);
    expect(cyclic.get('c')!.x).toBe(cyclic.get('b')!.x);

    const nodes = Array.from({ length: 500 }, (_, index) => box(`n${index}`));
    const edges = nodes.slice(20).map((node, index) => ({ from: `n${index}`, to: node.id }));
    const positions = layeredLayout(nodes, edges);
    expect(positions.size).toBe(500);
    const seen = new Set([...positions.values()].map((position) => `${position.x},${position.y}`));
    expect(seen.size).toBe(500);
  });
});
