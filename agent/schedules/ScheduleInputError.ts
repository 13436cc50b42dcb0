/** A schedule's pattern or time zone that cannot be used; `field` names which (`cron`, `timeZone`). */
export class ScheduleInputError extends Error {
  override readonly name = 'ScheduleInputError';

  constructor(
    readonly field: 'cron' | 'timeZone',
    message: string,
  ) {
    super(message);
  }
}
