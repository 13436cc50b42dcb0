import { Cron } from 'croner';
import { ScheduleInputError } from './ScheduleInputError.js';

/**
 * A cron pattern read in an IANA time zone: the one place that asks croner when a schedule runs.
 * Croner parses the pattern and does the calendar and daylight-saving arithmetic (see
 * docs/schedules.md for what it does in a DST gap or overlap); this class only turns its answers
 * into epoch milliseconds. Run times are whole seconds.
 */
export class CronSchedule {
  private constructor(
    private readonly cron: Cron,
    /** The pattern as given. */
    readonly pattern: string,
    /** The zone's name, its case set as the time zone database spells it. */
    readonly timeZone: string,
  ) {}

  /**
   * Parses the pattern in the zone. Throws `ScheduleInputError` naming `cron` (croner's message)
   * or `timeZone`. A date instead of a pattern (croner would run it once) is refused too.
   */
  static parse(pattern: string, timeZone: string): CronSchedule {
    const zone = canonicalTimeZone(timeZone);
    let cron: Cron;
    try {
      cron = new Cron(pattern, { timezone: zone, paused: true });
    } catch (error) {
      throw new ScheduleInputError('cron', (error as Error).message);
    }
    if (cron.getPattern() === undefined) {
      throw new ScheduleInputError('cron', `${JSON.stringify(pattern)} is a date, not a cron pattern; a schedule repeats (enqueue with runAt to run once)`);
    }
    return new CronSchedule(cron, pattern, zone);
  }

  /** The first run strictly after `ms`, or null when the pattern has no later time. */
  nextAfter(ms: number): number | null {
    return this.cron.nextRun(new Date(ms))?.getTime() ?? null;
  }

  /** The first run at or after `ms`. */
  firstAtOrAfter(ms: number): number | null {
    // croner answers runs strictly after the reference's whole second.
    const ceiling = Math.ceil(ms / 1000) * 1000;
    return this.nextAfter(ceiling - 1000);
  }

  /** Up to `count` runs strictly after `ms`, oldest first. */
  nextRuns(count: number, ms: number): number[] {
    return this.cron.nextRuns(count, new Date(ms)).map((date) => date.getTime());
  }
}

/**
 * The zone's name if the time zone database knows it (any case), spelt as the database spells
 * it; throws `ScheduleInputError` naming `timeZone` otherwise. A fixed offset such as `+01:00` is
 * not a zone. Aliases stay as given (`Asia/Kolkata` is not turned into `Asia/Calcutta`).
 */
export function canonicalTimeZone(timeZone: string): string {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new ScheduleInputError('timeZone', `${JSON.stringify(timeZone)} is not a time zone the agent knows; use an IANA name such as UTC, Europe/Berlin or America/New_York`);
  }
  return resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The instant as local time in the zone with its UTC offset, in ISO 8601 with whole seconds:
 * `2025-03-10T09:00:00-04:00`.
 */
export function isoInTimeZone(ms: number, timeZone: string): string {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    // Bounded: case variants of alias names could otherwise grow it without end.
    if (partsFormats.size >= 1_000) partsFormats.clear();
    partsFormats.set(timeZone, format);
  }
  const seconds = Math.floor(ms / 1000) * 1000;
  const part = Object.fromEntries(format.formatToParts(seconds).map(({ type, value }) => [type, value]));
  const year = Number(part.year);
  const [month, day, hour, minute, second] = [part.month, part.day, part.hour, part.minute, part.second].map(Number) as [number, number, number, number, number];
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const offsetMinutes = Math.round((local.getTime() - seconds) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}
