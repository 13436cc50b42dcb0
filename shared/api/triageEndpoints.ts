import { endpoint } from './endpoint.js';
import { queueParams } from './schemas/queues.js';
import { taskParams } from './schemas/tasks.js';
import {
  bulkActionRequest,
  bulkActionResponse,
  deadLetterGroupsQuery,
  deadLetterGroupsResponse,
  deadLettersPage,
  deadLettersQuery,
  drainResponse,
  purgeDeadLettersRequest,
  purgeDeadLettersResponse,
  requeueDeadLettersRequest,
  requeueDeadLettersResponse,
  retryResponse,
  taskSearchPage,
  taskSearchQuery,
} from './schemas/triage.js';

/** Finding tasks and acting on many: search, retry, bulk actions, the dead-letter queue, drain. */
export const triageEndpoints = {
  'tasks.search': endpoint({
    method: 'GET',
    path: '/tasks',
    summary: 'Search tasks by id, type, state, time and text, live and archived, a page at a time',
    access: 'read',
    query: taskSearchQuery,
    response: taskSearchPage,
  }),
  'tasks.retry': endpoint({
    method: 'POST',
    path: '/queues/:name/tasks/:id/retry',
    summary: 'Run a dead or cancelled task again',
    access: 'tasks:write',
    params: taskParams,
    response: retryResponse,
  }),
  'tasks.bulk': endpoint({
    method: 'POST',
    path: '/tasks/bulk',
    summary: 'Cancel, retry or promote every task a filter matches; dryRun counts first',
    access: 'tasks:write',
    body: bulkActionRequest,
    response: bulkActionResponse,
  }),
  'deadLetters.groups': endpoint({
    method: 'GET',
    path: '/dead-letters',
    summary: 'Dead tasks not yet requeued, grouped by error signature',
    access: 'read',
    query: deadLetterGroupsQuery,
    response: deadLetterGroupsResponse,
  }),
  'deadLetters.list': endpoint({
    method: 'GET',
    path: '/dead-letters/tasks',
    summary: 'Dead tasks of a queue (of one signature), newest first',
    access: 'read',
    query: deadLettersQuery,
    response: deadLettersPage,
  }),
  'deadLetters.requeue': endpoint({
    method: 'POST',
    path: '/dead-letters/requeue',
    summary: 'Requeue a group, or one task with an edited payload',
    access: 'tasks:write',
    body: requeueDeadLettersRequest,
    response: requeueDeadLettersResponse,
  }),
  'deadLetters.purge': endpoint({
    method: 'POST',
    path: '/dead-letters/purge',
    summary: 'Delete dead tasks of a queue (of one signature) from history',
    access: 'tasks:write',
    body: purgeDeadLettersRequest,
    response: purgeDeadLettersResponse,
  }),
  'queues.drain': endpoint({
    method: 'POST',
    path: '/queues/:name/drain',
    summary: 'Cancel every waiting task of a queue (queued, scheduled, backing off); running ones finish',
    access: 'queues:write',
    params: queueParams,
    response: drainResponse,
  }),
} as const;
