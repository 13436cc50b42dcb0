/**
 * Thrown by a handler for a failure that retrying cannot fix (a malformed payload, a 404, a
 * refused request): the task goes dead at once instead of using its remaining attempts.
 *
 * Recognised by a global symbol rather than `instanceof`, so a handler that imports its own copy
 * of the SDK (a handlers directory with its own node_modules) is understood too.
 */
const permanentBrand = Symbol.for('switchyard.PermanentError');

export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  readonly [permanentBrand] = true;
  /** A short machine-readable reason, recorded with the attempt's error. */
  readonly code: string | undefined;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/** True for a `PermanentError` from this or any other copy of the module. */
export function isPermanentError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[permanentBrand] === true;
}
