/**
 * `npm run bench -- queue`: Switchyard's Redis engine against BullMQ and graphile-worker, measured
 * in one run against the same Redis and PostgreSQL. Scenarios (docs/benchmarks.md):
 * a. bulk enqueue, b. processing, c. enqueue-to-start latency, d. processing with history,
 * e. peak RSS of the worker process. Prints a table and writes bench/results/queue.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../agent/connections/embeddedPostgres.js';
import { machineInfo } from './machineInfo.js';
import { parseOptions, processingDeadlineMs, type QueueBenchOptions } from './options.js';
import { settingLabel, type QueueSystem, type Stores, type SystemName, type WorkerSetting } from './QueueSystem.js';
import { sample, type Sample } from './sample.js';
import { measureHistory, type HistoryMeasurement } from './scenarios/history.js';
import { measureLatency, type LatencyMeasurement } from './scenarios/latency.js';
import { measureEnqueueAndProcess } from './scenarios/processAll.js';
import { processingRates, summarise } from './summarise.js';
import { createSystem } from './systems.js';
import { acquireRunLock, type RunLock } from './runLock.js';
import { renderTable } from './table.js';

export type ProcessingSample = Sample<Awaited<ReturnType<typeof measureEnqueueAndProcess>>>;

/** Everything one system produced, every repetition kept. */
export interface SystemReport {
  /** Per worker setting (by its label, e.g. `300` or `10/500`): a+b+e samples, one per run. */
  processing: Record<string, ProcessingSample[]>;
  /** The label of the setting with the best median processing rate, reused by d and e. */
  bestSetting: string | null;
  latency: Sample<LatencyMeasurement>[];
  history: Sample<HistoryMeasurement>[];
  setupError?: string;
}

const stores: Stores = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  postgresAdminUrl: process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

function bestSetting(report: SystemReport): string | null {
  let best: [string, number] | null = null;
  for (const [label, rate] of processingRates(report)) if (best === null || rate > best[1]) best = [label, rate];
  return best?.[0] ?? null;
}

async function runAll(options: QueueBenchOptions, systems: Map<SystemName, QueueSystem>, reports: Record<string, SystemReport>): Promise<void> {
  const deadlineMs = processingDeadlineMs(options.tasks, options);
  // Systems take turns inside each repetition, so background noise spreads over all of them.
  for (let run = 1; run <= options.runs; run += 1) {
    for (const [name, system] of systems) {
      const report = reports[name] as SystemReport;
      for (const setting of options.settings[name]) {
        const label = settingLabel(setting);
        console.error(`run ${run}/${options.runs} ${name}: enqueue + process ${options.tasks} tasks, worker setting ${label}`);
        (report.processing[label] ??= []).push(
          await sample(`${name} processing`, () =>
            measureEnqueueAndProcess(system, name, stores, { tasks: options.tasks, chunk: options.chunk, setting, deadlineMs }),
          ),
        );
      }
    }
  }
  const chosen = new Map<SystemName, WorkerSetting>();
  for (const [name] of systems) {
    const report = reports[name] as SystemReport;
    report.bestSetting = bestSetting(report);
    const tried = options.settings[name];
    chosen.set(name, tried.find((setting) => settingLabel(setting) === report.bestSetting) ?? (tried[0] as WorkerSetting));
  }
  for (let run = 1; run <= options.runs; run += 1) {
    for (const [name, system] of systems) {
      const report = reports[name] as SystemReport;
      // Latency runs the first setting listed (the plain one: batching is a throughput tuning
      // that can cost latency); processing with history reuses the best.
      const setting = chosen.get(name) as WorkerSetting;
      const plain = options.settings[name][0] as WorkerSetting;
      console.error(`run ${run}/${options.runs} ${name}: latency at ${options.latencyRate}/s for ${options.latencySeconds} s`);
      report.latency.push(
        await sample(`${name} latency`, () =>
          measureLatency(system, name, stores, { rate: options.latencyRate, seconds: options.latencySeconds, setting: plain }),
        ),
      );
      console.error(`run ${run}/${options.runs} ${name}: ${options.historyTasks} 1 KB tasks with history`);
      report.history.push(
        await sample(`${name} history`, () =>
          measureHistory(system, name, stores, {
            tasks: options.historyTasks,
            chunk: options.chunk,
            setting,
            deadlineMs: processingDeadlineMs(options.historyTasks, options),
          }),
        ),
      );
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  let options: QueueBenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  let lock: RunLock;
  try {
    lock = await acquireRunLock(stores.redisUrl);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  try {
    return await measure(options);
  } finally {
    await lock.release();
  }
}

/**
 * The embedded PGlite of `switchyard-pglite`, served from this process for the whole run (in a
 * scratch folder, removed at the end), as the embedded agent serves it from its own process.
 */
async function withEmbeddedPostgres<T>(options: QueueBenchOptions, work: () => Promise<T>): Promise<T> {
  if (!options.systems.includes('switchyard-pglite')) return work();
  const folder = await mkdtemp(path.join(tmpdir(), 'sybench-pglite-'));
  const embedded = await startEmbeddedPostgres({ dataDirectory: folder });
  stores.pgliteUrl = embedded.url;
  try {
    return await work();
  } finally {
    delete stores.pgliteUrl;
    await embedded.close();
    await rm(folder, { recursive: true, force: true });
  }
}

async function measure(options: QueueBenchOptions): Promise<number> {
  return withEmbeddedPostgres(options, () => measureAll(options));
}

async function measureAll(options: QueueBenchOptions): Promise<number> {
  const machine = await machineInfo(stores);
  console.error(`queue bench: ${machine.cpus} cpus, node ${machine.node}, redis ${machine.redis}, postgres ${machine.postgres}`);
  const reports: Record<string, SystemReport> = {};
  const systems = new Map<SystemName, QueueSystem>();
  for (const name of options.systems) {
    reports[name] = { processing: {}, bestSetting: null, latency: [], history: [] };
    try {
      systems.set(name, await createSystem(name, stores));
    } catch (error) {
      (reports[name] as SystemReport).setupError = error instanceof Error ? error.message : String(error);
      console.error(`${name}: could not be set up: ${(reports[name] as SystemReport).setupError}`);
    }
  }
  try {
    await runAll(options, systems, reports);
  } finally {
    for (const [name, system] of systems) {
      await sample(`${name} cleanup`, async () => {
        await system.cleanup();
        await system.close();
      });
    }
  }
  const rows = summarise(options, reports);
  console.log(renderTable(rows));
  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify({ machine, settings: options, summary: rows, systems: reports }, null, 2)}\n`);
  console.error(`wrote ${options.out}`);
  return 0;
}
