/**
 * `npm run bench -- api`: the agent's HTTP API under load (autocannon, loopback), beside BullMQ
 * behind a bare Fastify server. Per server: a fixed rate of enqueue + get requests (half each)
 * for `--seconds`, latencies corrected for coordinated omission; the unthrottled maximum; and
 * the highest of a few fixed rates kept with p99 ≤ 25 ms and no errors. See docs/benchmarks.md.
 *
 * autocannon paces a fixed rate per connection and per second: each connection sends its share
 * of the second back to back, then waits for the next second. So the fixed-rate loads arrive as
 * a burst at the start of every second from `--fixed-connections` clients at once, which is
 * harsher than evenly spaced requests; both servers get the same.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import autocannon from 'autocannon';
import { benchStores, namesFrom, positiveInteger, readFlags } from '../benchFlags.js';
import { machineInfo } from '../queue/machineInfo.js';
import { acquireRunLock, type RunLock } from '../queue/runLock.js';
import { startBullmqFastify, startSwitchyard, targetNames, type ApiTarget, type TargetName } from './apiTargets.js';

interface ApiBenchOptions {
  rate: number;
  seconds: number;
  stepSeconds: number;
  /** Connections of the fixed-rate load at `rate`; `connections` is for the flat-out load and the steps. */
  fixedConnections: number;
  connections: number;
  systems: TargetName[];
  out: string;
}

const defaults: ApiBenchOptions = { rate: 1_000, seconds: 60, stepSeconds: 10, fixedConnections: 10, connections: 64, systems: [...targetNames], out: 'bench/results/api.json' };
const usage = `flags: --rate N --seconds S --step-seconds S --fixed-connections N --connections N --systems ${targetNames.join(',')} --out FILE`;
const p99Bound = 25;

function parseOptions(argv: readonly string[]): ApiBenchOptions {
  const options = { ...defaults };
  readFlags(
    argv,
    {
      '--rate': (value, flag) => (options.rate = positiveInteger(value, flag)),
      '--seconds': (value, flag) => (options.seconds = positiveInteger(value, flag)),
      '--step-seconds': (value, flag) => (options.stepSeconds = positiveInteger(value, flag)),
      '--connections': (value, flag) => (options.connections = positiveInteger(value, flag)),
      '--fixed-connections': (value, flag) => (options.fixedConnections = positiveInteger(value, flag)),
      '--systems': (value, flag) => (options.systems = namesFrom(value, flag, targetNames)),
      '--out': (value) => (options.out = value),
    },
    usage,
  );
  return options;
}

/** One load: enqueue and get in turn on every connection, at `rate` per second (or flat out). */
interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  requests: number;
}

async function load(target: ApiTarget, seconds: number, connections: number, rate?: number): Promise<Load> {
  const ids = target.seededIds;
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: target.headers,
    requests: [
      { method: 'POST', path: target.enqueuePath, body: JSON.stringify({ type: 'bench.noop', payload: { at: 1 } }) },
      { method: 'GET', setupRequest: (request) => ({ ...request, path: target.getPath(ids[Math.floor(Math.random() * ids.length)]!) }) },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

interface TargetReport {
  fixed: Load;
  flatOut: Load;
  steps: Array<{ rate: number } & Load>;
  /** The highest step rate with p99 within the bound and no errors, or 0. */
  sustainable: number;
}

async function measure(target: ApiTarget, options: ApiBenchOptions): Promise<TargetReport> {
  process.stderr.write(`${target.name}: warming up\n`);
  await load(target, 3, options.fixedConnections, options.rate);
  process.stderr.write(`${target.name}: ${options.rate}/s for ${options.seconds} s\n`);
  const fixed = await load(target, options.seconds, options.fixedConnections, options.rate);
  process.stderr.write(`${target.name}: flat out for ${options.stepSeconds} s\n`);
  const flatOut = await load(target, options.stepSeconds, options.connections);
  const steps: TargetReport['steps'] = [];
  for (const share of [0.5, 0.7, 0.85, 1]) {
    const rate = Math.max(options.rate, Math.round((flatOut.requestsPerSecond * share) / 100) * 100);
    process.stderr.write(`${target.name}: ${rate}/s for ${options.stepSeconds} s\n`);
    // As many connections as the flat-out load, so the step is limited by the server, not by clients waiting.
    steps.push({ rate, ...(await load(target, options.stepSeconds, options.connections, rate)) });
  }
  const kept = steps.filter((step) => step.p99 <= p99Bound && step.errors === 0 && step.requestsPerSecond >= step.rate * 0.95);
  return { fixed, flatOut, steps, sustainable: Math.max(0, ...kept.map((step) => step.rate)) };
}

function table(reports: Partial<Record<TargetName, TargetReport>>, options: ApiBenchOptions): string {
  const rows: Array<[string, (report: TargetReport) => number, number]> = [
    [`enqueue+get @${options.rate}/s: achieved (req/s) ↑`, (report) => report.fixed.requestsPerSecond, 0],
    [`enqueue+get @${options.rate}/s: p50 (ms) ↓`, (report) => report.fixed.p50, 1],
    [`enqueue+get @${options.rate}/s: p99 (ms) ↓`, (report) => report.fixed.p99, 1],
    [`enqueue+get @${options.rate}/s: max (ms) ↓`, (report) => report.fixed.max, 1],
    [`enqueue+get @${options.rate}/s: errors ↓`, (report) => report.fixed.errors, 0],
    [`flat out, ${options.connections} connections (req/s) ↑`, (report) => report.flatOut.requestsPerSecond, 0],
    ['flat out: p99 (ms) ↓', (report) => report.flatOut.p99, 1],
    [`highest rate kept with p99 ≤ ${p99Bound} ms, no errors (req/s) ↑`, (report) => report.sustainable, 0],
  ];
  const header = ['measurement', ...targetNames, 'SY/peer'];
  const lines = [header];
  for (const [label, read, decimals] of rows) {
    const cells = targetNames.map((name) => (reports[name] ? read(reports[name]) : undefined));
    const [ours, theirs] = cells;
    lines.push([
      label,
      ...cells.map((cell) => (cell === undefined ? '—' : cell.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }))),
      ours !== undefined && theirs ? `${(ours / theirs).toFixed(2)}×` : '—',
    ]);
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  return lines.map((line) => line.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ')).join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let options: ApiBenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench api: ${(error as Error).message}\n`);
    return 2;
  }
  const stores = benchStores();
  let lock: RunLock;
  try {
    lock = await acquireRunLock(stores.redisUrl);
  } catch (error) {
    process.stderr.write(`bench api: ${(error as Error).message}\n`);
    return 1;
  }
  const reports: Partial<Record<TargetName, TargetReport>> = {};
  const failures: Partial<Record<TargetName, string>> = {};
  try {
    const machine = await machineInfo(stores);
    for (const name of options.systems) {
      const target = name === 'switchyard' ? await startSwitchyard(stores, 1_000) : await startBullmqFastify(stores, 1_000);
      try {
        reports[name] = await measure(target, options);
      } catch (error) {
        failures[name] = (error as Error).message;
        process.stderr.write(`${name}: ${(error as Error).message}\n`);
      } finally {
        await target.close();
      }
    }
    const rendered = table(reports, options);
    process.stdout.write(`${rendered}\n`);
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, `${JSON.stringify({ machine, settings: options, reports, failures, table: rendered.split('\n') }, null, 2)}\n`);
    return Object.keys(failures).length > 0 ? 1 : 0;
  } finally {
    await lock.release();
  }
}
