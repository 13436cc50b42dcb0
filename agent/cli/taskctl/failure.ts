import { CommanderError } from 'commander';
import { ApiError } from '../../../shared/api/ApiError.js';
import { exitCodes, TaskctlError, UsageError } from './errors.js';

/** How a failed command is reported: its exit code, the one line for people, the `--json` error object. */
export interface Failure {
  exitCode: number;
  line: string;
  error: Record<string, unknown>;
}

/**
 * Maps whatever a command threw to an exit code and a report. Commander's own errors (an unknown
 * flag, a missing argument) and `UsageError` are bad usage (2); the agent's refusals (`ApiError`),
 * `TaskctlError` and anything unexpected are failures (1). Help and `--version` are not failures
 * and answer `undefined`.
 */
export function failureOf(error: unknown, commandPath: string): Failure | undefined {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return undefined;
    const message = error.code === 'commander.help' ? 'a subcommand is missing' : error.message.replace(/^error: /, '');
    return { exitCode: exitCodes.usage, line: `${message} (see ${commandPath} --help)`, error: { code: 'usage', message } };
  }
  if (error instanceof UsageError) return { exitCode: exitCodes.usage, line: error.message, error: { code: 'usage', message: error.message } };
  if (error instanceof ApiError) {
    const named = error.status < 500 ? fieldNote(error.message, error.field) : '';
    const wait = error.retryAfterSeconds !== undefined ? ` (try again in ${error.retryAfterSeconds} s)` : '';
    return {
      exitCode: exitCodes.failed,
      line: `${error.message}${named}${wait}`,
      error: {
        status: error.status,
        code: error.code,
        message: error.message,
        ...(error.field !== undefined && { field: error.field }),
        ...(error.issues.length > 0 && { issues: error.issues }),
        ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
      },
    };
  }
  if (error instanceof TaskctlError) {
    const field = typeof error.details.field === 'string' ? error.details.field : undefined;
    return { exitCode: exitCodes.failed, line: `${error.message}${fieldNote(error.message, field)}`, error: { code: error.code, message: error.message, ...error.details } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: exitCodes.failed, line: message, error: { code: 'failed', message } };
}

/** ` (field body.name)` when a refusal names a field its message does not already mention. */
function fieldNote(message: string, field: string | undefined): string {
  return field !== undefined && !message.includes(field) ? ` (field ${field})` : '';
}
