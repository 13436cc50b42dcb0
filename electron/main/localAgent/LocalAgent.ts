/**
 * "This computer": the embedded agent the desktop app runs as a child process (DESIGN.md, Desktop
 * app). Plain Node — no `electron` import — so `test/electron/localAgent/` runs it for real.
 *
 * The agent is spawned, never imported (electron/ may not import agent/ source); the command is
 * injected (`localAgentCommand.ts` picks it for a packaged app or the repository). It listens on
 * 127.0.0.1, on any free port the first time and on that same port after a restart, so the
 * cluster's URL stays put. Its output is read line by line for its URL and, on a data folder with
 * no users yet, its one-time setup token (`agentOutput.ts`); the token stays in the main process.
 *
 * Lifecycle: `LocalAgent.start()` resolves once the agent printed its URL. If the agent exits on
 * its own, it is started again after a growing delay (`restart`), at most `maxRestarts` times in
 * a row; a run that stayed up for `resetAfterMs` resets the count. `stop()` sends SIGTERM (the
 * agent drains for up to `drainMs`), then SIGKILL after `stopTimeoutMs`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readAgentOutputLine } from './agentOutput.js';
import type { LocalAgentCommand } from './localAgentCommand.js';

export interface RestartPolicy {
  /** Restarts in a row before giving up. Default 5. */
  maxRestarts: number;
  /** Delay before the first restart; doubles each time. Default 1000 ms. */
  initialDelayMs: number;
  /** Longest delay between restarts. Default 30 000 ms. */
  maxDelayMs: number;
  /** A run that stays up this long resets the count of restarts in a row. Default 60 000 ms. */
  resetAfterMs: number;
}

export interface LocalAgentOptions {
  command: LocalAgentCommand;
  /** The agent's data folder (`--data-dir`): under the app's userData in the desktop app. */
  dataDirectory: string;
  /** More agent flags, after the ones this class sets. */
  flags?: readonly string[];
  /** How long the agent may take to print its URL. Default 60 000 ms (PGlite's first start is slow). */
  startTimeoutMs?: number;
  /** How long running tasks may drain at stop (`--drain-ms`). Default 5 000 ms. */
  drainMs?: number;
  /** How long after SIGTERM the agent is killed with SIGKILL. Default `drainMs` + 5 000 ms. */
  stopTimeoutMs?: number;
  restart?: Partial<RestartPolicy>;
  /** Every line the agent writes, for the app's log. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** What the app shows and uses of the local agent. */
export interface LocalAgentState {
  /** Where the agent answers, e.g. `http://127.0.0.1:41234`; null while it is (re)starting. */
  url: string | null;
  /** The one-time setup token of the current run, or null when users exist. Never sent to the renderer. */
  setupToken: string | null;
  /** Why the agent is not running, once the app gave up restarting it. */
  problem: string | null;
  /** Restarts since the app started. */
  restarts: number;
}

const defaultRestart: RestartPolicy = { maxRestarts: 5, initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The last lines of stderr, kept to say why an agent would not start. */
const keptErrorLines = 5;

export class LocalAgent {
  private child: ChildProcess | undefined;
  private stopping = false;
  private port = 0;
  private inARow = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(state: LocalAgentState) => void>();
  private readonly restart: RestartPolicy;
  private current: LocalAgentState = { url: null, setupToken: null, problem: null, restarts: 0 };

  private constructor(private readonly options: LocalAgentOptions) {
    this.restart = { ...defaultRestart, ...options.restart };
  }

  /** Starts the agent and resolves once it printed its URL; rejects with its last error lines if it exits first. */
  static async start(options: LocalAgentOptions): Promise<LocalAgent> {
    const agent = new LocalAgent(options);
    await agent.run();
    return agent;
  }

  get url(): string | null {
    return this.current.url;
  }

  get setupToken(): string | null {
    return this.current.setupToken;
  }

  /** The running child's process id, or null between runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get state(): LocalAgentState {
    return { ...this.current };
  }

  /** Calls `listener` whenever the URL, setup token or problem changes; returns the unsubscribe. */
  onChange(listener: (state: LocalAgentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the agent: SIGTERM, then SIGKILL after `stopTimeoutMs`. No restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const drainMs = this.options.drainMs ?? 5_000;
    const killer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? drainMs + 5_000);
    await exited;
    clearTimeout(killer);
  }

  private update(change: Partial<LocalAgentState>): void {
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener(this.state);
  }

  private run(): Promise<void> {
    const { command, dataDirectory, flags = [], drainMs = 5_000, startTimeoutMs = 60_000, onOutput } = this.options;
    const args = [...command.args, '--host', '127.0.0.1', '--port', String(this.port), '--data-dir', dataDirectory, '--drain-ms', String(drainMs), ...flags];
    const child = spawn(command.command, args, { cwd: command.cwd, env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.update({ url: null, setupToken: null });
    const startedAt = Date.now();
    const errorLines: string[] = [];

    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the local agent did not start within ${startTimeoutMs} ms${describe(errorLines)}`));
      }, startTimeoutMs);

      createInterface({ input: child.stdout! }).on('line', (line) => {
        onOutput?.(line, 'stdout');
        const fact = readAgentOutputLine(line);
        if (fact?.kind === 'setupToken') this.update({ setupToken: fact.token });
        if (fact?.kind === 'url') {
          this.port = Number(new URL(fact.url).port);
          this.update({ url: fact.url, problem: null });
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        onOutput?.(line, 'stderr');
        errorLines.push(line);
        if (errorLines.length > keptErrorLines) errorLines.shift();
      });
      child.once('error', (error) => errorLines.push(error.message));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        this.update({ url: null, setupToken: null });
        const why = `the local agent exited (${signal ?? `code ${code}`})${describe(errorLines)}`;
        if (!ready) {
          // A restart on the remembered port may find it taken: the next try takes any port.
          this.port = 0;
          reject(new Error(why));
        }
        if (!this.stopping && (ready || this.current.restarts > 0)) this.scheduleRestart(Date.now() - startedAt, why);
      });
    });
  }

  private scheduleRestart(uptimeMs: number, why: string): void {
    if (uptimeMs >= this.restart.resetAfterMs) this.inARow = 0;
    if (this.inARow >= this.restart.maxRestarts) {
      this.update({ problem: `${why}; gave up after ${this.restart.maxRestarts} restarts in a row` });
      return;
    }
    const delay = Math.min(this.restart.initialDelayMs * 2 ** this.inARow, this.restart.maxDelayMs);
    this.inARow += 1;
    this.update({ problem: `${why}; restarting` });
    this.restartTimer = setTimeout(() => {
      this.update({ restarts: this.current.restarts + 1 });
      // A failed restart schedules the next one itself (from the child's exit).
      this.run().catch(() => undefined);
    }, delay);
  }
}

function describe(errorLines: readonly string[]): string {
  return errorLines.length > 0 ? `: ${errorLines.join(' | ')}` : '';
}
