/**
 * The run's timeline (Gantt): one row per node that has started, from `startedAt` to
 * `finishedAt`, a running node's bar reaching `now`; rows in start order, and the time span the
 * chart covers, so a bar's left and width are fractions of it.
 */
import { displayState, type DisplayState, type RunState } from './nodeDisplay.js';
import type { RunNodeStatus } from './runFrameDiff.js';

export interface GanttRow {
  id: string;
  display: DisplayState;
  start: number;
  end: number;
  /** Still running: its end is `now` and grows. */
  running: boolean;
  /** Where the bar starts and how wide it is, as fractions of the chart's span (0–1). */
  left: number;
  width: number;
}

export interface GanttChart {
  rows: GanttRow[];
  start: number;
  end: number;
}

export function ganttRows(nodes: readonly RunNodeStatus[], runState: RunState, now: number): GanttChart {
  const started = nodes.filter((node) => node.startedAt !== null);
  const spans = started.map((node) => {
    const running = node.state === 'running' && node.finishedAt === null;
    const start = node.startedAt!;
    // A node stopped without a finish time (cancelled with the run) ends where it started.
    const end = node.finishedAt ?? (running ? Math.max(now, start) : start);
    return { node, start, end, running };
  });
  spans.sort((a, b) => a.start - b.start || a.node.id.localeCompare(b.node.id));
  if (spans.length === 0) return { rows: [], start: now, end: now };
  const start = Math.min(...spans.map((span) => span.start));
  const end = Math.max(...spans.map((span) => span.end));
  const width = Math.max(end - start, 1);
  return {
    start,
    end,
    rows: spans.map((span) => ({
      id: span.node.id,
      display: displayState(span.node.state, runState),
      start: span.start,
      end: span.end,
      running: span.running,
      left: (span.start - start) / width,
      width: (span.end - span.start) / width,
    })),
  };
}
