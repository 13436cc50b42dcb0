/** An epoch-milliseconds time in the browser's locale; a dash when there is none. */
export function formatTime(epochMs: number | null): string {
  return epochMs === null ? '—' : new Date(epochMs).toLocaleString();
}
