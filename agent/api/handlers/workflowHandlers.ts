import { apiErrorCodes, type ApiIssue } from '../../../shared/api/errors.js';
import { announcedTaskTypeCheck, announcedTaskTypes } from '../../../shared/workflows/announcedTaskTypes.js';
import { diffWorkflows } from '../../../shared/workflows/diffWorkflows.js';
import { validateWorkflow, type WorkflowProblem } from '../../../shared/workflows/validateWorkflow.js';
import type { StoredWorkflowVersion } from '../../workflows/WorkflowStore.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import { signedIn, type EndpointHandlers } from '../EndpointHandler.js';

async function existing(services: ApiServices, name: string, version: number | undefined, field = 'query.version'): Promise<StoredWorkflowVersion> {
  const stored = await services.workflows.get(name, version);
  if (stored) return stored;
  if (version !== undefined && (await services.workflows.exists(name))) throw new ApiProblem(404, apiErrorCodes.notFound, `workflow ${name} has no version ${version}`, field);
  throw new ApiProblem(404, apiErrorCodes.notFound, `no workflow ${name}`, 'params.name');
}

/** Every problem as an issue under `body.definition`, its message naming the nodes. */
function refusal(problems: WorkflowProblem[]): ApiProblem {
  const issues: ApiIssue[] = problems.map((problem) => ({ field: `body.definition.${problem.path}`, message: problem.message }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ApiProblem(400, apiErrorCodes.invalidRequest, `${first.message}${more}`, first.field, undefined, issues);
}

export const workflowHandlers: EndpointHandlers<'workflows.list' | 'workflows.get' | 'workflows.save' | 'workflows.versions' | 'workflows.diff' | 'workflows.delete'> = {
  'workflows.list': async (_call, services) => ({ workflows: await services.workflows.list() }),

  'workflows.get': async ({ params, query }, services) => existing(services, params.name, query.version),

  'workflows.save': async (call, services) => {
    const queues = new Set((await services.engine.listQueues()).map((queue) => queue.name));
    const workflows = new Map<string, number>((await services.workflows.list()).map((workflow) => [workflow.name, workflow.latestVersion]));
    const validation = validateWorkflow(call.body.definition, {
      queueExists: (queue) => queues.has(queue),
      taskTypeExists: announcedTaskTypeCheck(announcedTaskTypes(await services.workers.list())),
      workflowExists: (name, version) => {
        const latest = workflows.get(name);
        return latest !== undefined && (version === undefined || version <= latest);
      },
    });
    if (!validation.valid) throw refusal(validation.problems);
    const saved = await services.workflows.save(validation.definition, call.body.message, signedIn(call).name);
    call.audit.target = `workflow:${saved.name}`;
    call.audit.after = { version: saved.version, message: saved.message, nodes: saved.definition.nodes.length, edges: saved.definition.edges.length };
    return saved;
  },

  'workflows.versions': async ({ params }, services) => {
    const versions = await services.workflows.versions(params.name);
    if (versions.length === 0) throw new ApiProblem(404, apiErrorCodes.notFound, `no workflow ${params.name}`, 'params.name');
    return { versions };
  },

  'workflows.diff': async ({ params, query }, services) => {
    const [before, after] = [await existing(services, params.name, query.from, 'query.from'), await existing(services, params.name, query.to, 'query.to')];
    return { from: before.version, to: after.version, ...diffWorkflows(before.definition, after.definition) };
  },

  'workflows.delete': async (call, services) => {
    if (await services.runs.hasActiveRun(call.params.name)) {
      throw new ApiProblem(409, apiErrorCodes.conflict, `workflow ${call.params.name} has a running or paused run: cancel it or let it finish first`, 'params.name');
    }
    if (!(await services.workflows.delete(call.params.name))) throw new ApiProblem(404, apiErrorCodes.notFound, `no workflow ${call.params.name}`, 'params.name');
    call.audit.target = `workflow:${call.params.name}`;
    return undefined;
  },
};
