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

let memo: { minute: number; value: LocalTime } | null = null;

/**
 * Wall-clock weekday and minute in Asia/Shanghai. dayjs.tz goes through Intl on every call (~100 µs, a quarter of
 * a nearby request), and opening hours have minute resolution, so the answer is kept for the current minute.
 */
export function localTime(at: Date): LocalTime {
  const minute = Math.floor(at.getTime() / 60_000);
  if (memo?.minute !== minute) {
    const d = dayjs(at).tz(CITY_TZ);
    memo = { minute, value: { weekday: d.day(), minute: d.hour() * 60 + d.minute() } };
  }
  return memo.value;
}
