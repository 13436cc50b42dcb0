/**
 * The Tasks view's state: the search (`tasks.search`, pages of `pageSize` following `nextCursor`),
 * the keyboard cursor in the result list, the task open in the detail panel (`tasks.get`) and the
 * actions on it (retry, cancel, promote).
 *
 * Pages load one at a time: when the list scrolls near its end (`loadMore`), or all of them in the
 * background (`loadAll`, cancelled by `stopLoading` or a new search). The list holds at most
 * `maxHeldTasks` rows; past that it says so and asks for a narrower search.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api/client.js';
import { emptyFilters, listRow, searchQuery, type TaskFilters, type TaskListRow } from '../tasks/taskQuery.js';
import { errorMessage } from './errorMessage.js';
import { apiClient } from './sessionStore.js';

export type { TaskFilters, TaskListRow } from '../tasks/taskQuery.js';
export type TaskAction = 'retry' | 'cancel' | 'promote';
/** A task with every attempt, as `tasks.get` answers it. */
export type TaskDetail = ResponseOf<'tasks.get'>;

/** Tasks per page: the most `tasks.search` answers at once. */
export const pageSize = 500;
/** Most rows the list holds in memory (a row is a few hundred bytes, so some tens of MB at most). */
export const maxHeldTasks = 100_000;

interface TasksState {
  /** The filters of the search shown (not the form's draft). */
  filters: TaskFilters;
  tasks: TaskListRow[];
  nextCursor: string | null;
  /** True once `maxHeldTasks` rows are held and a further task matched. */
  capped: boolean;
  searched: boolean;
  /** A page is being fetched. */
  busy: boolean;
  /** `loadAll` is fetching page after page. */
  loadingAll: boolean;
  error: string | null;
  /** Index of the row the keyboard cursor is on. */
  cursorIndex: number | null;
  selected: TaskDetail | null;
  search(filters: TaskFilters): Promise<void>;
  loadMore(): Promise<void>;
  loadAll(): Promise<void>;
  stopLoading(): void;
  moveCursor(index: number): void;
  open(queue: string, id: string): Promise<void>;
  close(): void;
  /** Applies `action` to the open task, then shows the task that will run and updates its row. */
  act(action: TaskAction): Promise<void>;
}

export const useTasksStore = create<TasksState>()((set, get) => {
  /** Bumped by every new search and by `stopLoading`: answers of an older generation are dropped. */
  let generation = 0;
  let inFlight: { promise: Promise<void>; abort: AbortController } | null = null;
  const settled = (abort: AbortController) => {
    if (inFlight?.abort === abort) inFlight = null;
  };

  const fetchNext = (): Promise<void> => {
    if (inFlight) return inFlight.promise;
    const { filters, nextCursor, tasks, searched } = get();
    if (searched && (!nextCursor || get().capped)) return Promise.resolve();
    const mine = generation;
    const abort = new AbortController();
    // Never ask for more than fits; once full, ask for one task only, to learn whether more match.
    const room = maxHeldTasks - tasks.length;
    set({ busy: true });
    const promise = (async () => {
      try {
        const page = await apiClient.call('tasks.search', { query: searchQuery(filters, Math.max(1, Math.min(pageSize, room)), nextCursor), signal: abort.signal });
        // A newer search, or a reset of the store (the desktop app switching cluster), drops this page.
        if (mine !== generation || get().filters !== filters) return;
        const rows = page.tasks.slice(0, room).map(listRow);
        set({ tasks: get().tasks.concat(rows), nextCursor: page.nextCursor, capped: page.tasks.length > room, searched: true, error: null });
      } catch (error) {
        if (mine === generation) set({ error: errorMessage(error), loadingAll: false });
      } finally {
        settled(abort);
        if (mine === generation) set({ busy: false });
      }
    })();
    inFlight = { promise, abort };
    return promise;
  };

  /** Drops the page in flight and any background loading. */
  const interrupt = () => {
    generation += 1;
    inFlight?.abort.abort();
    inFlight = null;
    set({ busy: false, loadingAll: false });
  };

  return {
    filters: emptyFilters,
    tasks: [],
    nextCursor: null,
    capped: false,
    searched: false,
    busy: false,
    loadingAll: false,
    error: null,
    cursorIndex: null,
    selected: null,
    async search(filters) {
      interrupt();
      set({ filters, tasks: [], nextCursor: null, capped: false, searched: false, cursorIndex: null });
      await fetchNext();
    },
    async loadMore() {
      if (get().nextCursor && !get().capped) await fetchNext();
    },
    async loadAll() {
      if (get().loadingAll) return;
      const mine = generation;
      set({ loadingAll: true, error: null });
      while (mine === generation && get().loadingAll && get().nextCursor && !get().capped && get().error === null) await fetchNext();
      if (mine === generation) set({ loadingAll: false });
    },
    stopLoading() {
      interrupt();
    },
    moveCursor(index) {
      const last = get().tasks.length - 1;
      set({ cursorIndex: last < 0 ? null : Math.min(Math.max(index, 0), last) });
    },
    async open(queue, id) {
      try {
        set({ selected: await apiClient.call('tasks.get', { params: { name: queue, id } }), error: null });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    close() {
      set({ selected: null });
    },
    async act(action) {
      const task = get().selected;
      if (!task) return;
      const params = { name: task.queue, id: task.id };
      try {
        const next =
          action === 'retry'
            ? (await apiClient.call('tasks.retry', { params })).taskId
            : (await apiClient.call(action === 'cancel' ? 'tasks.cancel' : 'tasks.promote', { params })).id;
        await get().open(task.queue, next);
        // The row of the task acted on shows its new state in place; the rest of the list (maybe
        // 100,000 rows) stays loaded. A retry that made a copy leaves the original's row as it was.
        const changed = get().selected;
        if (changed?.id === task.id) {
          set({ tasks: get().tasks.map((row) => (row.id === changed.id ? { ...row, state: changed.state, attempts: changed.attempts, finishedAt: changed.finishedAt } : row)) });
        }
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
  };
});
