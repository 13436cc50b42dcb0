import { endpoint } from './endpoint.js';
import {
  saveWorkflowRequest,
  workflowDiffQuery,
  workflowDiffResponse,
  workflowParams,
  workflowsResponse,
  workflowVersionQuery,
  workflowVersionsResponse,
  workflowVersionView,
} from './schemas/workflows.js';

/** Versioned workflow definitions (docs/workflows.md). Part of the one table in endpoints.ts. */
export const workflowEndpoints = {
  'workflows.list': endpoint({ method: 'GET', path: '/workflows', summary: 'List workflows with their latest version', access: 'read', response: workflowsResponse }),
  'workflows.get': endpoint({
    method: 'GET',
    path: '/workflows/:name',
    summary: 'One version of a workflow with its definition (the latest unless ?version= says)',
    access: 'read',
    params: workflowParams,
    query: workflowVersionQuery,
    response: workflowVersionView,
  }),
  'workflows.save': endpoint({
    method: 'POST',
    path: '/workflows',
    summary: 'Validate a definition and save it as a new immutable version of its workflow',
    access: 'workflows:write',
    body: saveWorkflowRequest,
    response: workflowVersionView,
    status: 201,
  }),
  'workflows.versions': endpoint({
    method: 'GET',
    path: '/workflows/:name/versions',
    summary: 'Every version of a workflow, newest first',
    access: 'read',
    params: workflowParams,
    response: workflowVersionsResponse,
  }),
  'workflows.diff': endpoint({
    method: 'GET',
    path: '/workflows/:name/diff',
    summary: 'Nodes and edges added, removed and changed between two versions',
    access: 'read',
    params: workflowParams,
    query: workflowDiffQuery,
    response: workflowDiffResponse,
  }),
  'workflows.delete': endpoint({
    method: 'DELETE',
    path: '/workflows/:name',
    summary: 'Delete a workflow and all its versions',
    access: 'workflows:write',
    params: workflowParams,
    response: null,
  }),
} as const;
