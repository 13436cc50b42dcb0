import Table from 'cli-table3';

/**
 * What a command prints. For people: tables and short lines on stdout, notes and warnings on
 * stderr. With `--json`: exactly one JSON object on stdout per command — the API's answer as the
 * agent sent it (or `{"error":{…}}` on failure) — and nothing else on stdout, so scripts can pipe
 * it to `jq`. Notes and warnings still go to stderr in both modes.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** Prints a command's result: `answer` as JSON with `--json`, else the text `human()` makes. */
  result(answer: unknown, human: () => string): void {
    if (this.json) this.stdout.write(`${JSON.stringify(answer)}\n`);
    else this.stdout.write(withNewline(human()));
  }

  /** A line for people on stderr, e.g. where the token was stored. */
  note(text: string): void {
    this.stderr.write(`taskctl: ${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`taskctl: warning: ${text}\n`);
  }

  /** Prints a failure: `{"error":{…}}` on stdout with `--json`, else one line on stderr. */
  failure(line: string, error: Record<string, unknown>): void {
    if (this.json) this.stdout.write(`${JSON.stringify({ error })}\n`);
    this.stderr.write(`taskctl: ${line}\n`);
  }
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

const borderless = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

type Cell = string | number | boolean | null | undefined;

/** A borderless table with a header row, as `kubectl get` prints (no colours: it may be piped). */
export function table(head: string[], rows: Cell[][], empty = '(none)'): string {
  if (rows.length === 0) return `${head.map((title) => title.toUpperCase()).join('  ')}\n${empty}`;
  const rendered = new Table({ head: head.map((title) => title.toUpperCase()), chars: borderless, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  rendered.push(...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell)))));
  return rendered
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** `name: value` lines, aligned, for one object. */
export function fields(pairs: Array<[string, Cell]>): string {
  const width = Math.max(...pairs.map(([name]) => name.length));
  return pairs.map(([name, value]) => `${`${name}:`.padEnd(width + 2)}${value === null || value === undefined ? '-' : String(value)}`).join('\n');
}

/** An epoch-milliseconds time for people (ISO 8601, UTC, to the second), `-` for none. */
export function time(epochMilliseconds: number | null | undefined): string {
  return epochMilliseconds === null || epochMilliseconds === undefined ? '-' : new Date(epochMilliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Units for a duration that is a whole number of one, with the largest count worth writing that way. */
const units: Array<[string, number, number]> = [
  ['d', 86_400_000, Infinity],
  ['h', 3_600_000, 48],
  ['m', 60_000, 60],
  ['s', 1_000, 60],
];

/** A duration for people: `850ms`, `12.3s`, `30s`, `15m`, `4m05s`, `24h`, `2h10m`, `30d`, `3d4h`. */
export function span(milliseconds: number): string {
  if (milliseconds < 1_000) return `${Math.round(milliseconds)}ms`;
  const whole = units.find(([, size, below]) => milliseconds % size === 0 && milliseconds / size < below);
  if (whole) return `${milliseconds / whole[1]}${whole[0]}`;
  if (milliseconds < 60_000) return `${(milliseconds / 1_000).toFixed(1)}s`;
  const seconds = Math.floor(milliseconds / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h${String(Math.floor((seconds % 3_600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(seconds / 86_400)}d${Math.floor((seconds % 86_400) / 3_600)}h`;
}

/** Any JSON value on one line, shortened for a table cell. */
export function brief(value: unknown, length = 60): string {
  return shorten(value === undefined ? '-' : JSON.stringify(value), length);
}

/** Text on one line, cut to `length` characters with an ellipsis. */
export function shorten(text: string, length = 60): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
