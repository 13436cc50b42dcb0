import type { TaskErrorCode } from '../../shared/taskErrors.js';

/** A request an engine refused, and changed nothing for. */
export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: TaskErrorCode,
    message: string,
    /** Path of the offending field in the request, when one field is at fault. */
    readonly field?: string,
  ) {
    super(message);
  }
}
