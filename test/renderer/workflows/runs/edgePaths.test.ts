/** The run graph's static edge curves (renderer/src/workflows/runs/edgePaths.ts). */
import { describe, expect, it } from 'vitest';
import { edgePaths } from '../../../../renderer/src/workflows/runs/edgePaths.js';
import type { RunFlowEdge } from '../../../../renderer/src/workflows/runs/runGraph.js';

const node = (id: string, x: number, y: number) => ({ id, position: { x, y }, width: 200, height: 80 });
const edge = (source: string, target: string, decision: 'taken' | 'skipped' | 'undecided' = 'undecided', label?: string): RunFlowEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  data: { decision },
  label,
});

describe('edge paths', () => {
  it('curves from the right middle of the source to the left middle of the target, as React Flow draws it', () => {
    const [path] = edgePaths([node('a', 0, 0), node('b', 400, 100)], [edge('a', 'b', 'taken')]);
    // Ends (200, 40) and (400, 140); controls half the horizontal distance in from each end.
    expect(path).toEqual({ id: 'a->b', decision: 'taken', d: 'M200,40 C300,40 300,140 400,140' });
  });

  it('bends round when the target is left of the source, and labels a conditional edge at its middle', () => {
    const [path] = edgePaths([node('a', 500, 0), node('b', 0, 0)], [edge('a', 'b', 'skipped', 'input.go')]);
    // Distance -700: offset 0.25 × 25 × √700.
    const offset = Math.round(6.25 * Math.sqrt(700) * 10) / 10;
    expect(path!.d).toBe(`M700,40 C${700 + offset},40 ${0 - offset},40 0,40`);
    expect(path!.label).toEqual({ text: 'input.go', x: 350, y: 40 });
    expect(path!.decision).toBe('skipped');
  });

  it('leaves out edges whose ends are not nodes of the graph', () => {
    expect(edgePaths([node('a', 0, 0)], [edge('a', 'missing')])).toEqual([]);
  });
});
