/**
 * Durations the run view shows: how long a node or a run took, or has taken so far while it
 * runs, and the short text for it (`340 ms`, `12.3 s`, `4 m 05 s`, `2 h 03 m`).
 */

/** Milliseconds from `startedAt` to `finishedAt`, or to `now` while unfinished; null when it never started. */
export function elapsed(startedAt: number | null, finishedAt: number | null, now: number): number | null {
  if (startedAt === null) return null;
  return Math.max(0, (finishedAt ?? now) - startedAt);
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1_000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(Math.floor(milliseconds / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(milliseconds / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} m ${twoDigits(seconds % 60)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1_440) return `${Math.floor(minutes / 60)} h ${twoDigits(minutes % 60)} m`;
  return `${Math.floor(minutes / 1_440)} d ${twoDigits(Math.floor(minutes / 60) % 24)} h`;
}

/** The duration text, or a dash for something that never started. */
export function formatElapsed(startedAt: number | null, finishedAt: number | null, now: number): string {
  const milliseconds = elapsed(startedAt, finishedAt, now);
  return milliseconds === null ? '—' : formatDuration(milliseconds);
}
