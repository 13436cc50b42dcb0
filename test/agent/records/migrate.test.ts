import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError } from '../../../agent/records/MigrationError.js';
import { migrate, migrationsDirectory } from '../../../agent/records/migrate.js';
import { scratchDatabase } from '../../helpers/postgres.js';

const log = pino({ level: 'silent' });

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let admin: pg.Pool;
const pools: pg.Pool[] = [];
const folders: string[] = [];

beforeAll(async () => {
  database = await scratchDatabase();
  admin = new pg.Pool({ connectionString: database.url });
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await admin?.end();
  await database?.drop();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A pool whose tables live in a schema of their own, so each test starts from an empty schema. */
async function emptySchema(name: string): Promise<pg.Pool> {
  await admin.query(`create schema ${name}`);
  const pool = new pg.Pool({ connectionString: database.url, options: `-c search_path=${name}` });
  pools.push(pool);
  return pool;
}

/** A copy of the real migrations folder the test may edit. */
async function migrationsCopy(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-migrations-'));
  folders.push(folder);
  await cp(migrationsDirectory(), folder, { recursive: true });
  return folder;
}

async function tableExists(pool: pg.Pool, table: string): Promise<boolean> {
  const { rows } = await pool.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
  return rows[0]?.found !== null;
}

async function appliedRows(pool: pg.Pool) {
  const { rows } = await pool.query<{ version: number; name: string; checksum: string }>(
    'select version, name, checksum from schema_migrations order by version',
  );
  return rows;
}

/** The real migrations, from their file names: `0002_security.sql` → version 2, name `security`. */
const realMigrations = readdirSync(migrationsDirectory())
  .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
  .sort()
  .map((file) => ({ file, version: Number(file.slice(0, 4)), name: file.slice(5, -4) }));
const realVersions = realMigrations.map((migration) => migration.version);

describe('migrate', () => {
  it('applies every migration to an empty database and records its checksum', async () => {
    const pool = await emptySchema('fresh');
    const applied = await migrate(pool, { log });

    expect(realVersions.slice(0, 2)).toEqual([1, 2]);
    expect(applied).toEqual(realMigrations.map(({ version, name }) => ({ version, name })));
    for (const table of ['queues', 'workers', 'task_history', 'users', 'audit_log']) expect(await tableExists(pool, table)).toBe(true);
    const checksum = async (file: string) => createHash('sha256').update(await readFile(join(migrationsDirectory(), file), 'utf8')).digest('hex');
    expect(await appliedRows(pool)).toEqual(
      await Promise.all(realMigrations.map(async ({ file, version, name }) => ({ version, name, checksum: await checksum(file) }))),
    );
  });

  it('does nothing when run again', async () => {
    const pool = await emptySchema('again');
    await migrate(pool, { log });
    const before = await pool.query('select version, applied_at from schema_migrations');

    expect(await migrate(pool, { log })).toEqual([]);
    const after = await pool.query('select version, applied_at from schema_migrations');
    expect(after.rows).toEqual(before.rows);
  });

  it('applies each migration once when several agents start together', async () => {
    const folder = await migrationsCopy();
    await writeFile(join(folder, '0902_counter.sql'), 'create table counter (id integer primary key);\n');
    const pool = await emptySchema('together');

    const runs = await Promise.all([1, 2, 3, 4].map(() => migrate(pool, { log, directory: folder })));

    expect(runs.flat().map((migration) => migration.version).sort((a, b) => a - b)).toEqual([...realVersions, 902]);
    expect((await appliedRows(pool)).map((row) => row.version)).toEqual([...realVersions, 902]);
  });

  it('applies only the new migrations to a migrated database, in order', async () => {
    const folder = await migrationsCopy();
    const pool = await emptySchema('later');
    await migrate(pool, { log, directory: folder });
    await writeFile(join(folder, '0903_third.sql'), 'alter table second add column note text;\n');
    await writeFile(join(folder, '0902_second.sql'), 'create table second (id integer primary key);\n');

    expect(await migrate(pool, { log, directory: folder })).toEqual([
      { version: 902, name: 'second' },
      { version: 903, name: 'third' },
    ]);
    await pool.query(`insert into second (id, note) values (1, 'both applied')`);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const folder = await migrationsCopy();
    const pool = await emptySchema('tampered');
    await migrate(pool, { log, directory: folder });
    const file = join(folder, '0001_initial.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\ncreate table sneaky (id integer);\n`);

    const error = await migrate(pool, { log, directory: folder }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ kind: 'changed', file: '0001_initial.sql' });
    expect((error as Error).message).toMatch(/0001_initial\.sql was changed after it was applied.*new migration/);
    expect(await tableExists(pool, 'sneaky')).toBe(false);
  });

  it('does not take Windows line endings for an edit', async () => {
    const folder = await migrationsCopy();
    const pool = await emptySchema('crlf');
    await migrate(pool, { log, directory: folder });
    const file = join(folder, '0001_initial.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));

    expect(await migrate(pool, { log, directory: folder })).toEqual([]);
  });

  it('refuses to start when an applied migration is missing', async () => {
    const folder = await migrationsCopy();
    await writeFile(join(folder, '0902_extra.sql'), 'create table extra (id integer primary key);\n');
    const pool = await emptySchema('missing');
    await migrate(pool, { log, directory: folder });
    await unlink(join(folder, '0902_extra.sql'));

    const error = await migrate(pool, { log, directory: folder }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ kind: 'missing', file: '0902_extra.sql' });
    expect((error as Error).message).toMatch(/0902_extra\.sql is applied to this database but its file is missing; restore the file/);
  });

  it('refuses a new migration numbered below an applied one', async () => {
    const folder = await migrationsCopy();
    await writeFile(join(folder, '0903_late.sql'), 'create table late (id integer);\n');
    const pool = await emptySchema('numbering');
    await migrate(pool, { log, directory: folder });
    await writeFile(join(folder, '0902_behind.sql'), 'create table behind (id integer);\n');

    await expect(migrate(pool, { log, directory: folder })).rejects.toMatchObject({ kind: 'out-of-order', file: '0902_behind.sql' });
    expect(await tableExists(pool, 'behind')).toBe(false);
  });

  it('rolls back a migration that fails and names it', async () => {
    const folder = await migrationsCopy();
    await writeFile(join(folder, '0902_broken.sql'), 'create table half (id integer);\nselect no_such_function();\n');
    const pool = await emptySchema('broken');

    const error = await migrate(pool, { log, directory: folder }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ kind: 'failed', file: '0902_broken.sql' });
    expect((error as Error).message).toMatch(/0902_broken\.sql failed and was rolled back: function no_such_function\(\) does not exist/);
    expect(await tableExists(pool, 'half')).toBe(false);
    expect((await appliedRows(pool)).map((row) => row.version)).toEqual(realVersions);
  });

  it('refuses a migration file that is not named NNNN_words.sql', async () => {
    const folder = await migrationsCopy();
    await writeFile(join(folder, '2-Add Things.sql'), 'select 1;\n');
    const pool = await emptySchema('badname');

    await expect(migrate(pool, { log, directory: folder })).rejects.toMatchObject({ kind: 'invalid-file', file: '2-Add Things.sql' });
    expect(await tableExists(pool, 'schema_migrations')).toBe(false);
  });
});
