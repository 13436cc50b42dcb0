/**
 * The message to show for a failed call: the API's own message, then what the user can do about
 * it, chosen by the kind of failure: the typed client throws `ApiError` with the status and code;
 * `fetch` throws a `TypeError` when the agent cannot be reached; any other error (e.g. a form's own
 * check) already says what is wrong and is shown as it is.
 */
import { ApiError } from '../../../shared/api/ApiError.js';
import { apiErrorCodes } from '../../../shared/api/errors.js';

/** What to do next, per API error code. */
const advice: Record<string, string> = {
  [apiErrorCodes.invalidRequest]: 'Correct the field named and try again.',
  [apiErrorCodes.unauthenticated]: 'Sign out and sign in again.',
  [apiErrorCodes.forbidden]: 'Your role does not allow this; ask an admin.',
  [apiErrorCodes.notFound]: 'It may have been removed meanwhile; the list refreshes by itself.',
  [apiErrorCodes.conflict]: 'Wait for the current state to change, then try again.',
  [apiErrorCodes.payloadTooLarge]: 'Send less at once.',
  [apiErrorCodes.internal]: "Try again; if it keeps failing, look for the reference in the agent's log.",
  [apiErrorCodes.unavailable]: 'Check that the agent, Redis and PostgreSQL are up, then try again.',
};

/** `message` ended with exactly one full stop, so advice can follow it. */
const sentence = (message: string) => `${message.replace(/[.\s]+$/, '')}.`;

export function failureMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === apiErrorCodes.rateLimited) {
      const wait = error.retryAfterSeconds === undefined ? 'a moment' : `${error.retryAfterSeconds} s`;
      return `${sentence(error.message)} Wait ${wait} and try again.`;
    }
    const next = advice[error.code];
    return next ? `${sentence(error.message)} ${next}` : error.message;
  }
  if (error instanceof TypeError) {
    return `${error.message}: the agent could not be reached. Check your network and that the agent is running, then try again.`;
  }
  return error instanceof Error ? error.message : String(error);
}
