import { apiErrorCodes } from '../../../shared/api/errors.js';
import type { RunSummary, RunView } from '../../../shared/api/schemas/workflowRuns.js';
import type { JsonValue } from '../../../shared/workflows/expression/JsonValue.js';
import { RunRefusal } from '../../workflows/RunEngine.js';
import type { RunRow } from '../../workflows/RunStore.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import { signedIn, type EndpointHandlers } from '../EndpointHandler.js';

function summary(run: RunRow): RunSummary {
  const { input: _input, output: _output, ...rest } = run;
  return rest;
}

async function view(services: ApiServices, id: string): Promise<RunView> {
  const found = await services.runs.get(id);
  if (!found) throw new ApiProblem(404, apiErrorCodes.notFound, `no run ${id}`, 'params.id');
  return {
    ...summary(found.run),
    input: found.run.input,
    output: found.run.output,
    nodes: found.nodes.map((node) => ({
      id: node.nodeId,
      state: node.state,
      starts: node.starts,
      attempts: node.attempts,
      input: node.input,
      output: node.output,
      error: node.error,
      task: node.taskQueue && node.taskId ? { queue: node.taskQueue, id: node.taskId } : null,
      subRun: node.childRun,
      items: node.itemsTotal === null ? null : { total: node.itemsTotal, finished: node.itemsFinished },
      startedAt: node.startedAt,
      finishedAt: node.finishedAt,
    })),
    edges: found.edges,
  };
}

/** A refusal of the run engine as the API's answer. */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunRefusal) throw new ApiProblem(error.kind === 'not-found' ? 404 : 409, error.kind === 'not-found' ? apiErrorCodes.notFound : apiErrorCodes.conflict, error.message, error.field);
    throw error;
  }
}

export const workflowRunHandlers: EndpointHandlers<'runs.start' | 'runs.list' | 'runs.get' | 'runs.items' | 'runs.pause' | 'runs.resume' | 'runs.cancel' | 'runs.retry'> = {
  'runs.start': async (call, services) => {
    const id = await refusing(() =>
      services.runEngine.start({ workflow: call.params.name, version: call.body.version, input: (call.body.input ?? {}) as JsonValue, createdBy: signedIn(call).name }),
    );
    call.audit.target = `run:${id}`;
    call.audit.after = { workflow: call.params.name, version: call.body.version ?? 'latest' };
    return view(services, id);
  },

  'runs.list': async ({ query }, services) => ({ runs: (await services.runs.list(query)).map(summary) }),

  'runs.get': async ({ params }, services) => view(services, params.id),

  'runs.items': async ({ params, query }, services) => {
    const page = await services.runs.items(params.id, params.node, query);
    if (page) return page;
    if ((await services.runs.states([params.id])).size === 0) throw new ApiProblem(404, apiErrorCodes.notFound, `no run ${params.id}`, 'params.id');
    throw new ApiProblem(404, apiErrorCodes.notFound, `run ${params.id} has no node ${params.node}`, 'params.node');
  },

  'runs.pause': async (call, services) => {
    await refusing(() => services.runEngine.pause(call.params.id));
    call.audit.target = `run:${call.params.id}`;
    return view(services, call.params.id);
  },

  'runs.resume': async (call, services) => {
    await refusing(() => services.runEngine.resume(call.params.id));
    call.audit.target = `run:${call.params.id}`;
    return view(services, call.params.id);
  },

  'runs.cancel': async (call, services) => {
    await refusing(() => services.runEngine.cancel(call.params.id));
    call.audit.target = `run:${call.params.id}`;
    return view(services, call.params.id);
  },

  'runs.retry': async (call, services) => {
    await refusing(() => services.runEngine.retry(call.params.id, call.body.node, call.body.mode));
    call.audit.target = `run:${call.params.id}`;
    call.audit.after = call.body;
    return view(services, call.params.id);
  },
};
