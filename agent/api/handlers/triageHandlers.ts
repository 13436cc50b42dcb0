import { apiErrorCodes } from '../../../shared/api/errors.js';
import { maxBulkAction } from '../../../shared/api/schemas/triage.js';
import type { HistoryPosition } from '../../records/TaskHistory.js';
import { InvalidCursorError, matches, type FoundTask } from '../../tasks/TaskSearch.js';
import { requeueFromHistory } from '../../tasks/requeueFromHistory.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import type { EndpointHandlers } from '../EndpointHandler.js';

/** Tasks one dead-letter requeue or drain acts on; `more` tells the caller to send it again. */
const maxPerRequest = 10_000;

async function search(services: ApiServices, ...args: Parameters<ApiServices['search']['search']>) {
  try {
    return await services.search.search(...args);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new ApiProblem(400, apiErrorCodes.invalidRequest, error.message, 'query.cursor');
    throw error;
  }
}

/** Whether the queue's retention kept payloads of dead tasks; a requeue without one would run with null. */
async function keepsDeadPayloads(services: ApiServices, queue: string): Promise<boolean> {
  const definition = await services.engine.getQueue(queue);
  if (!definition) throw new ApiProblem(404, apiErrorCodes.notFound, `no queue ${queue}`, 'body.queue');
  return definition.retention.payload !== 'none';
}

/** Runs a dead or cancelled task again: in place while the engine holds it, else as a copy from history. */
async function retryTask(services: ApiServices, task: FoundTask): Promise<{ taskId: string; applied: boolean; copied: boolean }> {
  if (task.state !== 'dead' && task.state !== 'cancelled') return { taskId: task.id, applied: false, copied: false };
  if (task.source === 'engine') return { taskId: task.id, applied: await services.engine.retry(task.queue, task.id), copied: false };
  if (task.requeuedAs) return { taskId: task.requeuedAs, applied: false, copied: true };
  const archived = await services.history.get(task.id, task.queue);
  if (!archived) return { taskId: task.id, applied: false, copied: false };
  if (!(await keepsDeadPayloads(services, task.queue))) {
    throw new ApiProblem(409, apiErrorCodes.conflict, `queue ${task.queue} keeps no payloads in history, so task ${task.id} cannot run again as it was`);
  }
  return { taskId: await requeueFromHistory(services.engine, services.history, archived), applied: true, copied: true };
}

/** Whether `action` applies to `task` as found. */
function applies(action: 'cancel' | 'retry' | 'promote', task: FoundTask): boolean {
  if (action === 'cancel') return task.source === 'engine' && ['scheduled', 'queued', 'active', 'failed'].includes(task.state);
  if (action === 'promote') return task.source === 'engine' && (task.state === 'scheduled' || task.state === 'failed');
  return (task.state === 'dead' || task.state === 'cancelled') && task.requeuedAs === null;
}

function encodePosition(position: HistoryPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodePosition(cursor: string | undefined): HistoryPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as HistoryPosition;
    if (Number.isFinite(position.finishedAt) && typeof position.id === 'string' && /^[0-9a-f-]{36}$/.test(position.id)) return position;
  } catch {
    // fall through
  }
  throw new ApiProblem(400, apiErrorCodes.invalidRequest, 'the cursor is not one this agent gave out', 'query.cursor');
}

export const triageHandlers: EndpointHandlers<
  'tasks.search' | 'tasks.retry' | 'tasks.bulk' | 'deadLetters.groups' | 'deadLetters.list' | 'deadLetters.requeue' | 'deadLetters.purge' | 'queues.drain'
> = {
  'tasks.search': async ({ query }, services) => {
    const { id, type, state, limit = 100, cursor, ...rest } = query;
    const filter = { ...rest, types: type, states: state };
    if (id) {
      const task = await services.search.find(id, query.queue);
      return { tasks: task && matches(task, filter) ? [task] : [], nextCursor: null };
    }
    return search(services, filter, limit, cursor);
  },

  'tasks.retry': async (call, services) => {
    const { name, id } = call.params;
    const task = await services.search.find(id, name);
    if (!task) throw new ApiProblem(404, apiErrorCodes.notFound, `no task ${id} in queue ${name}`, 'params.id');
    const outcome = await retryTask(services, task);
    call.audit.target = `task:${name}/${id}`;
    call.audit.after = outcome;
    return outcome;
  },

  'tasks.bulk': async (call, services) => {
    const { filter, action, dryRun } = call.body;
    let matched = 0;
    let applied = 0;
    let cursor: string | undefined;
    do {
      const page = await search(services, filter, 500, cursor);
      for (const task of page.tasks) {
        if (!applies(action, task)) continue;
        if (matched === maxBulkAction) return finish(true);
        matched += 1;
        if (dryRun) continue;
        const changed =
          action === 'cancel'
            ? await services.engine.cancel(task.queue, task.id).catch(() => false)
            : action === 'promote'
              ? await services.engine.promote(task.queue, task.id).catch(() => false)
              : (await retryTask(services, task)).applied;
        if (changed) applied += 1;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return finish(false);

    function finish(more: boolean) {
      call.audit.target = `queue:${filter.queue}`;
      call.audit.after = { action, filter, dryRun, matched, applied, more };
      return { dryRun, matched, applied, more };
    }
  },

  'deadLetters.groups': async ({ query }, services) => ({ groups: await services.history.deadLetterGroups(query.queue) }),

  'deadLetters.list': async ({ query }, services) => {
    const limit = query.limit ?? 100;
    const found = await services.history.deadLetters(query.queue, query.signature, limit + 1, decodePosition(query.cursor));
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return { tasks: page, nextCursor: found.length > limit && last ? encodePosition({ finishedAt: last.finishedAt!, id: last.id }) : null };
  },

  'deadLetters.requeue': async (call, services) => {
    const { queue, signature, taskId, payload } = call.body;
    const editing = payload !== undefined;
    if (!editing && !(await keepsDeadPayloads(services, queue))) {
      throw new ApiProblem(409, apiErrorCodes.conflict, `queue ${queue} keeps no payloads in history: requeue one task at a time with its payload given`, 'body.payload');
    }
    const requeued: Array<{ from: string; to: string }> = [];
    if (taskId) {
      const task = await services.history.get(taskId, queue);
      if (!task || task.state !== 'dead' || task.requeuedAs) throw new ApiProblem(404, apiErrorCodes.notFound, `no dead letter ${taskId} in queue ${queue}`, 'body.taskId');
      requeued.push({ from: task.id, to: await requeueFromHistory(services.engine, services.history, task, editing ? payload : task.payload) });
    } else {
      // Requeued tasks leave the group, so each page starts from the newest again.
      for (;;) {
        const page = await services.history.deadLetters(queue, signature, 500);
        if (page.length === 0) break;
        for (const task of page) {
          if (requeued.length === maxPerRequest) return answer(true);
          requeued.push({ from: task.id, to: await requeueFromHistory(services.engine, services.history, task) });
        }
      }
    }
    return answer(false);

    function answer(more: boolean) {
      call.audit.target = `queue:${queue}`;
      call.audit.after = { signature: signature ?? null, taskId: taskId ?? null, payloadEdited: editing, requeued: requeued.length, more };
      return { requeued, more };
    }
  },

  'deadLetters.purge': async (call, services) => {
    const { queue, signature } = call.body;
    const purged = await services.history.purgeDeadLetters(queue, signature);
    call.audit.target = `queue:${queue}`;
    call.audit.after = { signature: signature ?? null, purged };
    return { purged };
  },

  'queues.drain': async (call, services) => {
    const { name } = call.params;
    if (!(await services.engine.getQueue(name))) throw new ApiProblem(404, apiErrorCodes.notFound, `no queue ${name}`, 'params.name');
    let cancelled = 0;
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiServices['engine']['scanTasks']>> = await services.engine.scanTasks(name, { cursor, count: 1_000 });
      for (const task of page.tasks) {
        if (task.state !== 'queued' && task.state !== 'scheduled' && task.state !== 'failed') continue;
        if (cancelled === maxPerRequest) return drained(true);
        if (await services.engine.cancel(name, task.id)) cancelled += 1;
      }
      cursor = page.cursor;
    } while (cursor);
    return drained(false);

    function drained(more: boolean) {
      call.audit.target = `queue:${name}`;
      call.audit.after = { cancelled, more };
      return { cancelled, more };
    }
  },
};
