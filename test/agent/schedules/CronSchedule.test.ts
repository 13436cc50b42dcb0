import { describe, expect, it } from 'vitest';
import { CronSchedule, canonicalTimeZone, isoInTimeZone } from '../../../agent/schedules/CronSchedule.js';
import { ScheduleInputError } from '../../../agent/schedules/ScheduleInputError.js';

/** The zone's wall clock at the instant, as if it were UTC, minus the instant: its offset in ms. Intl only. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(ms)
      .map(({ type, value }) => [type, Number(value)]),
  );
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - ms;
}

/** The instant at which the wall clock in the zone reads the given local time (one that exists once). */
function instantOfLocal(timeZone: string, year: number, month: number, day: number, hour: number): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  let instant = wall;
  for (let round = 0; round < 3; round += 1) instant = wall - offsetAt(instant, timeZone);
  return instant;
}

function refusal(run: () => unknown): ScheduleInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleInputError);
    return error as ScheduleInputError;
  }
  throw new Error('expected a ScheduleInputError');
}

describe('CronSchedule', () => {
  it('refuses a bad pattern with croner’s message, naming cron', () => {
    const error = refusal(() => CronSchedule.parse('61 * * * *', 'UTC'));
    expect(error.field).toBe('cron');
    expect(error.message).toMatch(/minute/i);
    expect(refusal(() => CronSchedule.parse('every day', 'UTC')).field).toBe('cron');
    expect(refusal(() => CronSchedule.parse('@reboot', 'UTC')).field).toBe('cron');
  });

  it('refuses a date, which croner would run once, not repeat', () => {
    const error = refusal(() => CronSchedule.parse('2030-01-23T00:00:00', 'UTC'));
    expect(error.field).toBe('cron');
    expect(error.message).toMatch(/date, not a cron pattern/);
  });

  it('refuses an unknown time zone or a fixed offset, naming timeZone', () => {
    expect(refusal(() => CronSchedule.parse('0 9 * * *', 'Mars/Olympus_Mons')).field).toBe('timeZone');
    expect(refusal(() => CronSchedule.parse('0 9 * * *', '+01:00')).field).toBe('timeZone');
  });

  it('spells a zone as the database does, whatever its case, and keeps aliases', () => {
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('answers runs strictly after a time, and at or after it', () => {
    const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
    const whole = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(everySecond.nextAfter(whole)).toBe(whole + 1000);
    expect(everySecond.firstAtOrAfter(whole)).toBe(whole);
    expect(everySecond.firstAtOrAfter(whole + 1)).toBe(whole + 1000);
    expect(everySecond.nextRuns(3, whole + 500)).toEqual([whole + 1000, whole + 2000, whole + 3000]);
    expect(CronSchedule.parse('0 0 30 2 *', 'UTC').nextAfter(whole)).toBeNull();
  });

  it("reads '0 9 * * *' in each zone's own clock, across both zones' DST changes", () => {
    const from = Date.UTC(2024, 2, 8);
    const days = 30;
    for (const zone of ['America/New_York', 'Europe/Berlin']) {
      const runs = CronSchedule.parse('0 9 * * *', zone).nextRuns(days, from);
      expect(runs).toEqual(Array.from({ length: days }, (_, day) => instantOfLocal(zone, 2024, 3, 8 + day, 9)));
    }
    const newYork = CronSchedule.parse('0 9 * * *', 'America/New_York').nextRuns(days, from);
    const berlin = CronSchedule.parse('0 9 * * *', 'Europe/Berlin').nextRuns(days, from);
    // New York moves its clocks on 10 March 2024, Berlin on 31 March.
    expect(new Date(newYork[0]!).toISOString()).toBe('2024-03-08T14:00:00.000Z');
    expect(new Date(newYork[3]!).toISOString()).toBe('2024-03-11T13:00:00.000Z');
    expect(new Date(berlin[22]!).toISOString()).toBe('2024-03-30T08:00:00.000Z');
    expect(new Date(berlin[24]!).toISOString()).toBe('2024-04-01T07:00:00.000Z');
    expect(newYork.map((at, day) => (at - berlin[day]!) / 3_600_000)).toEqual(Array.from({ length: days }, (_, day) => (day >= 2 && day < 23 ? 5 : 6)));
  });

  it('states local times with their offset in the zone', () => {
    expect(isoInTimeZone(Date.UTC(2024, 2, 9, 14), 'America/New_York')).toBe('2024-03-09T09:00:00-05:00');
    expect(isoInTimeZone(Date.UTC(2024, 2, 11, 13), 'America/New_York')).toBe('2024-03-11T09:00:00-04:00');
    expect(isoInTimeZone(Date.UTC(2024, 6, 1, 7), 'Europe/Berlin')).toBe('2024-07-01T09:00:00+02:00');
    expect(isoInTimeZone(Date.UTC(2024, 0, 1, 3, 30), 'Asia/Kolkata')).toBe('2024-01-01T09:00:00+05:30');
    expect(isoInTimeZone(Date.UTC(2024, 0, 1), 'UTC')).toBe('2024-01-01T00:00:00+00:00');
  });

  describe('daylight saving, as docs/schedules.md states it', () => {
    const newYork = 'America/New_York';

    it('a fixed time in the spring-forward gap runs at the first time after it, the same day', () => {
      const runs = CronSchedule.parse('30 2 * * *', newYork).nextRuns(3, Date.UTC(2024, 2, 9));
      expect(runs.map((at) => isoInTimeZone(at, newYork))).toEqual(['2024-03-09T02:30:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-11T02:30:00-04:00']);
    });

    it('an interval job skips the times in the gap', () => {
      const runs = CronSchedule.parse('*/30 2 * * *', newYork).nextRuns(4, Date.UTC(2024, 2, 9, 12));
      expect(runs.map((at) => isoInTimeZone(at, newYork))).toEqual(['2024-03-11T02:00:00-04:00', '2024-03-11T02:30:00-04:00', '2024-03-12T02:00:00-04:00', '2024-03-12T02:30:00-04:00']);
    });

    it('a fixed time that occurs twice in the fall-back overlap runs once, at the first', () => {
      const runs = CronSchedule.parse('30 1 * * *', newYork).nextRuns(2, Date.UTC(2024, 10, 2, 12));
      expect(runs.map((at) => isoInTimeZone(at, newYork))).toEqual(['2024-11-03T01:30:00-04:00', '2024-11-04T01:30:00-05:00']);
    });

    it('an interval job runs on both passes through the repeated hour', () => {
      const runs = CronSchedule.parse('*/30 1 * * *', newYork).nextRuns(4, Date.UTC(2024, 10, 2, 12));
      expect(runs.map((at) => isoInTimeZone(at, newYork))).toEqual(['2024-11-03T01:00:00-04:00', '2024-11-03T01:30:00-04:00', '2024-11-03T01:00:00-05:00', '2024-11-03T01:30:00-05:00']);
    });
  });
});
