import type pg from 'pg';
import { queueDefinition, type QueueDefinition } from '../../shared/queue.js';
import { taskErrorCodes } from '../../shared/taskErrors.js';
import { EngineError } from '../engine/EngineError.js';

/**
 * Queue definitions in Postgres, the system of record for them (`queues` table). The engines keep
 * their own copy for the hot path; this store is what survives a flushed Redis and what the
 * console lists. Definitions are stored whole as JSON and read back through `queueDefinition()`,
 * so a row written before a setting existed reads with that setting's default.
 */
export class QueueStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Creates the queue or replaces its definition. A queue stays bound to the engine it was
   * created on: changing `engine` is refused with `EngineError` (`invalid_input`, field `engine`).
   */
  async upsert(definition: QueueDefinition): Promise<'created' | 'updated'> {
    const { rows } = await this.pool.query<{ created: boolean }>(upsertQueue, [definition.name, definition.engine, definition]);
    const row = rows[0];
    if (!row) {
      throw new EngineError(
        taskErrorCodes.invalidInput,
        `queue ${definition.name} is bound to another engine; a queue cannot move to the ${definition.engine} engine`,
        'engine',
      );
    }
    return row.created ? 'created' : 'updated';
  }

  async get(name: string): Promise<QueueDefinition | undefined> {
    const { rows } = await this.pool.query<QueueRow>(selectQueue, [name]);
    return rows[0] && definitionOf(rows[0]);
  }

  /** Every queue, by name. */
  async list(): Promise<QueueDefinition[]> {
    const { rows } = await this.pool.query<QueueRow>(selectQueues);
    return rows.map(definitionOf);
  }

  /** Answers whether there was such a queue. Its rows in `task_history` are left as they are. */
  async delete(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(deleteQueue, [name]);
    return (rowCount ?? 0) > 0;
  }
}

interface QueueRow {
  name: string;
  engine: QueueDefinition['engine'];
  definition: Partial<QueueDefinition>;
}

function definitionOf(row: QueueRow): QueueDefinition {
  return queueDefinition({ ...row.definition, name: row.name, engine: row.engine });
}

/** `xmax = 0` holds only for a freshly inserted row: it tells a create from an update. */
const upsertQueue = `
insert into queues (name, engine, definition)
values ($1, $2, $3)
on conflict (name) do update
  set definition = excluded.definition, updated_at = now()
  where queues.engine = excluded.engine
returning (xmax = 0) as created`;

const selectQueue = `select name, engine, definition from queues where name = $1`;

const selectQueues = `select name, engine, definition from queues order by name`;

const deleteQueue = `delete from queues where name = $1`;
