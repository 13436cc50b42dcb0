/**
 * The task types workers announce, by queue: each worker runs the task types of its handlers on
 * each of its queues (`types` in `workers.list`). The agent checks a saved workflow's task nodes
 * against them and the builder checks a draft the same way and fills its palette from them.
 * A worker that does not say which types it runs (an older version) adds nothing.
 */
export interface AnnouncingWorker {
  queues: readonly string[];
  types?: readonly string[];
}

export type AnnouncedTaskTypes = ReadonlyMap<string, ReadonlySet<string>>;

export function announcedTaskTypes(workers: readonly AnnouncingWorker[]): AnnouncedTaskTypes {
  const byQueue = new Map<string, Set<string>>();
  for (const worker of workers) {
    if (!worker.types || worker.types.length === 0) continue;
    for (const queue of worker.queues) {
      const types = byQueue.get(queue) ?? new Set<string>();
      for (const type of worker.types) types.add(type);
      byQueue.set(queue, types);
    }
  }
  return byQueue;
}

/**
 * The validator's `taskTypeExists`: a type is known when a worker of its queue announces it. A
 * queue no announcing worker claims from is not checked — its workers may not be deployed yet,
 * and refusing would make the order of deployment matter.
 */
export function announcedTaskTypeCheck(announced: AnnouncedTaskTypes): (queue: string, type: string) => boolean {
  return (queue, type) => announced.get(queue)?.has(type) ?? true;
}
