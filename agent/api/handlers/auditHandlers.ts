import type { EndpointHandlers } from '../EndpointHandler.js';

export const auditHandlers: EndpointHandlers<'audit.list'> = {
  'audit.list': async ({ query }, services) => services.audit.list(query),
};
