import type { EngineKind, QueueDefinition } from '../../shared/queue.js';
import type { Engine } from '../engine/Engine.js';
import { checkQueueDefinition } from '../engine/checkQueueDefinition.js';
import type { QueueStore } from '../records/QueueStore.js';

/**
 * Queue definitions, kept in two places: Postgres (the system of record) and the engine (the
 * copy the hot path reads). Every change goes to Postgres first, then to the engine.
 */
export class QueueCatalog {
  private readonly listeners = new Set<() => void>();

  /**
   * `engine` may route over several engines (`EngineRouter`); `kinds` names every engine it has
   * (default: just `engine.kind`).
   */
  constructor(
    private readonly store: QueueStore,
    private readonly engine: Engine,
    private readonly kinds: readonly EngineKind[] = [engine.kind],
  ) {}

  /** Creates or updates a queue. Answers which it was. */
  async define(definition: QueueDefinition): Promise<'created' | 'updated'> {
    checkQueueDefinition(definition);
    const outcome = await this.store.upsert(definition);
    await this.engine.defineQueue(definition);
    for (const listener of this.listeners) listener();
    return outcome;
  }

  /** Calls `listener` after every queue this agent defines (other agents' queues arrive by polling). */
  onDefine(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(): Promise<QueueDefinition[]> {
    return this.store.list();
  }

  async remove(name: string): Promise<boolean> {
    const existed = await this.store.delete(name);
    await this.engine.deleteQueue(name);
    return existed;
  }

  /**
   * Makes both copies agree at start: a queue Postgres knows but the engine lost (a flushed or
   * replaced Redis) is defined again; a queue only the engine knows is recorded in Postgres.
   * Answers the names of queues restored into the engine, and of recorded queues whose engine this
   * agent does not have (a `redis` queue when started without Redis): they stay recorded, unserved.
   */
  async reconcile(): Promise<{ restored: string[]; unavailable: string[] }> {
    const recorded = await this.store.list();
    const known = new Map((await this.engine.listQueues()).map((definition) => [definition.name, definition]));
    const restored: string[] = [];
    const unavailable: string[] = [];
    for (const definition of recorded) {
      if (!this.kinds.includes(definition.engine)) {
        unavailable.push(definition.name);
        continue;
      }
      if (!known.has(definition.name)) {
        await this.engine.defineQueue(definition);
        restored.push(definition.name);
      }
      known.delete(definition.name);
    }
    for (const definition of known.values()) await this.store.upsert(definition);
    return { restored, unavailable };
  }
}
