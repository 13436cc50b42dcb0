import { apiErrorCodes } from '../../../shared/api/errors.js';
import { ApiProblem } from '../ApiProblem.js';
import { signedIn, type EndpointHandlers } from '../EndpointHandler.js';

export const keyHandlers: EndpointHandlers<'keys.list' | 'keys.create' | 'keys.revoke'> = {
  'keys.list': async (_call, services) => ({ keys: await services.apiKeys.list() }),

  'keys.create': async (call, services) => {
    const principal = signedIn(call);
    // A key cannot mint keys: every key traces back to a person who made it.
    if (principal.kind !== 'user') throw new ApiProblem(403, apiErrorCodes.forbidden, 'API keys cannot create API keys; sign in as a user');
    const { key, record } = await services.apiKeys.create({
      name: call.body.name,
      scopes: call.body.scopes,
      expiresAt: call.body.expiresAt,
      createdBy: { userId: principal.id, role: principal.role },
    });
    call.audit.target = `key:${record.prefix}`;
    call.audit.after = { name: record.name, scopes: record.scopes, expiresAt: record.expiresAt };
    return { key, apiKey: record };
  },

  'keys.revoke': async (call, services) => {
    const key = await services.apiKeys.get(call.params.id);
    if (!key || !(await services.apiKeys.revoke(call.params.id))) throw new ApiProblem(404, apiErrorCodes.notFound, `no API key ${call.params.id}`, 'params.id');
    call.audit.target = `key:${key.prefix}`;
    call.audit.before = { name: key.name, scopes: key.scopes };
    return undefined;
  },
};
