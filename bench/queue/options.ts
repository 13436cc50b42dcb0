/**
 * Flags of `npm run bench -- queue`. Defaults measure what docs/benchmarks.md describes; the
 * flags scale a run down (`--tasks 20000 --latency-seconds 5`) or narrow it (`--systems bullmq`).
 */
import { parseSetting, systemNames, type SystemName, type WorkerSetting } from './QueueSystem.js';

export interface QueueBenchOptions {
  /** Tasks enqueued in bulk and then processed (scenarios a, b, e). Default 200 000. */
  tasks: number;
  /** Tasks with 1 KB payloads processed with history on (scenario d). Default: `tasks`. */
  historyTasks: number;
  /** Tasks per bulk enqueue call. Default 1 000. */
  chunk: number;
  /** Steady enqueue rate and duration of the latency scenario (c). Defaults 1 000/s for 30 s. */
  latencyRate: number;
  latencySeconds: number;
  /** Times every measurement is repeated; the table shows medians. Default 1. */
  runs: number;
  systems: SystemName[];
  /** Worker settings tried in scenario b per system; the best is reported and reused by d; c uses the first. */
  settings: Record<SystemName, WorkerSetting[]>;
  /** Deadline of one enqueue or processing step; default one minute plus 2 ms a task. */
  deadlineSeconds: number | null;
  /** Where the JSON report is written. */
  out: string;
}

export const defaultOptions: QueueBenchOptions = {
  tasks: 200_000,
  historyTasks: 200_000,
  chunk: 1_000,
  latencyRate: 1_000,
  latencySeconds: 30,
  runs: 1,
  systems: [...systemNames],
  settings: {
    switchyard: [{ concurrency: 100, batch: null }, { concurrency: 300, batch: null }],
    bullmq: [{ concurrency: 100, batch: null }, { concurrency: 300, batch: null }],
    'graphile-worker': [{ concurrency: 10, batch: null }, { concurrency: 20, batch: null }, { concurrency: 10, batch: 500 }],
    'switchyard-postgres': [{ concurrency: 100, batch: null }, { concurrency: 300, batch: null }],
    'switchyard-pglite': [{ concurrency: 100, batch: null }],
  },
  deadlineSeconds: null,
  out: 'bench/results/queue.json',
};

const usage =
  'flags: --tasks N --history-tasks N --chunk N --latency-rate N --latency-seconds S --runs R --deadline-seconds S ' +
  `--systems ${systemNames.join(',')} --switchyard-settings C[/BATCH],… --bullmq-settings C,… ` +
  '--graphile-worker-settings C[/BATCH],… --out FILE';

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function settingList(flag: string, system: SystemName, text: string | undefined): WorkerSetting[] {
  return (text ?? '').split(',').map((part) => {
    const setting = parseSetting(part);
    if (setting === undefined) throw new Error(`${flag} needs CONCURRENCY or CONCURRENCY/BATCH items, got ${JSON.stringify(part)}`);
    if (system === 'bullmq' && setting.batch !== null) throw new Error(`${flag}: BullMQ has no batch setting`);
    return setting;
  });
}

/** Parses the flags; throws an Error naming the flag and listing the known ones on bad input. */
export function parseOptions(argv: readonly string[]): QueueBenchOptions {
  const options: QueueBenchOptions = { ...defaultOptions, settings: { ...defaultOptions.settings } };
  let historyTasksGiven = false;
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index] as string;
    const value = argv[index + 1];
    switch (flag) {
      case '--tasks': options.tasks = positiveInteger(flag, value); break;
      case '--history-tasks': options.historyTasks = positiveInteger(flag, value); historyTasksGiven = true; break;
      case '--chunk': options.chunk = positiveInteger(flag, value); break;
      case '--latency-rate': options.latencyRate = positiveInteger(flag, value); break;
      case '--latency-seconds': options.latencySeconds = positiveInteger(flag, value); break;
      case '--runs': options.runs = positiveInteger(flag, value); break;
      case '--deadline-seconds': options.deadlineSeconds = positiveInteger(flag, value); break;
      case '--out': options.out = value ?? options.out; break;
      case '--systems': {
        const names = (value ?? '').split(',');
        const unknown = names.filter((name) => !(systemNames as readonly string[]).includes(name));
        if (unknown.length > 0) throw new Error(`--systems: unknown ${unknown.join(', ')}; known: ${systemNames.join(', ')}`);
        options.systems = names as SystemName[];
        break;
      }
      default: {
        const system = systemNames.find((name) => flag === `--${name}-settings`);
        if (system === undefined) throw new Error(`unknown flag ${flag}; ${usage}`);
        options.settings[system] = settingList(flag, system, value);
      }
    }
  }
  if (!historyTasksGiven) options.historyTasks = options.tasks;
  return options;
}

/**
 * The bound of one enqueue or one processing of `tasks` tasks: `--deadline-seconds`, or else a
 * generous one minute plus 2 ms a task (it takes a system slower than 500 tasks/s to miss it).
 */
export function processingDeadlineMs(tasks: number, { deadlineSeconds }: Pick<QueueBenchOptions, 'deadlineSeconds'>): number {
  return deadlineSeconds === null ? 60_000 + tasks * 2 : deadlineSeconds * 1000;
}
