import type { WorkerCommand, WorkerInfo, WorkerRegistry, WorkerStatus } from './WorkerRegistry.js';

interface Entry {
  info: WorkerInfo;
  lastHeartbeatAt: number;
  slotsInUse: number;
}

/**
 * The worker registry of a lone agent without Redis: its workers live in this process (external
 * SDK workers need Redis), so the registry is a map and commands are delivered by direct call,
 * asynchronously like the Redis channel. The same rules as `RedisWorkerRegistry`: a heartbeat
 * never resurrects a pruned worker, and `send` answers true only when the worker is registered
 * and someone listens for it.
 */
export class InMemoryWorkerRegistry implements WorkerRegistry {
  readonly #workers = new Map<string, Entry>();
  readonly #listeners = new Map<string, Set<(command: WorkerCommand) => void>>();
  readonly #now: () => number;

  constructor({ now = Date.now }: { now?: () => number } = {}) {
    this.#now = now;
  }

  async register(info: WorkerInfo): Promise<void> {
    this.#workers.set(info.id, { info: structuredClone(info), lastHeartbeatAt: this.#now(), slotsInUse: 0 });
  }

  async heartbeat(id: string, slotsInUse: number): Promise<boolean> {
    const entry = this.#workers.get(id);
    if (!entry) return false;
    entry.lastHeartbeatAt = this.#now();
    entry.slotsInUse = slotsInUse;
    return true;
  }

  async deregister(id: string): Promise<void> {
    this.#workers.delete(id);
  }

  async list(): Promise<WorkerStatus[]> {
    return [...this.#workers.values()]
      .map(({ info, lastHeartbeatAt, slotsInUse }) => ({ ...structuredClone(info), lastHeartbeatAt, slotsInUse }))
      .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  }

  async prune(maxSilentMs: number): Promise<string[]> {
    const cutoff = this.#now() - maxSilentMs;
    const silent = [...this.#workers.values()].filter((entry) => entry.lastHeartbeatAt <= cutoff).map((entry) => entry.info.id);
    for (const id of silent) this.#workers.delete(id);
    return silent;
  }

  async send(id: string, command: WorkerCommand): Promise<boolean> {
    const listeners = [...(this.#listeners.get(id) ?? [])];
    for (const listener of listeners) setImmediate(() => listener(command));
    return listeners.length > 0 && this.#workers.has(id);
  }

  async listen(id: string, onCommand: (command: WorkerCommand) => void): Promise<() => Promise<void>> {
    const listeners = this.#listeners.get(id) ?? new Set();
    listeners.add(onCommand);
    this.#listeners.set(id, listeners);
    return async () => {
      listeners.delete(onCommand);
      if (listeners.size === 0 && this.#listeners.get(id) === listeners) this.#listeners.delete(id);
    };
  }
}
