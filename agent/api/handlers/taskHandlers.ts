import { apiErrorCodes } from '../../../shared/api/errors.js';
import { taskErrorCodes } from '../../../shared/taskErrors.js';
import { EngineError } from '../../engine/EngineError.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import type { EndpointHandlers } from '../EndpointHandler.js';

/**
 * The engine names a bad field of a single enqueue as `tasks[0].…` (it enqueues a batch of one);
 * the request's body is the task itself.
 */
function asSingleTask(error: unknown): unknown {
  if (error instanceof EngineError && error.field?.startsWith('tasks[0]')) {
    const field = error.field.replace(/^tasks\[0\]\.?/, '');
    return new EngineError(error.code, error.message.replace(/^tasks\[0\]\.?/, ''), field === '' ? undefined : field);
  }
  return error;
}

/** An action that did not apply: 404 when the task is unknown, else `applied: false` (it was not in a state to). */
async function mustExist(services: ApiServices, queue: string, id: string): Promise<void> {
  if (!(await services.search.find(id, queue))) throw new ApiProblem(404, apiErrorCodes.notFound, `no task ${id} in queue ${queue}`, 'params.id');
}

/**
 * Cancel or promote one task. The engine knows only the tasks it holds: one it does not know may
 * be archived (finished, so the action does not apply) or unknown (404 naming the path's id).
 */
async function act(services: ApiServices, action: (queue: string, id: string) => Promise<boolean>, queue: string, id: string): Promise<boolean> {
  let applied: boolean;
  try {
    applied = await action(queue, id);
  } catch (error) {
    if (!(error instanceof EngineError && error.code === taskErrorCodes.notFound)) throw error;
    applied = false;
  }
  if (!applied) await mustExist(services, queue, id);
  return applied;
}

export const taskHandlers: EndpointHandlers<'tasks.enqueue' | 'tasks.enqueueBulk' | 'tasks.get' | 'tasks.cancel' | 'tasks.promote'> = {
  'tasks.enqueue': async (call, services) => {
    const enqueued = await services.engine.enqueue(call.params.name, call.body).catch((error: unknown) => {
      throw asSingleTask(error);
    });
    call.audit.target = `task:${call.params.name}/${enqueued.id}`;
    call.audit.after = { type: call.body.type, deduplicated: enqueued.deduplicated };
    return enqueued;
  },

  'tasks.enqueueBulk': async (call, services) => {
    const tasks = await services.engine.enqueueBulk(call.params.name, call.body.tasks);
    call.audit.target = `queue:${call.params.name}`;
    call.audit.after = { enqueued: tasks.length, deduplicated: tasks.filter((task) => task.deduplicated).length };
    return { tasks };
  },

  'tasks.get': async ({ params }, services) => {
    // The engine while it holds the task, then history: a finished task stays findable.
    const task = await services.search.find(params.id, params.name);
    if (!task) throw new ApiProblem(404, apiErrorCodes.notFound, `no task ${params.id} in queue ${params.name}`, 'params.id');
    return task;
  },

  'tasks.cancel': async (call, services) => {
    const { name, id } = call.params;
    const applied = await act(services, (queue, task) => services.engine.cancel(queue, task), name, id);
    call.audit.target = `task:${name}/${id}`;
    call.audit.after = { cancelled: applied };
    return { id, applied };
  },

  'tasks.promote': async (call, services) => {
    const { name, id } = call.params;
    const applied = await act(services, (queue, task) => services.engine.promote(queue, task), name, id);
    call.audit.target = `task:${name}/${id}`;
    call.audit.after = { promoted: applied };
    return { id, applied };
  },
};
