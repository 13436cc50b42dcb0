import { expect } from 'vitest';
import { ApiError } from '../../shared/api/ApiError.js';

/** Awaits a call that must be refused; answers the `ApiError` after checking its status (and field). */
export async function refused(call: Promise<unknown>, status: number, field?: string): Promise<ApiError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, `expected HTTP ${status}, but the call succeeded`).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  expect({ status: apiError.status, message: apiError.message }).toMatchObject({ status });
  if (field !== undefined) expect(apiError.field).toBe(field);
  return apiError;
}
