import type { Redis } from 'ioredis';
import type { WorkerCommand, WorkerInfo, WorkerRegistry, WorkerStatus } from './WorkerRegistry.js';

/**
 * The worker registry in Redis, under the engine's key prefix. Three keys share the hash tag
 * `{workers}` so every multi-key transaction stays on one Redis Cluster shard:
 * - `<prefix>:{workers}`        hash: worker id → JSON `WorkerInfo`
 * - `<prefix>:{workers}:seen`   sorted set: worker id scored by its last heartbeat (epoch ms)
 * - `<prefix>:{workers}:slots`  hash: worker id → handlers running at the last heartbeat
 * - `<prefix>:{workers}:control` pub/sub channel of operators' commands (`{ workerId, command }`)
 *
 * Times come from each worker's clock; keep hosts synchronised (NTP) for pruning to be fair.
 * No Lua is needed: a heartbeat updates `seen` with `ZADD XX`, so it never resurrects a
 * pruned worker, and it reports back that the worker must register again.
 */
export class RedisWorkerRegistry implements WorkerRegistry {
  readonly #redis: Redis;
  readonly #infoKey: string;
  readonly #seenKey: string;
  readonly #slotsKey: string;
  readonly #controlChannel: string;

  constructor({ redis, prefix = 'sy' }: { redis: Redis; prefix?: string }) {
    this.#redis = redis;
    this.#infoKey = `${prefix}:{workers}`;
    this.#seenKey = `${prefix}:{workers}:seen`;
    this.#slotsKey = `${prefix}:{workers}:slots`;
    this.#controlChannel = `${prefix}:{workers}:control`;
  }

  async register(info: WorkerInfo): Promise<void> {
    await this.#redis
      .multi()
      .hset(this.#infoKey, info.id, JSON.stringify(info))
      .zadd(this.#seenKey, Date.now(), info.id)
      .hset(this.#slotsKey, info.id, 0)
      .exec()
      .then(failOnError);
  }

  async heartbeat(id: string, slotsInUse: number): Promise<boolean> {
    const replies = failOnError(
      await this.#redis
        .multi()
        .hexists(this.#infoKey, id)
        .zadd(this.#seenKey, 'XX', Date.now(), id)
        .hset(this.#slotsKey, id, slotsInUse)
        .exec(),
    );
    if (replies[0] === 1) return true;
    await this.#redis.hdel(this.#slotsKey, id);
    return false;
  }

  async deregister(id: string): Promise<void> {
    await this.#remove([id]);
  }

  async list(): Promise<WorkerStatus[]> {
    const [infos, seen, slots] = failOnError(
      await this.#redis
        .multi()
        .hgetall(this.#infoKey)
        .zrange(this.#seenKey, 0, -1, 'WITHSCORES')
        .hgetall(this.#slotsKey)
        .exec(),
    ) as [Record<string, string>, string[], Record<string, string>];
    const lastSeen = new Map<string, number>();
    for (let index = 0; index + 1 < seen.length; index += 2) {
      lastSeen.set(seen[index] as string, Number(seen[index + 1]));
    }
    const workers: WorkerStatus[] = [];
    for (const [id, json] of Object.entries(infos)) {
      const info = JSON.parse(json) as WorkerInfo;
      workers.push({ ...info, types: info.types ?? [], lastHeartbeatAt: lastSeen.get(id) ?? info.startedAt, slotsInUse: Number(slots[id] ?? 0) });
    }
    return workers.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  }

  async prune(maxSilentMs: number): Promise<string[]> {
    const silent = await this.#redis.zrangebyscore(this.#seenKey, '-inf', Date.now() - maxSilentMs);
    if (silent.length > 0) await this.#remove(silent);
    return silent;
  }

  async send(id: string, command: WorkerCommand): Promise<boolean> {
    return (await this.#redis.publish(this.#controlChannel, JSON.stringify({ workerId: id, command }))) > 0 && (await this.#redis.hexists(this.#infoKey, id)) === 1;
  }

  /** Listens on a connection of its own (a subscribed connection can send nothing else). */
  async listen(id: string, onCommand: (command: WorkerCommand) => void): Promise<() => Promise<void>> {
    const subscriber = this.#redis.duplicate();
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, message: string) => {
      let parsed: { workerId?: unknown; command?: unknown };
      try {
        parsed = JSON.parse(message) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.workerId === id && (parsed.command === 'drain' || parsed.command === 'stop')) onCommand(parsed.command);
    });
    await subscriber.subscribe(this.#controlChannel);
    return async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    };
  }

  async #remove(ids: string[]): Promise<void> {
    await this.#redis
      .multi()
      .hdel(this.#infoKey, ...ids)
      .zrem(this.#seenKey, ...ids)
      .hdel(this.#slotsKey, ...ids)
      .exec()
      .then(failOnError);
  }
}

/** The replies of a transaction, or the first error in it thrown. */
function failOnError(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (results === null) throw new Error('worker registry transaction was aborted');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
