/** The run's timeline rows (renderer/src/workflows/runs/ganttRows.ts). */
import { describe, expect, it } from 'vitest';
import { ganttRows } from '../../../../renderer/src/workflows/runs/ganttRows.js';
import type { RunNodeStatus } from '../../../../renderer/src/workflows/runs/runFrameDiff.js';

const status = (id: string, fields: Partial<RunNodeStatus> = {}): RunNodeStatus => ({ id, state: 'waiting', starts: 0, items: null, startedAt: null, finishedAt: null, ...fields });

describe('Gantt rows', () => {
  it('has one row per started node in start order, spanning the first start to the last end', () => {
    const chart = ganttRows(
      [
        status('late', { state: 'succeeded', starts: 1, startedAt: 1_500, finishedAt: 2_000 }),
        status('never'),
        status('first', { state: 'succeeded', starts: 1, startedAt: 1_000, finishedAt: 1_500 }),
      ],
      'succeeded',
      9_999,
    );
    expect(chart.rows.map((row) => row.id)).toEqual(['first', 'late']);
    expect([chart.start, chart.end]).toEqual([1_000, 2_000]);
    expect(chart.rows.map((row) => [row.left, row.width])).toEqual([
      [0, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('grows a running bar to now and keeps a stopped node without a finish time at its start', () => {
    const nodes = [
      status('done', { state: 'succeeded', starts: 1, startedAt: 0, finishedAt: 1_000 }),
      status('busy', { state: 'running', starts: 1, startedAt: 500 }),
      status('stopped', { state: 'cancelled', starts: 1, startedAt: 800 }),
    ];
    const early = ganttRows(nodes, 'running', 2_000);
    const later = ganttRows(nodes, 'running', 4_000);
    const busy = (chart: typeof early) => chart.rows.find((row) => row.id === 'busy')!;
    expect(busy(early)).toMatchObject({ end: 2_000, running: true, display: 'running' });
    expect(busy(later).end).toBe(4_000);
    expect(later.end).toBe(4_000);
    expect(busy(later).width).toBeGreaterThan(busy(early).width);
    expect(early.rows.find((row) => row.id === 'stopped')).toMatchObject({ start: 800, end: 800, running: false });
  });

  it('is empty before anything started', () => {
    expect(ganttRows([status('a')], 'paused', 5)).toEqual({ rows: [], start: 5, end: 5 });
  });
});
