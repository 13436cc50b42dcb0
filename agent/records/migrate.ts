import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from 'pino';
import { MigrationError } from './MigrationError.js';
import { withTransaction } from './withTransaction.js';

/**
 * The schema migration runner. Migrations are the files `NNNN_words.sql` of one folder, applied
 * in number order, each in its own transaction together with its row in `schema_migrations`
 * (version, name, sha256 checksum, time). Rules, see docs/records.md:
 * - an applied migration is never edited: a changed checksum refuses to start (`changed`);
 * - an applied migration is never deleted or renamed (`missing`);
 * - a new migration is numbered after every applied one (`out-of-order`);
 * - a migration holds no `begin`/`commit` of its own and nothing that cannot run in a
 *   transaction (`create index concurrently`).
 *
 * Several agents may start at once: every step takes the transaction-level advisory lock
 * `migrationLock`, then re-reads what is applied, so each migration runs exactly once and in order.
 * A transaction lock (not a session lock) is released by the commit or rollback itself, so a crash
 * never leaves it held, and it works behind a transaction-pooling PgBouncer.
 */
export async function migrate(pool: pg.Pool, { log, directory = migrationsDirectory() }: MigrateOptions): Promise<AppliedMigration[]> {
  const files = await readMigrationFiles(directory);
  const applied: AppliedMigration[] = [];
  for (;;) {
    const step = await withTransaction(pool, async (client) => {
      await client.query(lockMigrations);
      await client.query(createSchemaMigrations);
      const { rows } = await client.query<AppliedRow>(selectApplied);
      const next = nextPending(files, rows);
      if (next === undefined) return undefined;
      try {
        await client.query(next.sql);
      } catch (error) {
        throw new MigrationError('failed', next.file, `migration ${next.file} failed and was rolled back: ${messageOf(error)}`, {
          cause: error,
        });
      }
      await client.query(insertApplied, [next.version, next.name, next.checksum]);
      return next;
    });
    if (step === undefined) break;
    log.info({ migration: step.file }, 'applied migration');
    applied.push({ version: step.version, name: step.name });
  }
  return applied;
}

export interface MigrateOptions {
  log: Pick<Logger, 'info'>;
  /** The folder of migration files. Default: `migrationsDirectory()`. Tests point it at a copy. */
  directory?: string;
}

export interface AppliedMigration {
  version: number;
  /** The file name without number and extension: `initial` for `0001_initial.sql`. */
  name: string;
}

/**
 * Where the migration files are. Run from source (tsx, vitest) they sit beside this module. `tsc`
 * does not copy `.sql` files, so from the compiled `dist/agent/records/migrate.js` the folder
 * beside the module does not exist and we use the source folder of the same checkout instead
 * (`dist/agent/records/` → three levels up is the repository root).
 */
export function migrationsDirectory(): string {
  const beside = fileURLToPath(new URL('./migrations/', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../agent/records/migrations/', import.meta.url));
}

/** Any constant key would do; this one is derived from a name so it explains itself in pg_locks. */
const lockMigrations = `select pg_advisory_xact_lock(hashtextextended('switchyard.migrate', 0))`;

const createSchemaMigrations = `
create table if not exists schema_migrations (
  version integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
)`;

const selectApplied = `select version, name, checksum from schema_migrations order by version`;

const insertApplied = `insert into schema_migrations (version, name, checksum) values ($1, $2, $3)`;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

interface MigrationFile {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

const fileNamePattern = /^(\d{4,})_([a-z0-9_]+)\.sql$/;

async function readMigrationFiles(directory: string): Promise<MigrationFile[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const file of names) {
    const match = fileNamePattern.exec(file);
    if (!match?.[1] || !match[2]) {
      throw new MigrationError('invalid-file', file, `migration file ${file} in ${directory} is not named NNNN_words.sql (lower case); rename it`);
    }
    const version = Number(match[1]);
    const twin = files.find((other) => other.version === version);
    if (twin) {
      throw new MigrationError('invalid-file', file, `migration files ${twin.file} and ${file} share the number ${version}; renumber the newer one after the latest`);
    }
    const sql = await readFile(join(directory, file), 'utf8');
    files.push({ version, name: match[2], file, sql, checksum: checksumOf(sql) });
  }
  return files.sort((a, b) => a.version - b.version);
}

/**
 * sha256 of the file's text with Windows line endings made Unix ones, so a checkout with
 * `core.autocrlf` does not look like an edited migration.
 */
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Checks the applied migrations against the files and answers the first one still to apply. */
function nextPending(files: readonly MigrationFile[], applied: readonly AppliedRow[]): MigrationFile | undefined {
  for (const row of applied) {
    const expected = fileNameOf(row);
    const file = files.find((candidate) => candidate.version === row.version);
    if (!file || file.name !== row.name) {
      throw new MigrationError(
        'missing',
        expected,
        `migration ${expected} is applied to this database but its file is missing${file ? ` (${file.file} has its number)` : ''}; ` +
          'restore the file as it was applied (an older agent cannot run against a newer database), and never delete or rename an applied migration',
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'changed',
        file.file,
        `migration ${file.file} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… recorded, ${file.checksum.slice(0, 12)}… now); ` +
          'restore the file as it was applied and put the change in a new migration numbered after the latest',
      );
    }
  }
  const latest = applied.at(-1)?.version ?? 0;
  const pending = files.filter((file) => !applied.some((row) => row.version === file.version));
  const behind = pending.find((file) => file.version < latest);
  if (behind) {
    throw new MigrationError(
      'out-of-order',
      behind.file,
      `migration ${behind.file} is new but numbered below the applied migration ${latest}; renumber it after the latest applied one`,
    );
  }
  return pending[0];
}

function fileNameOf(row: AppliedRow): string {
  return `${String(row.version).padStart(4, '0')}_${row.name}.sql`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
