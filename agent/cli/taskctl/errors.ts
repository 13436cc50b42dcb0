/**
 * The two ways a `taskctl` command fails, besides the agent's own refusals (`ApiError`):
 *
 * - `UsageError`: the command line is wrong (a bad flag value, malformed JSON, an unreadable
 *   file). Exit code 2.
 * - `TaskctlError`: the command was fine but could not be carried out (not signed in, the agent
 *   unreachable, the keychain refusing). Exit code 1, like a refusal by the agent.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class TaskctlError extends Error {
  override readonly name = 'TaskctlError';

  constructor(
    /** A short machine-readable reason, printed as `error.code` with `--json`. */
    readonly code: string,
    message: string,
    /** Extra members of the `--json` error object (e.g. the tasks enqueued before a failure). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Exit codes: 0 ok, 1 the agent refused or the work failed, 2 bad usage. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;
