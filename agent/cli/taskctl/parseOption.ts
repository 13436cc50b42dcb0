import { UsageError } from './errors.js';

/**
 * Parsers of flag values. Each names the flag in its error, so a bad value exits 2 with one line
 * saying which flag and why. They check only the shape (a number, JSON, a time): the agent checks
 * the meaning, and its refusal names the request field.
 */

/** A whole number, e.g. `--priority 7`. */
export function wholeNumber(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`${flag}: '${value}' must be a whole number`);
  return Number(value);
}

/** A whole number, or `none` for "no limit" (sent as `null`). */
export function wholeNumberOrNone(flag: string, value: string): number | null {
  return value === 'none' ? null : wholeNumber(flag, value);
}

/** Any JSON value, e.g. `--payload '{"to":"a@b.c"}'`. */
export function jsonValue(flag: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: '${value}' must be one of ${allowed.join(', ')}`);
  return value as T;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration such as `90s`, `15m`, `2h`, `7d`, `2w`, in milliseconds; undefined when `value` is not one. */
function duration(value: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(value.trim());
  return match ? Number(match[1]) * durationUnits[match[2]!]! : undefined;
}

/**
 * A point in time as epoch milliseconds: epoch milliseconds (`1767225600000`), an ISO 8601 date
 * or date-time (`2026-01-01`, `2026-01-01T09:30:00Z`), or a duration (`2h`, `7d`) counted back
 * from now (`direction: 'ago'`, for `--since`) or ahead of now (`'ahead'`, for `--expires`).
 */
export function instant(flag: string, value: string, direction: 'ago' | 'ahead', now = Date.now()): number {
  if (/^\d+$/.test(value.trim())) return Number(value);
  const span = duration(value);
  if (span !== undefined) return direction === 'ago' ? now - span : now + span;
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new UsageError(`${flag}: '${value}' must be epoch milliseconds, an ISO 8601 date-time, or a duration such as 2h or 7d`);
  }
  return parsed;
}

/** `--rate-limit 100/1000` (at most 100 tasks start per 1000 ms), or `none`. */
export function rateLimit(flag: string, value: string): { max: number; intervalMs: number } | null {
  if (value === 'none') return null;
  const match = /^(\d+)\/(\d+|\d+(?:ms|s|m|h|d))$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag}: '${value}' must be <max>/<interval>, e.g. 100/1s or 100/1000 (milliseconds), or none`);
  return { max: Number(match[1]), intervalMs: duration(match[2]!) ?? Number(match[2]) };
}

/** Drops the keys whose value is `undefined`, so a request carries only the flags given. */
export function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
