import type { EndpointHandlers } from '../EndpointHandler.js';
import { auditHandlers } from './auditHandlers.js';
import { authHandlers } from './authHandlers.js';
import { infoHandlers } from './infoHandlers.js';
import { keyHandlers } from './keyHandlers.js';
import { metricHandlers } from './metricHandlers.js';
import { queueHandlers } from './queueHandlers.js';
import { scheduleHandlers } from './scheduleHandlers.js';
import { taskHandlers } from './taskHandlers.js';
import { triageHandlers } from './triageHandlers.js';
import { userHandlers } from './userHandlers.js';
import { workerHandlers } from './workerHandlers.js';
import { workflowHandlers } from './workflowHandlers.js';
import { workflowRunHandlers } from './workflowRunHandlers.js';

/** Every endpoint's handler; the type makes a missing one a compile error. */
export const apiHandlers: EndpointHandlers = {
  ...authHandlers,
  ...infoHandlers,
  ...userHandlers,
  ...keyHandlers,
  ...auditHandlers,
  ...queueHandlers,
  ...taskHandlers,
  ...workerHandlers,
  ...metricHandlers,
  ...triageHandlers,
  ...scheduleHandlers,
  ...workflowHandlers,
  ...workflowRunHandlers,
};
