import type { ApiErrorCode, ApiIssue } from '../../shared/api/errors.js';

/** A refusal a handler throws: answered with `status` and the standard error body. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** Path of the offending part of the request, e.g. `body.role`. */
    readonly field?: string,
    readonly retryAfterSeconds?: number,
    /** Every problem, when there are several (e.g. each fault of a workflow definition). */
    readonly issues?: ApiIssue[],
  ) {
    super(message);
  }
}
