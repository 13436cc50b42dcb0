import type { EndpointHandlers } from '../EndpointHandler.js';

export const infoHandlers: EndpointHandlers<'info.get'> = {
  'info.get': async (_call, services) => services.info(),
};
