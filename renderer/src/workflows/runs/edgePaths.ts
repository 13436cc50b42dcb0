/**
 * The run graph's edges as SVG path data, for the one static edge layer (RunEdges.tsx): nodes
 * never move in the run view, so each edge's curve is computed once (again only when an edge's
 * decision changes) instead of by React Flow on every pan and zoom frame for every edge. The curve
 * is React Flow's default bezier from the source's right side to the target's left side, so it
 * looks the same; a conditional edge keeps its condition as a label at the curve's middle.
 */
import type { EdgeDecision, RunFlowEdge } from './runGraph.js';

export interface EdgePath {
  id: string;
  decision: EdgeDecision;
  /** SVG path data in flow coordinates. */
  d: string;
  label?: { text: string; x: number; y: number };
}

interface Box {
  position: { x: number; y: number };
  width?: number;
  height?: number;
}

/** React Flow's control-point offset for a bezier whose ends are `distance` apart horizontally. */
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance);
}

const round = (value: number) => Math.round(value * 10) / 10;

export function edgePaths(nodes: readonly (Box & { id: string })[], edges: readonly RunFlowEdge[]): EdgePath[] {
  const boxes = new Map(nodes.map((node) => [node.id, node]));
  const paths: EdgePath[] = [];
  for (const edge of edges) {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) continue;
    const sx = source.position.x + (source.width ?? 0);
    const sy = source.position.y + (source.height ?? 0) / 2;
    const tx = target.position.x;
    const ty = target.position.y + (target.height ?? 0) / 2;
    const offset = controlOffset(tx - sx);
    const d = `M${round(sx)},${round(sy)} C${round(sx + offset)},${round(sy)} ${round(tx - offset)},${round(ty)} ${round(tx)},${round(ty)}`;
    const path: EdgePath = { id: edge.id, decision: edge.data?.decision ?? 'undecided', d };
    // The cubic's point at t = 0.5: its controls share the ends' heights, so x and y average.
    if (typeof edge.label === 'string' && edge.label !== '') path.label = { text: edge.label, x: round((sx + tx) / 2), y: round((sy + ty) / 2) };
    paths.push(path);
  }
  return paths;
}
