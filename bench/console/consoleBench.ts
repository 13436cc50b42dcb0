/**
 * `npm run bench -- console`: the built web console in Chromium against a real agent holding
 * `--tasks` queued tasks (100,000 by default) and one run of a `--run-nodes`-node workflow (500 by
 * default). Per run: the first meaningful paint of the sign-in page with an empty cache, the time
 * to load every task into the explorer, and the frame times while scrolling from the first task
 * to the last; the time to open the workflow run's live graph, and the frame times while panning
 * and zooming it; plus the bundle size. Medians over `--runs`. Targets: first paint ≤ 1 s,
 * scrolling at ≥ 50 frames/s (issue 5); the run graph drawn in ≤ 1 s, panned and zoomed at ≥ 50
 * frames/s (issue 6). See docs/benchmarks.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { machineInfo } from '../queue/machineInfo.js';
import { benchStores, positiveInteger, readFlags } from '../benchFlags.js';
import { acquireRunLock, type RunLock } from '../queue/runLock.js';
import { median } from '../queue/stats.js';
import { idleFrames, measureFirstPaint, measureLoadAll, openTasksView, scrollThrough, type LoadTiming, type PaintTiming } from './browserMeasures.js';
import { bundleSize, type BundleSize } from './bundleSize.js';
import { startConsoleAgent } from './consoleAgent.js';
import { frameStats, type FrameStats } from './frameStats.js';
import { ensureRendererBuilt, rendererFolder } from './rendererBuild.js';
import { startBenchRun, type BenchRun } from './runWorkflow.js';
import { measureRunViewRender, openRunsList, panAndZoom, type RunViewRender } from './runViewMeasures.js';

interface ConsoleBenchOptions {
  runs: number;
  tasks: number;
  scrollSeconds: number;
  runNodes: number;
  panSeconds: number;
  out: string;
}

const defaults: ConsoleBenchOptions = { runs: 3, tasks: 100_000, scrollSeconds: 10, runNodes: 500, panSeconds: 6, out: 'bench/results/console.json' };
const usage = 'flags: --runs N --tasks N --scroll-seconds S --run-nodes N --pan-seconds S --out FILE';
export const targets = { firstPaintMs: 1_000, scrollFps: 50, runViewRenderMs: 1_000, panZoomFps: 50 };
const chromiumPath = '/usr/bin/chromium';

function parseOptions(argv: readonly string[]): ConsoleBenchOptions {
  const options = { ...defaults };
  readFlags(
    argv,
    {
      '--runs': (value, flag) => (options.runs = positiveInteger(value, flag)),
      '--tasks': (value, flag) => (options.tasks = positiveInteger(value, flag)),
      '--scroll-seconds': (value, flag) => (options.scrollSeconds = positiveInteger(value, flag)),
      '--run-nodes': (value, flag) => (options.runNodes = positiveInteger(value, flag)),
      '--pan-seconds': (value, flag) => (options.panSeconds = positiveInteger(value, flag)),
      '--out': (value) => (options.out = value),
    },
    usage,
  );
  return options;
}

interface Run {
  paint: PaintTiming;
  load: LoadTiming;
  scroll: FrameStats & { mostRows: number; reachedLast: boolean };
  /** The same page not scrolling, for as long: the frame rate this machine gives an idle page. */
  idle: FrameStats;
  runView: RunViewRender;
  /** The run page not moving, for as long as half the pan: this machine's ceiling for `panZoom`. */
  runIdle: FrameStats;
  panZoom: FrameStats & { mostNodes: number; transforms: number; pan: FrameStats; zoom: FrameStats };
}

async function measureRun(browser: Browser, agent: Awaited<ReturnType<typeof startConsoleAgent>>, benchRun: BenchRun, options: ConsoleBenchOptions): Promise<Run> {
  const paint = await measureFirstPaint(browser, agent.url);
  const page = await openTasksView(browser, agent.url, agent.username, agent.password);
  let tasks: Pick<Run, 'load' | 'idle' | 'scroll'>;
  try {
    const load = await measureLoadAll(page, agent.queue, 300_000);
    if (load.rows !== options.tasks) throw new Error(`the explorer loaded ${load.rows} tasks, not ${options.tasks}`);
    const idle = frameStats(await idleFrames(page, Math.min(options.scrollSeconds, 3)));
    const trace = await scrollThrough(page, options.scrollSeconds);
    tasks = { load, idle, scroll: { ...frameStats(trace.frames), mostRows: trace.mostRows, reachedLast: trace.reachedLast } };
  } finally {
    await page.context().close();
  }
  const runPage = await openRunsList(browser, agent.url, agent.username, agent.password, benchRun.runId);
  try {
    const runView = await measureRunViewRender(runPage, benchRun.runId, 60_000);
    const runIdle = frameStats(await idleFrames(runPage, Math.max(1, options.panSeconds / 2)));
    const trace = await panAndZoom(runPage, options.panSeconds);
    if (trace.transforms < 10) throw new Error(`panning and zooming moved the graph only ${trace.transforms} times`);
    const panZoom = { ...frameStats(trace.frames), pan: frameStats(trace.panFrames), zoom: frameStats(trace.zoomFrames), mostNodes: trace.mostNodes, transforms: trace.transforms };
    return { paint, ...tasks, runView, runIdle, panZoom };
  } finally {
    await runPage.context().close();
  }
}

type RowSpec = [label: string, read: (run: Run) => number, decimals: number, target?: { bound: number; better: 'lower' | 'higher' }];

function report(runs: Run[], bundle: BundleSize, benchRun: BenchRun, options: ConsoleBenchOptions) {
  const tasks = options.tasks.toLocaleString('en-US');
  const graph = `${benchRun.nodes}-node`;
  const specs: RowSpec[] = [
    ['first meaningful paint, sign-in form (ms) ↓', (run) => run.paint.firstMeaningfulPaintMs, 0, { bound: targets.firstPaintMs, better: 'lower' }],
    ['  first contentful paint (ms) ↓', (run) => run.paint.firstContentfulPaintMs, 0],
    ['  sign-in form in the DOM (ms) ↓', (run) => run.paint.loginFormInDomMs, 0],
    ['  DOMContentLoaded (ms) ↓', (run) => run.paint.domContentLoadedMs, 0],
    [`load ${tasks} tasks into the explorer (s) ↓`, (run) => run.load.loadAllMs / 1_000, 1],
    ['  JS heap with every row held (MB) ↓', (run) => run.load.heapMb, 0],
    [`scroll through ${tasks} rows: frames/s ↑`, (run) => run.scroll.meanFps, 1, { bound: targets.scrollFps, better: 'higher' }],
    ['  the same page idle, for comparison: frames/s ↑', (run) => run.idle.meanFps, 1],
    ['  median frame rate (1000 ÷ median frame ms) ↑', (run) => run.scroll.medianFps, 1],
    ['  p95 frame time (ms) ↓', (run) => run.scroll.p95FrameMs, 1],
    ['  longest frame (ms) ↓', (run) => run.scroll.maxFrameMs, 1],
    [`  dropped frames in ${options.scrollSeconds} s ↓`, (run) => run.scroll.droppedFrames, 0],
    ['  most rows in the DOM ↓', (run) => run.scroll.mostRows, 0],
    [`open a ${graph} workflow run: graph drawn (ms) ↓`, (run) => run.runView.renderMs, 0, { bound: targets.runViewRenderMs, better: 'lower' }],
    ['  node elements in the DOM once drawn', (run) => run.runView.nodesInDom, 0],
    [`pan and zoom the ${graph} graph: frames/s ↑`, (run) => run.panZoom.meanFps, 1, { bound: targets.panZoomFps, better: 'higher' }],
    ['  the same page idle, for comparison: frames/s ↑', (run) => run.runIdle.meanFps, 1],
    ['  while drag-panning: frames/s ↑', (run) => run.panZoom.pan.meanFps, 1],
    ['  while wheel-zooming: frames/s ↑', (run) => run.panZoom.zoom.meanFps, 1],
    ['  median frame rate (1000 ÷ median frame ms) ↑', (run) => run.panZoom.medianFps, 1],
    ['  p95 frame time (ms) ↓', (run) => run.panZoom.p95FrameMs, 1],
    ['  longest frame (ms) ↓', (run) => run.panZoom.maxFrameMs, 1],
    [`  dropped frames in ${options.panSeconds} s ↓`, (run) => run.panZoom.droppedFrames, 0],
    ['  most node elements in the DOM ↓', (run) => run.panZoom.mostNodes, 0],
  ];
  const format = (value: number, decimals: number) => value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const lines: string[][] = [['measurement', 'median', 'runs', 'target', 'met']];
  const medians: Record<string, number> = {};
  const met: Record<string, boolean> = {};
  // Sub-rows repeat names ("p95 frame time") under different headings: key them by their heading.
  let heading = '';
  for (const [label, read, decimals, target] of specs) {
    const values = runs.map(read);
    const value = median(values);
    if (!label.startsWith(' ')) heading = label;
    const key = label.startsWith(' ') ? `${heading} / ${label.trim()}` : label;
    medians[key] = value;
    const ok = target ? (target.better === 'lower' ? value <= target.bound : value >= target.bound) : undefined;
    if (target) met[key] = ok!;
    lines.push([label, format(value, decimals), values.map((one) => format(one, decimals)).join(' / '), target ? `${target.better === 'lower' ? '≤' : '≥'} ${format(target.bound, 0)}` : '', ok === undefined ? '' : ok ? 'met' : 'NOT met']);
  }
  const kb = (bytes: number) => format(bytes / 1_024, 1);
  lines.push(['bundle: JavaScript, raw / gzip (kB)', `${kb(bundle.jsBytes)} / ${kb(bundle.jsGzipBytes)}`, '', '', '']);
  lines.push(['bundle: CSS, raw / gzip (kB)', `${kb(bundle.cssBytes)} / ${kb(bundle.cssGzipBytes)}`, '', '', '']);
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  const render = (line: string[]) => line.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ').trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const reachedLast = runs.every((run) => run.scroll.reachedLast);
  const table = [
    render(lines[0]!),
    rule,
    ...lines.slice(1).map(render),
    rule,
    `↑ higher is better, ↓ lower is better; medians of ${runs.length} run(s), each in a fresh browser context (empty cache).`,
    `Scrolled top to bottom in ${options.scrollSeconds} s${reachedLast ? '; the last row was rendered at the end of every run' : '; the last row was NOT rendered at the end of some run'}.`,
    `The run: ${benchRun.nodes} nodes, ${benchRun.edges} edges, laid out in the view (no saved positions); drawn = node cards and viewport unchanged for 5 frames; then ${options.panSeconds / 2} s of drag-panning and ${options.panSeconds / 2} s of wheel-zooming with real mouse input.`,
  ].join('\n');
  return { table, medians, met };
}

export async function main(argv: string[]): Promise<number> {
  let options: ConsoleBenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench console: ${(error as Error).message}\n`);
    return 2;
  }
  const stores = benchStores();
  const progress = (line: string) => process.stderr.write(`console: ${line}\n`);
  let lock: RunLock;
  try {
    lock = await acquireRunLock(stores.redisUrl);
  } catch (error) {
    process.stderr.write(`bench console: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    progress((await ensureRendererBuilt()) ? 'built the renderer' : 'the renderer build in out/renderer is current');
    const bundle = await bundleSize(rendererFolder);
    const machine = await machineInfo(stores);
    const agent = await startConsoleAgent(stores, options.tasks, progress);
    let benchRun: BenchRun;
    try {
      benchRun = await startBenchRun(agent.api, options.runNodes);
      progress(`started a run of a ${benchRun.nodes}-node workflow (${benchRun.edges} edges)`);
    } catch (error) {
      await agent.close();
      throw error;
    }
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const chromiumVersion = browser.version();
    const runs: Run[] = [];
    try {
      for (let index = 0; index < options.runs; index++) {
        progress(`run ${index + 1} of ${options.runs}`);
        runs.push(await measureRun(browser, agent, benchRun, options));
      }
    } finally {
      await browser.close();
      await agent.close();
    }
    const { table, medians, met } = report(runs, bundle, benchRun, options);
    process.stdout.write(`${table}\n`);
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, `${JSON.stringify({ machine, chromium: chromiumVersion, settings: options, targets, met, medians, bundle, workflowRun: benchRun, runs, table: table.split('\n') }, null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`bench console: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    await lock.release();
  }
}
