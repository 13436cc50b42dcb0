/**
 * What every benchmark reads from its command line and environment: `--flag value` pairs, and
 * where Redis and PostgreSQL are (`REDIS_URL`, `DATABASE_ADMIN_URL`, defaulting to this machine's).
 */
import type { Stores } from './queue/QueueSystem.js';

/**
 * Reads `--flag value` pairs, calling the setter of each flag with its value; throws a one-line
 * error naming an unknown flag (with `usage`) or a value a setter refuses.
 */
export function readFlags(argv: readonly string[], setters: Record<string, (value: string, flag: string) => void>, usage: string): void {
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index]!;
    const set = Object.hasOwn(setters, flag) ? setters[flag] : undefined;
    const value = argv[index + 1];
    if (!set || value === undefined) throw new Error(`${set ? `${flag} needs a value` : `unknown flag ${flag}`}; ${usage}`);
    set(value, flag);
  }
}

/** `value` as a positive whole number, or an error naming `flag`. */
export function positiveInteger(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${flag} needs a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
}

/** The names in a comma-separated `value`, each one of `known`, or an error naming the unknown ones. */
export function namesFrom<T extends string>(value: string, flag: string, known: readonly T[]): T[] {
  const names = value.split(',');
  const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`${flag}: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return names as T[];
}

export function benchStores(): Stores {
  return {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    postgresAdminUrl: process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}
