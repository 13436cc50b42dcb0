/** Failure messages: the API's message and what to do (renderer/src/controls/failureMessage.ts). */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../../renderer/src/controls/failureMessage.js';
import { ApiError } from '../../../shared/api/ApiError.js';
import { apiErrorCodes } from '../../../shared/api/errors.js';

describe('failureMessage', () => {
  it("keeps the API's message and says what to do", () => {
    const forbidden = new ApiError(403, { code: apiErrorCodes.forbidden, message: 'operator may not do users:admin.' });
    expect(failureMessage(forbidden)).toBe('operator may not do users:admin. Your role does not allow this; ask an admin.');
    const limited = new ApiError(429, { code: apiErrorCodes.rateLimited, message: 'too many requests', retryAfterSeconds: 7 });
    expect(failureMessage(limited)).toBe('too many requests. Wait 7 s and try again.');
  });

  it('says the agent could not be reached when fetch fails, and shows other errors as they are', () => {
    expect(failureMessage(new TypeError('Failed to fetch'))).toMatch(/^Failed to fetch: the agent could not be reached/);
    expect(failureMessage(new Error('Payload is not JSON'))).toBe('Payload is not JSON');
  });
});
