import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { auditPage, auditQuery } from './schemas/audit.js';
import { agentInfo } from './schemas/info.js';
import { changePasswordRequest, loginRequest, principalSchema, refreshRequest, session, setupRequest } from './schemas/auth.js';
import { apiKeyParams, apiKeysResponse, createApiKeyRequest, createdApiKey } from './schemas/keys.js';
import { createQueueRequest, deleteQueueQuery, queueParams, queueSummary, updateQueueRequest } from './schemas/queues.js';
import { enqueueBulkRequest, enqueueBulkResponse, enqueued, taskActionResponse, taskInput, taskParams, taskSchema } from './schemas/tasks.js';
import { createUserRequest, updateUserRequest, userParams, userSchema, usersResponse } from './schemas/users.js';
import { workerCommandResponse, workerParams, workersResponse } from './schemas/workers.js';
import { triageEndpoints } from './triageEndpoints.js';
import { scheduleEndpoints } from './scheduleEndpoints.js';
import { metricEndpoints } from './metricEndpoints.js';
import { workflowEndpoints } from './workflowEndpoints.js';
import { workflowRunEndpoints } from './workflowRunEndpoints.js';

/**
 * Every endpoint of the agent's API, by name. The name is also the audit log's action.
 * Paths are under `/api/v1`.
 */
export const endpoints = {
  'auth.login': endpoint({
    method: 'POST',
    path: '/auth/login',
    summary: 'Sign in with a username and password',
    access: 'public',
    body: loginRequest,
    response: session,
    audited: false,
  }),
  'auth.refresh': endpoint({
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Trade a refresh token for a new session; a reused token revokes its whole family',
    access: 'public',
    body: refreshRequest,
    response: session,
    audited: false,
  }),
  'auth.logout': endpoint({
    method: 'POST',
    path: '/auth/logout',
    summary: 'Revoke a refresh token and every token rotated from the same sign-in',
    access: 'public',
    body: refreshRequest,
    response: null,
    audited: false,
  }),
  'auth.me': endpoint({ method: 'GET', path: '/auth/me', summary: 'Who this request acts as', access: 'authenticated', response: principalSchema }),
  'info.get': endpoint({
    method: 'GET',
    path: '/info',
    summary: 'What this agent is and runs on: version, id, leadership, engines, storage and coordination',
    access: 'authenticated',
    response: agentInfo,
  }),
  'auth.changePassword': endpoint({
    method: 'POST',
    path: '/auth/password',
    summary: 'Change your own password; signs you out everywhere',
    access: 'user',
    body: changePasswordRequest,
    response: null,
  }),
  'setup.createAdmin': endpoint({
    method: 'POST',
    path: '/setup',
    summary: 'Create the first admin with the one-time setup token the agent printed',
    access: 'public',
    body: setupRequest,
    response: session,
    status: 201,
  }),

  'users.list': endpoint({ method: 'GET', path: '/users', summary: 'List users', access: 'users:admin', response: usersResponse }),
  'users.create': endpoint({
    method: 'POST',
    path: '/users',
    summary: 'Create a user',
    access: 'users:admin',
    body: createUserRequest,
    response: userSchema,
    status: 201,
  }),
  'users.update': endpoint({
    method: 'PATCH',
    path: '/users/:id',
    summary: "Change a user's role, password or disabled flag",
    access: 'users:admin',
    params: userParams,
    body: updateUserRequest,
    response: userSchema,
  }),
  'users.delete': endpoint({ method: 'DELETE', path: '/users/:id', summary: 'Delete a user', access: 'users:admin', params: userParams, response: null }),

  'keys.list': endpoint({ method: 'GET', path: '/keys', summary: 'List API keys', access: 'keys:admin', response: apiKeysResponse }),
  'keys.create': endpoint({
    method: 'POST',
    path: '/keys',
    summary: 'Create an API key; the key is shown in this answer only',
    access: 'keys:admin',
    body: createApiKeyRequest,
    response: createdApiKey,
    status: 201,
  }),
  'keys.revoke': endpoint({ method: 'DELETE', path: '/keys/:id', summary: 'Revoke an API key', access: 'keys:admin', params: apiKeyParams, response: null }),

  'audit.list': endpoint({ method: 'GET', path: '/audit', summary: 'Read the audit log, newest first', access: 'audit:read', query: auditQuery, response: auditPage }),

  'queues.list': endpoint({
    method: 'GET',
    path: '/queues',
    summary: 'List queues with live counts',
    access: 'read',
    response: z.object({ queues: z.array(queueSummary) }),
  }),
  'queues.get': endpoint({ method: 'GET', path: '/queues/:name', summary: 'One queue with live counts', access: 'read', params: queueParams, response: queueSummary }),
  'queues.create': endpoint({
    method: 'POST',
    path: '/queues',
    summary: 'Create a queue',
    access: 'queues:write',
    body: createQueueRequest,
    response: queueSummary,
    status: 201,
  }),
  'queues.update': endpoint({
    method: 'PATCH',
    path: '/queues/:name',
    summary: "Change a queue's settings",
    access: 'queues:write',
    params: queueParams,
    body: updateQueueRequest,
    response: queueSummary,
  }),
  'queues.pause': endpoint({
    method: 'POST',
    path: '/queues/:name/pause',
    summary: 'Stop handing out tasks; enqueues still land',
    access: 'queues:write',
    params: queueParams,
    response: queueSummary,
  }),
  'queues.resume': endpoint({ method: 'POST', path: '/queues/:name/resume', summary: 'Hand out tasks again', access: 'queues:write', params: queueParams, response: queueSummary }),
  'queues.delete': endpoint({
    method: 'DELETE',
    path: '/queues/:name',
    summary: 'Delete a queue and its tasks; refused while tasks are active unless forced',
    access: 'queues:write',
    params: queueParams,
    query: deleteQueueQuery,
    response: null,
  }),

  'tasks.enqueue': endpoint({
    method: 'POST',
    path: '/queues/:name/tasks',
    summary: 'Enqueue one task',
    access: 'tasks:write',
    params: queueParams,
    body: taskInput,
    response: enqueued,
    status: 201,
  }),
  'tasks.enqueueBulk': endpoint({
    method: 'POST',
    path: '/queues/:name/tasks/bulk',
    summary: 'Enqueue up to 10 000 tasks at once, all or none',
    access: 'tasks:write',
    params: queueParams,
    body: enqueueBulkRequest,
    response: enqueueBulkResponse,
    status: 201,
  }),
  'tasks.get': endpoint({ method: 'GET', path: '/queues/:name/tasks/:id', summary: 'One task with its attempts', access: 'read', params: taskParams, response: taskSchema }),
  'tasks.cancel': endpoint({
    method: 'POST',
    path: '/queues/:name/tasks/:id/cancel',
    summary: 'Cancel a task that has not finished',
    access: 'tasks:write',
    params: taskParams,
    response: taskActionResponse,
  }),
  'tasks.promote': endpoint({
    method: 'POST',
    path: '/queues/:name/tasks/:id/promote',
    summary: 'Run a scheduled or backing-off task now',
    access: 'tasks:write',
    params: taskParams,
    response: taskActionResponse,
  }),

  'workers.list': endpoint({
    method: 'GET',
    path: '/workers',
    summary: 'Workers with their heartbeat age and slots, and queues nobody consumes',
    access: 'read',
    response: workersResponse,
  }),
  'workers.drain': endpoint({
    method: 'POST',
    path: '/workers/:id/drain',
    summary: 'Ask a worker to stop claiming, finish its running tasks, then stop',
    access: 'workers:write',
    params: workerParams,
    response: workerCommandResponse,
  }),
  'workers.stop': endpoint({
    method: 'POST',
    path: '/workers/:id/stop',
    summary: 'Ask a worker to stop now, giving its running tasks back to the queue',
    access: 'workers:write',
    params: workerParams,
    response: workerCommandResponse,
  }),
  ...triageEndpoints,
  ...scheduleEndpoints,
  ...metricEndpoints,
  ...workflowEndpoints,
  ...workflowRunEndpoints,
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
