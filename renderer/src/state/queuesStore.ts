/**
 * The queues with their live counts, and the queue actions of the Queues view.
 *
 * The list (definitions and counts) comes from `queues.list`; after that the `queueStats` topic
 * of the event stream updates counts and the paused flag each second (`applyStats`), and a queue
 * that appears or disappears there reloads the list. Long actions (drain, delete) record what
 * they are doing in `progress` under the queue's name; each change reloads the list.
 */
import { create } from 'zustand';
import { ApiError } from '../../../shared/api/ApiError.js';
import type { EventData } from '../../../shared/api/events.js';
import type { CreateQueueRequest, QueueSummary, UpdateQueueRequest } from '../../../shared/api/schemas/queues.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from './sessionStore.js';

/** How a form's request ended: done, or the API's message with the field it names (e.g. `body.concurrency`). */
export type Outcome = { ok: true } | { ok: false; message: string; field?: string };

interface QueuesState {
  queues: QueueSummary[];
  loaded: boolean;
  error: string | null;
  /** The last finished long action's result, e.g. "Drained mail: 12 waiting tasks cancelled." */
  notice: string | null;
  /** What a long action on a queue is doing now, by queue name. */
  progress: Record<string, string>;
  load(): Promise<void>;
  /** Takes a `queueStats` event: counts and paused per queue. */
  applyStats(data: EventData<'queueStats'>): void;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  createQueue(request: CreateQueueRequest): Promise<Outcome>;
  update(name: string, change: UpdateQueueRequest): Promise<Outcome>;
  /** Cancels every waiting task, asking again while the agent answers `more`. */
  drain(name: string): Promise<void>;
  /** Deletes the queue; refused (409, field `query.force`) while tasks are active unless `force`. */
  remove(name: string, force: boolean): Promise<Outcome>;
  dismissNotice(): void;
}

function outcomeOf(error: unknown): Outcome {
  return { ok: false, message: failureMessage(error), field: error instanceof ApiError ? error.field : undefined };
}

export const useQueuesStore = create<QueuesState>()((set, get) => {
  const setProgress = (name: string, text: string | null) => {
    const progress = { ...get().progress };
    if (text === null) delete progress[name];
    else progress[name] = text;
    set({ progress });
  };

  /** Runs a change, then reloads the list; answers the API's message and field when it fails. */
  const change = async (action: () => Promise<unknown>): Promise<Outcome> => {
    try {
      await action();
      set({ error: null });
      await get().load();
      return { ok: true };
    } catch (error) {
      return outcomeOf(error);
    }
  };

  const changeOrShow = async (action: () => Promise<unknown>) => {
    const outcome = await change(action);
    if (!outcome.ok) set({ error: outcome.message });
  };

  return {
    queues: [],
    loaded: false,
    error: null,
    notice: null,
    progress: {},
    async load() {
      try {
        const { queues } = await apiClient.call('queues.list', {});
        set({ queues, loaded: true });
      } catch (error) {
        set({ error: failureMessage(error) });
      }
    },
    applyStats({ queues: stats }) {
      const known = get().queues;
      const byName = new Map(stats.map((queue) => [queue.name, queue]));
      if (!get().loaded || stats.length !== known.length || known.some((queue) => !byName.has(queue.definition.name))) {
        void get().load();
        return;
      }
      set({ queues: known.map((queue) => ({ ...queue, paused: byName.get(queue.definition.name)!.paused, counts: byName.get(queue.definition.name)!.counts })) });
    },
    pause(name) {
      return changeOrShow(() => apiClient.call('queues.pause', { params: { name } }));
    },
    resume(name) {
      return changeOrShow(() => apiClient.call('queues.resume', { params: { name } }));
    },
    createQueue(request) {
      return change(() => apiClient.call('queues.create', { body: request }));
    },
    update(name, body) {
      return change(() => apiClient.call('queues.update', { params: { name }, body }));
    },
    async drain(name) {
      let cancelled = 0;
      set({ notice: null, error: null });
      setProgress(name, 'Draining…');
      try {
        for (;;) {
          const answer = await apiClient.call('queues.drain', { params: { name } });
          cancelled += answer.cancelled;
          if (!answer.more) break;
          setProgress(name, `Draining… ${cancelled} cancelled so far`);
        }
        set({ notice: `Drained ${name}: ${cancelled} waiting ${cancelled === 1 ? 'task' : 'tasks'} cancelled.` });
      } catch (error) {
        set({ error: `Drain ${name} stopped after ${cancelled} cancelled: ${failureMessage(error)}` });
      } finally {
        setProgress(name, null);
        await get().load();
      }
    },
    async remove(name, force) {
      setProgress(name, 'Deleting…');
      const outcome = await change(() => apiClient.call('queues.delete', { params: { name }, query: force ? { force: 'true' } : {} }));
      setProgress(name, null);
      if (outcome.ok) set({ notice: `Deleted ${name}.` });
      return outcome;
    },
    dismissNotice() {
      set({ notice: null });
    },
  };
});
