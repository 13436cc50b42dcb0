/**
 * `npm run bench -- workflow`: the workflow engine beside BullMQ's flows, in one run on this
 * machine. Two measurements, each the median of `--runs`:
 *   fan-out  — `--items` no-op tasks started from one node and one task after them all (Switchyard:
 *              a map node, at most 1,000 items at a time, and a reduce node; BullMQ: a parent job
 *              with that many children): items per second from start to the last task's end;
 *   chain    — `--steps` no-op tasks, each after the one before: milliseconds per step from start
 *              to the last step's end (the per-step overhead of moving a run on).
 * Both systems run their worker in this process with `--concurrency` slots. See docs/benchmarks.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { benchStores, namesFrom, positiveInteger, readFlags } from '../benchFlags.js';
import { machineInfo } from '../queue/machineInfo.js';
import { acquireRunLock } from '../queue/runLock.js';
import { median } from '../queue/stats.js';
import { bullmqFlows } from './bullmqFlows.js';
import type { FlowSystem } from './FlowSystem.js';
import { switchyardFlows } from './switchyardFlows.js';

interface Options {
  items: number;
  steps: number;
  runs: number;
  concurrency: number;
  systems: Array<FlowSystem['name']>;
  out: string;
}

const systemNames: Array<FlowSystem['name']> = ['switchyard', 'bullmq'];
const usage = `flags: --items N --steps N --runs N --concurrency N --systems ${systemNames.join(',')} --out FILE`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { items: 10_000, steps: 100, runs: 3, concurrency: 100, systems: [...systemNames], out: 'bench/results/workflow.json' };
  readFlags(
    argv,
    {
      '--items': (value, flag) => (options.items = positiveInteger(value, flag)),
      '--steps': (value, flag) => (options.steps = positiveInteger(value, flag)),
      '--runs': (value, flag) => (options.runs = positiveInteger(value, flag)),
      '--concurrency': (value, flag) => (options.concurrency = positiveInteger(value, flag)),
      '--systems': (value, flag) => (options.systems = namesFrom(value, flag, systemNames)),
      '--out': (value) => (options.out = value),
    },
    usage,
  );
  return options;
}

interface Measured {
  fanOutMs: number[];
  chainMs: number[];
}

export async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench workflow: ${(error as Error).message}\n`);
    return 2;
  }
  const stores = benchStores();
  const lock = await acquireRunLock(stores.redisUrl);
  try {
    const machine = await machineInfo(stores);
    const measured: Partial<Record<FlowSystem['name'], Measured>> = {};
    for (const name of options.systems) {
      const system = name === 'switchyard' ? await switchyardFlows(stores, options.concurrency) : await bullmqFlows(stores, options.concurrency);
      const results: Measured = { fanOutMs: [], chainMs: [] };
      try {
        for (let run = 0; run < options.runs; run += 1) {
          results.fanOutMs.push(await system.fanOut(options.items));
          results.chainMs.push(await system.chain(options.steps));
          process.stderr.write(`${name} run ${run + 1}: fan-out ${results.fanOutMs.at(-1)!.toFixed(0)} ms, chain ${results.chainMs.at(-1)!.toFixed(0)} ms\n`);
        }
      } finally {
        await system.close();
      }
      measured[name] = results;
    }
    const rows = [
      { label: `fan-out ${options.items.toLocaleString('en-US')} items (items/s) ↑`, value: (m: Measured) => options.items / (median(m.fanOutMs) / 1_000), decimals: 0 },
      { label: `fan-out ${options.items.toLocaleString('en-US')} items, to the end (ms) ↓`, value: (m: Measured) => median(m.fanOutMs), decimals: 0 },
      { label: `chain of ${options.steps} steps, per step (ms) ↓`, value: (m: Measured) => median(m.chainMs) / options.steps, decimals: 2 },
      { label: `chain of ${options.steps} steps, to the end (ms) ↓`, value: (m: Measured) => median(m.chainMs), decimals: 0 },
    ];
    const header = ['measurement'.padEnd(48), ...options.systems.map((name) => name.padStart(12)), options.systems.length === 2 ? 'SY/BullMQ'.padStart(10) : ''].join(' ');
    const lines = [header];
    const table: Record<string, Record<string, number>> = {};
    for (const row of rows) {
      const cells = options.systems.map((name) => row.value(measured[name]!));
      table[row.label] = Object.fromEntries(options.systems.map((name, at) => [name, cells[at]!]));
      const ratio = cells.length === 2 ? `${(cells[0]! / cells[1]!).toFixed(2)}×`.padStart(10) : '';
      lines.push([row.label.padEnd(48), ...cells.map((cell) => cell.toLocaleString('en-US', { minimumFractionDigits: row.decimals, maximumFractionDigits: row.decimals }).padStart(12)), ratio].join(' '));
    }
    process.stdout.write(`${lines.join('\n')}\n(medians of ${options.runs} runs; worker concurrency ${options.concurrency}; ${machine.cpus} × ${machine.cpuModel})\n`);
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, `${JSON.stringify({ options, machine, measured, table }, null, 2)}\n`);
    return 0;
  } finally {
    await lock.release();
  }
}
