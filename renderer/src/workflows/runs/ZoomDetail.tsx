/**
 * Level of detail for a large graph: below `briefZoom` the node cards' text is too small to read,
 * so the graph is marked `data-detail="brief"` and runs.css shows each card as a coloured box only
 * (its state colour), which is far cheaper to paint while zooming a 500-node run. Rendered inside
 * React Flow; it re-renders only when the zoom crosses the threshold.
 */
import { useStore } from '@xyflow/react';
import { useEffect } from 'react';

/** The zoom below which cards show no text. */
export const briefZoom = 0.45;

export function ZoomDetail({ graph }: { graph: React.RefObject<HTMLDivElement | null> }) {
  const brief = useStore((state) => state.transform[2] < briefZoom);
  useEffect(() => {
    graph.current?.setAttribute('data-detail', brief ? 'brief' : 'full');
  }, [brief, graph]);
  return null;
}
