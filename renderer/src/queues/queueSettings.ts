/**
 * The queue settings the console's forms edit, as text fields, and their reading into a request.
 * Checked before sending with the API's own schemas (`createQueueRequest`, `updateQueueRequest`),
 * so a value the agent would refuse is refused here with the same bounds; the agent's 4xx message
 * (which names the field, e.g. `body.concurrency: …`) is shown when it refuses anyway.
 */
import type { z } from 'zod';
import { messageFieldOf } from '../../../shared/api/events.js';
import type { QueueSummary } from '../../../shared/api/schemas/queues.js';

/** Concurrency and rate limit, as typed; an empty field means "no limit". */
export interface LimitFields {
  concurrency: string;
  rateMax: string;
  rateIntervalMs: string;
}

/** What a form read: the values to send, or the first problem with the field it concerns. */
export type Reading<T> = { ok: true; value: T } | { ok: false; message: string; field: string };

export function limitFieldsOf(definition: QueueSummary['definition']): LimitFields {
  return {
    concurrency: definition.concurrency === null ? '' : String(definition.concurrency),
    rateMax: definition.rateLimit ? String(definition.rateLimit.max) : '',
    rateIntervalMs: definition.rateLimit ? String(definition.rateLimit.intervalMs) : '',
  };
}

/** A whole number typed in a field; null when empty; NaN when it is not a whole number. */
export function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Concurrency and rate limit as the API takes them: null for "no limit". */
export function readLimits(fields: LimitFields): Reading<{ concurrency: number | null; rateLimit: { max: number; intervalMs: number } | null }> {
  const concurrency = wholeNumber(fields.concurrency);
  const max = wholeNumber(fields.rateMax);
  const intervalMs = wholeNumber(fields.rateIntervalMs);
  for (const [field, value] of [['concurrency', concurrency], ['rateLimit.max', max], ['rateLimit.intervalMs', intervalMs]] as const) {
    if (Number.isNaN(value)) return { ok: false, field, message: `${field}: must be a whole number, or empty for no limit` };
  }
  if ((max === null) !== (intervalMs === null)) {
    return { ok: false, field: max === null ? 'rateLimit.max' : 'rateLimit.intervalMs', message: 'rate limit: give both the number of tasks and the interval, or neither' };
  }
  return { ok: true, value: { concurrency, rateLimit: max === null || intervalMs === null ? null : { max, intervalMs } } };
}

/** Checks `value` against the API's schema; answers the first issue as `field: message`. */
export function checkAgainst<S extends z.ZodType>(schema: S, value: z.input<S>): Reading<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = messageFieldOf(issue) ?? 'request';
  return { ok: false, field, message: `${field}: ${issue.message}` };
}
