import { endpoint } from './endpoint.js';
import { workflowParams } from './schemas/workflows.js';
import { retryRunRequest, runItemsParams, runItemsQuery, runItemsResponse, runParams, runsQuery, runsResponse, runView, startRunRequest } from './schemas/workflowRuns.js';

/** Runs of workflows (docs/workflows.md). Part of the one table in endpoints.ts. */
export const workflowRunEndpoints = {
  'runs.start': endpoint({
    method: 'POST',
    path: '/workflows/:name/runs',
    summary: 'Start a run of a workflow with an input (the latest version unless one is named)',
    access: 'workflows:run',
    params: workflowParams,
    body: startRunRequest,
    response: runView,
    status: 201,
  }),
  'runs.list': endpoint({ method: 'GET', path: '/runs', summary: 'Runs, newest first', access: 'read', query: runsQuery, response: runsResponse }),
  'runs.get': endpoint({ method: 'GET', path: '/runs/:id', summary: "A run with every node's state, input, output, error and timings", access: 'read', params: runParams, response: runView }),
  'runs.items': endpoint({
    method: 'GET',
    path: '/runs/:id/nodes/:node/items',
    summary: "A page of a map node's items: each one's state, task, output and error",
    access: 'read',
    params: runItemsParams,
    query: runItemsQuery,
    response: runItemsResponse,
  }),
  'runs.pause': endpoint({ method: 'POST', path: '/runs/:id/pause', summary: 'Start no new nodes until resumed', access: 'workflows:run', params: runParams, response: runView }),
  'runs.resume': endpoint({ method: 'POST', path: '/runs/:id/resume', summary: 'Start what is ready again', access: 'workflows:run', params: runParams, response: runView }),
  'runs.cancel': endpoint({ method: 'POST', path: '/runs/:id/cancel', summary: 'Cancel the run and the tasks of its running nodes', access: 'workflows:run', params: runParams, response: runView }),
  'runs.retry': endpoint({
    method: 'POST',
    path: '/runs/:id/retry',
    summary: 'Retry from a node: that node only, it and everything downstream, or the failed nodes from it on',
    access: 'workflows:run',
    params: runParams,
    body: retryRunRequest,
    response: runView,
  }),
} as const;
