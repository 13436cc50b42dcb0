/** What a worker announces about itself when it starts. */
export interface WorkerInfo {
  /** Unique per process run, e.g. `host:pid:abc123`. */
  id: string;
  host: string;
  pid: number;
  /** The queues it claims from. */
  queues: string[];
  /**
   * The task types its handlers run, on each of its queues (sorted). The workflow builder's
   * palette lists them, and a workflow that names a type no worker of its queue runs is refused.
   * Workers of older versions did not send it; the registries answer [] for them.
   */
  types: string[];
  /** Handler slots over all its queues (the sum of their concurrency). */
  slots: number;
  /** Epoch milliseconds. */
  startedAt: number;
  /** `agent`: the worker runtime inside an agent; `sdk`: an application's own process. */
  kind: 'agent' | 'sdk';
}

/** A registered worker as the console sees it. */
export interface WorkerStatus extends WorkerInfo {
  /** Epoch milliseconds of its last heartbeat (or registration). */
  lastHeartbeatAt: number;
  /** Handlers running at its last heartbeat. */
  slotsInUse: number;
}

/**
 * What an operator may ask a worker to do: `drain` — stop claiming, let running tasks finish
 * (up to the worker's drain deadline), then stop; `stop` — stop at once, releasing running
 * tasks so other workers take them. Either way the worker leaves the registry.
 */
export type WorkerCommand = 'drain' | 'stop';

/**
 * Where workers announce themselves and heartbeat, so operators see who is working which queue.
 * Only informational: leases, not this registry, decide who may work a task.
 */
export interface WorkerRegistry {
  register(info: WorkerInfo): Promise<void>;
  /** Answers false when the worker is not registered (it was pruned): it should register again. */
  heartbeat(id: string, slotsInUse: number): Promise<boolean>;
  deregister(id: string): Promise<void>;
  /** Every registered worker, oldest first. */
  list(): Promise<WorkerStatus[]>;
  /** Removes workers silent for longer than `maxSilentMs`; answers their ids. */
  prune(maxSilentMs: number): Promise<string[]>;
  /** Sends a command to one worker; answers whether a listening worker process received it. */
  send(id: string, command: WorkerCommand): Promise<boolean>;
  /** Calls `onCommand` with the commands sent to worker `id`. Resolves once listening; returns the stop. */
  listen(id: string, onCommand: (command: WorkerCommand) => void): Promise<() => Promise<void>>;
}
