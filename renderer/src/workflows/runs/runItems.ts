/**
 * The items of a map node, a page at a time (`runs.items`: each item's index, state, task, output
 * and error, and how many the node has).
 */
import type { ResponseOf } from '../../../../shared/api/client.js';
import type { runItemStateNames } from '../../../../shared/api/schemas/workflowRuns.js';
import { apiClient } from '../../state/sessionStore.js';

export type RunItemsPage = ResponseOf<'runs.items'>;
export type RunItem = RunItemsPage['items'][number];
/** Items in one state, or '' for every item. */
export type ItemFilter = (typeof runItemStateNames)[number] | '';

/** Items shown at a time. */
export const itemsPageSize = 50;

export function fetchRunItems(runId: string, node: string, offset: number, state: ItemFilter, limit = itemsPageSize): Promise<RunItemsPage> {
  return apiClient.call('runs.items', { params: { id: runId, node }, query: { offset, limit, state: state || undefined } });
}
