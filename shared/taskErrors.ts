/**
 * Why an engine refused a request. The API maps each code to an HTTP status; `field` names the
 * part of the request that was wrong, as a path (`tasks[3].priority`).
 */
export const taskErrorCodes = {
  unknownQueue: 'unknown_queue',
  queueExists: 'queue_exists',
  invalidInput: 'invalid_input',
  payloadTooLarge: 'payload_too_large',
  notFound: 'not_found',
  invalidState: 'invalid_state',
} as const;
export type TaskErrorCode = (typeof taskErrorCodes)[keyof typeof taskErrorCodes];
