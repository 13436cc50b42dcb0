/** Turns every system's samples into the table's rows: medians over the repeated runs. */
import type { QueueBenchOptions } from './options.js';
import { settingLabel, type SystemName, type WorkerSetting } from './QueueSystem.js';
import type { SystemReport } from './queueBench.js';
import { failureOf, values, type Sample } from './sample.js';
import { median } from './stats.js';
import type { Cell, Row } from './table.js';

/** The median processing rate of each setting tried. */
export function processingRates(report: SystemReport): Map<string, number> {
  const rates = new Map<string, number>();
  for (const [label, samples] of Object.entries(report.processing)) {
    const measured = samples.flatMap((one) => (one.ok ? [one.value.process.perSecond] : []));
    if (measured.length > 0) rates.set(label, median(measured));
  }
  return rates;
}

function cell<T>(samples: readonly Sample<T>[] | undefined, pick: (value: T) => number): Cell {
  if (samples === undefined) return 'n/a';
  const measured = values(samples);
  return measured.length > 0 ? median(measured.map(pick)) : failureOf(samples);
}

function row(
  label: string,
  unit: string,
  better: Row['better'],
  decimals: number,
  reports: Record<string, SystemReport>,
  compute: (report: SystemReport) => Cell,
): Row {
  const cells: Row['cells'] = {};
  for (const [name, report] of Object.entries(reports)) {
    cells[name as SystemName] = report.setupError === undefined ? compute(report) : 'error';
  }
  return { label, unit, better, decimals, cells };
}

export function summarise(options: QueueBenchOptions, reports: Record<string, SystemReport>): Row[] {
  // The best setting's samples; when no setting succeeded, all of them (to show why).
  const best = (report: SystemReport) =>
    report.bestSetting === null ? Object.values(report.processing).flat() : report.processing[report.bestSetting];
  const allSettings = (report: SystemReport) => Object.values(report.processing).flat();
  const n = options.tasks.toLocaleString('en-US');
  const processing = row(`b. process ${n} no-op`, 'tasks/s', 'higher', 0, reports, (r) => cell(best(r), (v) => v.process.perSecond));
  processing.notes = {};
  for (const [name, report] of Object.entries(reports)) {
    // Every setting tried with its median rate in thousands; the reported (best) one starred.
    const tried = [...processingRates(report)].map(([label, rate]) => `${label}${label === report.bestSetting ? '*' : ''}:${(rate / 1000).toFixed(1)}k`);
    if (tried.length > 0) processing.notes[name as SystemName] = tried.join(' ');
  }
  const latencyP50 = row(`c. latency p50 @${options.latencyRate}/s`, 'ms', 'lower', 2, reports, (r) => cell(r.latency, (v) => v.p50Ms));
  latencyP50.notes = {};
  for (const name of options.systems) latencyP50.notes[name] = `setting ${settingLabel(options.settings[name][0] as WorkerSetting)}`;
  const historyLabel = `d. process ${options.historyTasks.toLocaleString('en-US')} × 1 KB, history`;
  return [
    row(`a. bulk enqueue ${n}`, 'tasks/s', 'higher', 0, reports, (r) => cell(allSettings(r), (v) => v.enqueue.perSecond)),
    processing,
    latencyP50,
    row(`c. latency p99 @${options.latencyRate}/s`, 'ms', 'lower', 2, reports, (r) => cell(r.latency, (v) => v.p99Ms)),
    row(`c. latency max @${options.latencyRate}/s`, 'ms', 'lower', 2, reports, (r) => cell(r.latency, (v) => v.maxMs)),
    row(`c. enqueue rate achieved`, 'tasks/s', 'higher', 0, reports, (r) => cell(r.latency, (v) => v.achievedRate)),
    row(`${historyLabel}, acked`, 'tasks/s', 'higher', 0, reports, (r) => cell(r.history, (v) => v.perSecond)),
    row(`${historyLabel}, recorded`, 'tasks/s', 'higher', 0, reports, (r) => cell(r.history, (v) => v.recordedPerSecond)),
    row('d. worker peak RSS, history', 'MB', 'lower', 0, reports, (r) => cell(r.history, (v) => v.child.maxRssKb / 1024)),
    row(`e. worker peak RSS, ${n} queued`, 'MB', 'lower', 0, reports, (r) => cell(best(r), (v) => v.process.child.maxRssKb / 1024)),
    row('e. worker RSS before start', 'MB', 'lower', 0, reports, (r) => cell(best(r), (v) => v.process.child.idleRssKb / 1024)),
    row('e. worker RSS growth (peak − before)', 'MB', 'lower', 0, reports, (r) =>
      cell(best(r), (v) => (v.process.child.maxRssKb - v.process.child.idleRssKb) / 1024),
    ),
  ];
}
