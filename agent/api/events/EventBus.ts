import type { TaskSummary } from '../../../shared/api/events.js';
import type { Task } from '../../../shared/task.js';
import type { AuditEntry } from '../../security/AuditLog.js';

/** Finished tasks the leader's archiver moved to history, one batch of one queue. */
export interface ArchivedTasks {
  queue: string;
  tasks: TaskSummary[];
}

/** What travels on each channel of the bus. */
export interface BusMessages {
  audit: AuditEntry;
  archived: ArchivedTasks;
}
export type BusChannel = keyof BusMessages;

/**
 * Fans events out to every agent of the cluster: audit entries (appended by whichever agent
 * served the change) and finished tasks (archived by the leader). Over Redis pub/sub when the
 * agent has Redis (`RedisEventBus`), within this process when it is a lone agent without Redis
 * (`InProcessEventBus`). Publishing is fire-and-forget: a failure is logged, never thrown into the
 * caller (the change it reports is already committed). Delivery is at most once. Listeners get
 * a copy of each message as JSON would carry it, never the publisher's object.
 */
export interface EventBus {
  publishAudit(entry: AuditEntry): void;
  /** Publishes nothing for an empty batch. */
  publishArchived(queue: string, tasks: readonly Task[]): void;
  /**
   * Calls `listener` with every message of `channel` from any agent, this one included. Resolves
   * once listening (rejects when it could not); answers the stop.
   */
  listen<C extends BusChannel>(channel: C, listener: (message: BusMessages[C]) => void): Promise<() => void>;
  /** Stops listening and releases what the bus holds. */
  close(): Promise<void>;
}
