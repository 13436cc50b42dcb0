/**
 * Times in the task list: the browser's locale, short date and time. One shared formatter,
 * because `toLocaleString` builds a new one per call, which costs milliseconds per frame when a
 * fast scroll renders a screenful of new rows every frame.
 */
const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** An epoch-milliseconds time, or a dash when there is none. */
export function formatListTime(epochMs: number | null): string {
  return epochMs === null ? '—' : formatter.format(epochMs);
}
