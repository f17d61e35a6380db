import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const CITY_TZ = 'Asia/Shanghai';

/** Injected time source: tests pass a fixed clock instead of faking timers. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved, for tests and scripts. */
export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => { t = new Date(d).getTime(); },
    advance: (ms) => { t += ms; },
  };
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock time in Asia/Shanghai, whatever the server's timezone. */
export interface LocalTime {
  weekday: number; // 0 = Sunday
  minute: number; // minutes since local midnight
}

export function localTime(at: Date): LocalTime {
  const d = dayjs(at).tz(CITY_TZ);
  return { weekday: d.day(), minute: d.hour() * 60 + d.minute() };
}
