import { endpoint } from './endpoint.js';
import {
  createScheduleRequest,
  previewScheduleRequest,
  previewScheduleResponse,
  scheduleParams,
  scheduleSchema,
  schedulesResponse,
  updateScheduleRequest,
} from './schemas/schedules.js';

/** Cron schedules: each enqueues a task on a queue at every tick (docs/schedules.md). Part of the one table in endpoints.ts. */
export const scheduleEndpoints = {
  'schedules.list': endpoint({ method: 'GET', path: '/schedules', summary: 'List cron schedules with their next run times', access: 'read', response: schedulesResponse }),
  'schedules.get': endpoint({
    method: 'GET',
    path: '/schedules/:id',
    summary: 'One cron schedule with its next run times',
    access: 'read',
    params: scheduleParams,
    response: scheduleSchema,
  }),
  'schedules.create': endpoint({
    method: 'POST',
    path: '/schedules',
    summary: 'Create a cron schedule that enqueues a task on a queue at every tick',
    access: 'schedules:write',
    body: createScheduleRequest,
    response: scheduleSchema,
    status: 201,
  }),
  'schedules.update': endpoint({
    method: 'PATCH',
    path: '/schedules/:id',
    summary: "Change a schedule's name, queue, pattern, time zone, task, missed-tick policy or enabled flag",
    access: 'schedules:write',
    params: scheduleParams,
    body: updateScheduleRequest,
    response: scheduleSchema,
  }),
  'schedules.delete': endpoint({
    method: 'DELETE',
    path: '/schedules/:id',
    summary: 'Delete a cron schedule; tasks it enqueued stay',
    access: 'schedules:write',
    params: scheduleParams,
    response: null,
  }),
  'schedules.preview': endpoint({
    method: 'POST',
    path: '/schedules/preview',
    summary: 'The next run times of a cron pattern in a time zone, without saving anything',
    access: 'read',
    body: previewScheduleRequest,
    response: previewScheduleResponse,
    // It changes nothing, so it is not audited (POST only because the pattern travels in a body).
    audited: false,
  }),
} as const;
