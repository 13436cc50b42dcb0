/**
 * The Dead letters view's state: dead tasks not yet requeued, grouped by error signature
 * (`deadLetters.groups`), the tasks of the open group (`deadLetters.list`), the task whose
 * attempts are compared, and the actions: requeue one task (its payload possibly edited), requeue
 * a whole group at a throttled rate, purge a group.
 *
 * **Throttling.** `deadLetters.requeue` with a `signature` requeues up to 10 000 tasks in one
 * request, as fast as the agent can; it takes no rate. To requeue a group gently (so a fixed
 * downstream does not get the whole backlog at once) the console requeues it one task at a time
 * (`taskId`, the stored payload) at `perSecond` requests a second, reading the group's oldest
 * page again as requeued tasks leave it, until the group is empty or the operator stops.
 */
import { create } from 'zustand';
import { ApiError } from '../../../shared/api/ApiError.js';
import type { ResponseOf } from '../../../shared/api/client.js';
import { apiErrorCodes } from '../../../shared/api/errors.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';

export type DeadLetterGroup = ResponseOf<'deadLetters.groups'>['groups'][number];
export type DeadTask = ResponseOf<'deadLetters.list'>['tasks'][number];

/** Groups whose newest task is read as their sample (one small request each). */
const sampledGroups = 50;
/** Tasks of a group read at a time. */
const pageSize = 100;
/** The default and the bounds of the throttled requeue's rate, in tasks per second. */
export const requeueRate = { initial: 10, min: 1, max: 100 } as const;

/** A running or finished group requeue: how far it got, out of how many the group had. */
export interface RequeueProgress {
  group: DeadLetterGroup;
  requeued: number;
  total: number;
  running: boolean;
}

interface DeadLettersState {
  groups: DeadLetterGroup[];
  /** The newest task of each of the first groups, by `groupKey`: its own error message and payload. */
  samples: Record<string, DeadTask>;
  loaded: boolean;
  error: string | null;
  notice: string | null;
  open: DeadLetterGroup | null;
  tasks: DeadTask[];
  /** The task whose attempts are compared and whose payload may be edited. */
  selected: DeadTask | null;
  progress: RequeueProgress | null;
  load(): Promise<void>;
  openGroup(group: DeadLetterGroup | null): Promise<void>;
  select(task: DeadTask | null): void;
  /** Requeues one dead task, with `payload` in place of its own when given; answers whether it worked. */
  requeueTask(task: DeadTask, payload?: unknown): Promise<boolean>;
  requeueGroup(group: DeadLetterGroup, perSecond: number): Promise<void>;
  stopRequeue(): void;
  purge(group: DeadLetterGroup): Promise<void>;
}

/** A group's identity: its queue and signature. */
export const groupKey = (group: Pick<DeadLetterGroup, 'queue' | 'signature'>) => `${group.queue}\n${group.signature}`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const sameGroup = (a: DeadLetterGroup | null, b: DeadLetterGroup) => a !== null && groupKey(a) === groupKey(b);

export const useDeadLettersStore = create<DeadLettersState>()((set, get) => {
  let stopRequested = false;

  /** Reads the groups again, and the open group's tasks. */
  const refresh = async () => {
    await get().load();
    const open = get().open;
    if (open) await get().openGroup(get().groups.find((group) => sameGroup(open, group)) ?? null);
  };

  return {
    groups: [],
    samples: {},
    loaded: false,
    error: null,
    notice: null,
    open: null,
    tasks: [],
    selected: null,
    progress: null,
    async load() {
      try {
        const { groups } = await apiClient.call('deadLetters.groups', { query: {} });
        set({ groups, loaded: true, error: null });
        const pages = await Promise.all(
          groups.slice(0, sampledGroups).map((group) => apiClient.call('deadLetters.list', { query: { queue: group.queue, signature: group.signature, limit: 1 } })),
        );
        const samples: Record<string, DeadTask> = {};
        pages.forEach((page, index) => {
          if (page.tasks[0]) samples[groupKey(groups[index]!)] = page.tasks[0];
        });
        set({ samples });
      } catch (error) {
        set({ error: failureMessage(error) });
      }
    },
    async openGroup(group) {
      if (!group) {
        set({ open: null, tasks: [], selected: null });
        return;
      }
      try {
        const page = await apiClient.call('deadLetters.list', { query: { queue: group.queue, signature: group.signature, limit: pageSize } });
        const selected = get().selected;
        set({ open: group, tasks: page.tasks, selected: page.tasks.find((task) => task.id === selected?.id) ?? null, error: null });
      } catch (error) {
        set({ error: failureMessage(error) });
      }
    },
    select(task) {
      set({ selected: task });
    },
    async requeueTask(task, payload) {
      try {
        const { requeued } = await apiClient.call('deadLetters.requeue', {
          body: { queue: task.queue, taskId: task.id, ...(payload !== undefined && { payload }) },
        });
        set({ notice: `Requeued ${task.id} as ${requeued[0]?.to ?? '?'}${payload !== undefined ? ' with the edited payload' : ''}.`, error: null, selected: null });
        await refresh();
        return true;
      } catch (error) {
        set({ error: failureMessage(error) });
        return false;
      }
    },
    async requeueGroup(group, perSecond) {
      stopRequested = false;
      const gap = 1_000 / Math.min(requeueRate.max, Math.max(requeueRate.min, perSecond));
      let progress: RequeueProgress = { group, requeued: 0, total: group.count, running: true };
      set({ progress, notice: null, error: null });
      try {
        while (!stopRequested) {
          const { tasks } = await apiClient.call('deadLetters.list', { query: { queue: group.queue, signature: group.signature, limit: pageSize } });
          if (tasks.length === 0) break;
          for (const task of tasks) {
            if (stopRequested) break;
            const started = Date.now();
            try {
              await apiClient.call('deadLetters.requeue', { body: { queue: group.queue, taskId: task.id } });
              progress = { ...progress, requeued: progress.requeued + 1, total: Math.max(progress.total, progress.requeued + 1) };
              set({ progress });
            } catch (error) {
              // Requeued meanwhile by someone else: it has left the group. Rate-limited: wait as told.
              if (error instanceof ApiError && error.code === apiErrorCodes.rateLimited) await sleep((error.retryAfterSeconds ?? 1) * 1_000);
              else if (!(error instanceof ApiError && error.code === apiErrorCodes.notFound)) throw error;
            }
            await sleep(Math.max(0, started + gap - Date.now()));
          }
        }
        set({ notice: `${stopRequested ? 'Stopped after requeueing' : 'Requeued'} ${progress.requeued} of ${group.title}.` });
      } catch (error) {
        set({ error: `Requeue stopped after ${progress.requeued}: ${failureMessage(error)}` });
      } finally {
        set({ progress: { ...progress, running: false } });
        await refresh();
      }
    },
    stopRequeue() {
      stopRequested = true;
    },
    async purge(group) {
      try {
        const { purged } = await apiClient.call('deadLetters.purge', { body: { queue: group.queue, signature: group.signature } });
        set({ notice: `Purged ${purged} dead ${purged === 1 ? 'task' : 'tasks'} of ${group.title}.`, error: null });
        if (sameGroup(get().open, group)) set({ open: null, tasks: [], selected: null });
        await get().load();
      } catch (error) {
        set({ error: failureMessage(error) });
      }
    },
  };
});
