/**
 * The side-by-side table: one row per measurement (medians over the repeated runs), one column per
 * system, and the ratios Switchyard/BullMQ and Switchyard/graphile-worker.
 */
import type { SystemName } from './QueueSystem.js';

/** A cell: a number, or why there is none. */
export type Cell = number | 'timeout' | 'error' | 'n/a';

export interface Row {
  label: string;
  unit: string;
  /** Whether a larger number is better (throughput) or a smaller one (latency, memory). */
  better: 'higher' | 'lower';
  decimals: number;
  cells: Partial<Record<SystemName, Cell>>;
  /** Per-system detail shown under the row, e.g. the concurrency that was best. */
  notes?: Partial<Record<SystemName, string>>;
}

const columns: SystemName[] = ['switchyard', 'bullmq', 'graphile-worker', 'switchyard-postgres', 'switchyard-pglite'];

/** The ratio columns: ours ÷ peer. The Postgres engine is compared with graphile-worker on the same server. */
const ratios: Array<{ label: string; ours: SystemName; peer: SystemName }> = [
  { label: 'SY/BullMQ', ours: 'switchyard', peer: 'bullmq' },
  { label: 'SY/graphile', ours: 'switchyard', peer: 'graphile-worker' },
  { label: 'SY-PG/graphile', ours: 'switchyard-postgres', peer: 'graphile-worker' },
];

function formatCell(cell: Cell | undefined, decimals: number): string {
  if (cell === undefined) return '—';
  if (typeof cell !== 'number') return cell;
  if (!Number.isFinite(cell)) return 'n/a';
  return cell.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Switchyard divided by the peer, when both are numbers. */
export function ratio(row: Row, peer: SystemName, of: SystemName = 'switchyard'): string {
  const ours = row.cells[of];
  const theirs = row.cells[peer];
  if (typeof ours !== 'number' || typeof theirs !== 'number' || !Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return '—';
  const value = ours / theirs;
  return `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}×`;
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['measurement', ...columns, ...ratios.map((column) => column.label)];
  const lines: string[][] = [header];
  for (const row of rows) {
    const arrow = row.better === 'higher' ? '↑' : '↓';
    lines.push([
      `${row.label} (${row.unit}) ${arrow}`,
      ...columns.map((system) => formatCell(row.cells[system], row.decimals)),
      ...ratios.map((column) => ratio(row, column.peer, column.ours)),
    ]);
    if (row.notes !== undefined) {
      lines.push(['', ...columns.map((system) => row.notes?.[system] ?? ''), ...ratios.map(() => '')]);
    }
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  const render = (line: string[]): string =>
    line.map((text, column) => (column === 0 ? text.padEnd(widths[column] ?? 0) : text.padStart(widths[column] ?? 0))).join('  ');
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [render(header), rule, ...lines.slice(1).map(render), rule,
    '↑ higher is better, ↓ lower is better; ratios are Switchyard ÷ peer; cells are medians of the runs.',
    'Under b: every worker setting tried (concurrency[/batch]) with its median rate; * = the one reported and reused by d, e.'].join('\n');
}
