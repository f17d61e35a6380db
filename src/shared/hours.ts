import { deepFreeze } from './freeze';
import { LocalTime, WEEKDAYS, Weekday } from './time';

export interface TimeRange {
  open: string; // "HH:mm", local Asia/Shanghai time
  close: string; // "HH:mm" or "24:00"; at or before `open` means the range runs past midnight
}

export type OpeningHours =
  | { kind: '24h' }
  | { kind: 'weekly'; days: Partial<Record<Weekday, TimeRange[]>> };

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** A weekly schedule worked out once: per weekday its ranges in minutes and its short text. */
interface Compiled {
  ranges: Array<Array<[open: number, close: number]>>;
  text: string[];
}

const COMPILED = Symbol('compiled schedule');
type Days = Partial<Record<Weekday, TimeRange[]>>;
type SealedDays = Days & { readonly [COMPILED]?: Compiled };

function compile(days: Days): Compiled {
  const ranges: Compiled['ranges'] = [];
  const text: string[] = [];
  for (const day of WEEKDAYS) {
    const today = days[day] ?? [];
    ranges.push(today.map((r) => [toMinutes(r.open), toMinutes(r.close)]));
    text.push(today.length ? today.map((r) => `${r.open}-${r.close}`).join(', ') : '今日休息');
  }
  return { ranges, text };
}

/**
 * Freezes a stored schedule with its compiled form kept on it out of sight (a symbol, not enumerable: copies,
 * JSON and equality never see it). The embedded mirror seals its documents' schedules: nearby lists ask every
 * result whether it is open and for today's hours on every request. A schedule that is not sealed (the mongo
 * driver's documents, a caller's input) is read directly each time, so changing it never gives a stale answer.
 */
export function sealHours(hours: OpeningHours): void {
  if (hours.kind === 'weekly' && !Object.isFrozen(hours.days)) {
    const c = compile(hours.days);
    deepFreeze(c);
    Object.defineProperty(hours.days, COMPILED, { value: c });
  }
  deepFreeze(hours);
}

/** The compiled schedule of a sealed schedule; undefined for one that may still change. */
const compiled = (days: Days): Compiled | undefined => (days as SealedDays)[COMPILED];

const rangesOn = (days: Days, weekday: number): Array<[number, number]> =>
  compiled(days)?.ranges[weekday] ?? (days[WEEKDAYS[weekday] as Weekday] ?? []).map((r) => [toMinutes(r.open), toMinutes(r.close)]);

/** Whether the schedule is open at a local time, counting yesterday's ranges that run past midnight. */
export function isOpenAt(hours: OpeningHours, t: LocalTime): boolean {
  if (hours.kind === '24h') return true;
  for (const [open, close] of rangesOn(hours.days, t.weekday)) {
    if (close > open ? t.minute >= open && t.minute < close : t.minute >= open) return true;
  }
  for (const [open, close] of rangesOn(hours.days, (t.weekday + 6) % 7)) {
    if (close <= open && t.minute < close) return true;
  }
  return false;
}

/** Today's opening hours as short text for lists: "24小时", "08:00-22:00, 18:00-02:00" or "今日休息". */
export function hoursText(hours: OpeningHours, weekday: number): string {
  if (hours.kind === '24h') return '24小时';
  const known = compiled(hours.days)?.text[weekday];
  if (known !== undefined) return known;
  const today = hours.days[WEEKDAYS[weekday] as Weekday] ?? [];
  return today.length ? today.map((r) => `${r.open}-${r.close}`).join(', ') : '今日休息';
}
