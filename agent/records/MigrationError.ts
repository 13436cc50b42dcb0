/**
 * Why the migration runner refused to start. Each kind names what an operator or developer has
 * to do, and the message repeats it in words:
 * - `changed`: an applied migration's file no longer matches the checksum recorded when it ran;
 * - `missing`: a migration recorded as applied has no file (or its file was renamed);
 * - `out-of-order`: a new file is numbered below a migration that is already applied;
 * - `invalid-file`: a `.sql` file in the folder is not named `NNNN_words.sql`, or two share a number;
 * - `failed`: a migration's SQL failed; its transaction was rolled back and nothing of it remains.
 */
export type MigrationErrorKind = 'changed' | 'missing' | 'out-of-order' | 'invalid-file' | 'failed';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly kind: MigrationErrorKind,
    /** The migration file at fault, e.g. `0002_task_history_search.sql`. */
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
