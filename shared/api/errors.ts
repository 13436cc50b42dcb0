/**
 * The one shape of every error the API answers with, and the codes it uses. A 4xx always names
 * what was wrong; `field` is the path of the offending part of the request (`body.tasks[3].priority`).
 * A 5xx never carries a stack or internal detail, only a reference to the agent's log line.
 */

export const apiErrorCodes = {
  /** The request does not match the route's schema, or a value is out of range. */
  invalidRequest: 'invalid_request',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  /** The target exists but is in a state that forbids the change (e.g. a queue with active tasks). */
  conflict: 'conflict',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  internal: 'internal_error',
  unavailable: 'unavailable',
} as const;
export type ApiErrorCode = (typeof apiErrorCodes)[keyof typeof apiErrorCodes];

export interface ApiIssue {
  /** Where in the request: `body.tasks.3.priority`, `params.name`, `query.limit`. */
  field: string;
  message: string;
}

export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    /** The first offending field, when one is at fault. */
    field?: string;
    /** Every problem found, for requests with several. */
    issues?: ApiIssue[];
    /** Seconds before a rate-limited request may be tried again. */
    retryAfterSeconds?: number;
    /** For 5xx: the id of the log line that has the detail. */
    reference?: string;
  };
}
