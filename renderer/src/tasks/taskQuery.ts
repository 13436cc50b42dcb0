/**
 * The Tasks view's search form as API requests: a `tasks.search` query for the result list, a
 * `tasks.bulk` filter for actions on every match, and the slim row the list keeps per task.
 */
import type { RequestOf, ResponseOf } from '../../../shared/api/client.js';
import type { TaskState } from '../../../shared/task.js';

/** The search form's fields; an empty string means "any". */
export interface TaskFilters {
  id: string;
  queue: string;
  state: TaskState | '';
  type: string;
  text: string;
}

export const emptyFilters: TaskFilters = { id: '', queue: '', state: '', type: '', text: '' };

/** One search result as `tasks.search` answers it: a task with where it was found (`engine` or `history`). */
export type FoundTask = ResponseOf<'tasks.search'>['tasks'][number];

/**
 * What the list holds of a found task: only the columns it shows. Payloads, results and attempt
 * histories stay on the agent (the detail panel reads them with `tasks.get`), so 100,000 rows
 * take a few tens of megabytes, not the size of every payload.
 */
export type TaskListRow = Pick<FoundTask, 'id' | 'queue' | 'type' | 'state' | 'attempts' | 'maxAttempts' | 'createdAt' | 'finishedAt' | 'source'>;

export function listRow(task: FoundTask): TaskListRow {
  const { id, queue, type, state, attempts, maxAttempts, createdAt, finishedAt, source } = task;
  return { id, queue, type, state, attempts, maxAttempts, createdAt, finishedAt, source };
}

const given = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The filled-in fields as a `tasks.search` query for one page. */
export function searchQuery(filters: TaskFilters, limit: number, cursor: string | null): RequestOf<'tasks.search'>['query'] {
  return {
    id: given(filters.id),
    queue: given(filters.queue),
    state: given(filters.state),
    type: given(filters.type),
    text: given(filters.text),
    limit,
    cursor: cursor ?? undefined,
  };
}

export type BulkFilter = RequestOf<'tasks.bulk'>['body']['filter'];

/**
 * The filter a bulk action applies to, or why there is none: the agent acts on one queue at a
 * time, and a search by id is one task, not a filter.
 */
export function bulkFilter(filters: TaskFilters): { filter: BulkFilter } | { reason: string } {
  const queue = given(filters.queue);
  if (!queue) return { reason: 'Choose a queue and search to act on every matching task.' };
  if (given(filters.id)) return { reason: 'Clear the id and search to act on every matching task.' };
  const type = given(filters.type);
  const text = given(filters.text);
  return {
    filter: {
      queue,
      ...(type ? { types: [type] } : {}),
      ...(filters.state ? { states: [filters.state] } : {}),
      ...(text ? { text } : {}),
    },
  };
}
