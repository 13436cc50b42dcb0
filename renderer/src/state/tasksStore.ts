/**
 * The Tasks view's state: the search (`tasks.search`, a page at a time following `nextCursor`), the
 * task open in the detail panel (`tasks.get`) and the actions on it (retry, cancel, promote).
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api/client.js';
import type { TaskState } from '../../../shared/task.js';
import { errorMessage } from './errorMessage.js';
import { apiClient } from './sessionStore.js';

/** The search form's fields; an empty string means "any". */
export interface TaskFilters {
  queue: string;
  state: TaskState | '';
  type: string;
  text: string;
}

export type TaskAction = 'retry' | 'cancel' | 'promote';
/** One search result: a task with where it was found (`engine` or `history`). */
export type FoundTask = ResponseOf<'tasks.search'>['tasks'][number];
/** A task with every attempt, as `tasks.get` answers it. */
export type TaskDetail = ResponseOf<'tasks.get'>;

/** Tasks per page of results. */
const pageSize = 50;

interface TasksState {
  filters: TaskFilters;
  tasks: FoundTask[];
  nextCursor: string | null;
  searched: boolean;
  busy: boolean;
  error: string | null;
  selected: TaskDetail | null;
  search(filters: TaskFilters): Promise<void>;
  loadMore(): Promise<void>;
  open(queue: string, id: string): Promise<void>;
  close(): void;
  /** Applies `action` to the open task, then shows the task that will run and searches again. */
  act(action: TaskAction): Promise<void>;
}

/** The filled-in fields of the form as a `tasks.search` query. */
function searchQuery(filters: TaskFilters, cursor: string | null) {
  const given = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    queue: given(filters.queue),
    state: given(filters.state),
    type: given(filters.type),
    text: given(filters.text),
    limit: pageSize,
    cursor: cursor ?? undefined,
  };
}

export const useTasksStore = create<TasksState>()((set, get) => {
  const fetchPage = async (filters: TaskFilters, cursor: string | null, keep: FoundTask[]) => {
    set({ busy: true });
    try {
      const page = await apiClient.call('tasks.search', { query: searchQuery(filters, cursor) });
      set({ tasks: [...keep, ...page.tasks], nextCursor: page.nextCursor, searched: true, busy: false, error: null });
    } catch (error) {
      set({ busy: false, error: errorMessage(error) });
    }
  };

  return {
    filters: { queue: '', state: '', type: '', text: '' },
    tasks: [],
    nextCursor: null,
    searched: false,
    busy: false,
    error: null,
    selected: null,
    async search(filters) {
      set({ filters, tasks: [], nextCursor: null });
      await fetchPage(filters, null, []);
    },
    async loadMore() {
      const { filters, nextCursor, tasks } = get();
      if (nextCursor) await fetchPage(filters, nextCursor, tasks);
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
        await get().search(get().filters);
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
  };
});
