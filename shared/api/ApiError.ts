import type { ApiErrorBody, ApiErrorCode, ApiIssue } from './errors.js';

/** An error answer of the API, as the typed client throws it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly issues: ApiIssue[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly status: number,
    body: ApiErrorBody['error'],
  ) {
    super(body.message);
    this.code = body.code;
    this.field = body.field;
    this.issues = body.issues ?? [];
    this.retryAfterSeconds = body.retryAfterSeconds;
  }
}
