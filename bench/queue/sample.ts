/**
 * One repetition of one measurement: its value, or why there is none. A scenario that overruns
 * its deadline is recorded as `timeout` and the benchmark moves on.
 */
import { TimeoutError } from './stats.js';

export type Sample<T> = { ok: true; value: T } | { ok: false; failure: 'timeout' | 'error'; message: string };

export async function sample<T>(what: string, measure: () => Promise<T>): Promise<Sample<T>> {
  try {
    return { ok: true, value: await measure() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const timeout = error instanceof TimeoutError || message.startsWith('timeout') || message.includes('did not report');
    console.error(`  ${what}: ${timeout ? 'timeout' : 'error'}: ${message.split('\n')[0]}`);
    return { ok: false, failure: timeout ? 'timeout' : 'error', message };
  }
}

export function values<T>(samples: readonly Sample<T>[]): T[] {
  return samples.flatMap((one) => (one.ok ? [one.value] : []));
}

/** What to show for samples that all failed: their failure, or `n/a` when nothing was measured. */
export function failureOf<T>(samples: readonly Sample<T>[]): 'timeout' | 'error' | 'n/a' {
  const failed = samples.find((one): one is Extract<Sample<T>, { ok: false }> => !one.ok);
  return failed?.failure ?? 'n/a';
}
