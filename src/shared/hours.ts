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

/** Whether the schedule is open at a local time, counting yesterday's ranges that run past midnight. */
export function isOpenAt(hours: OpeningHours, t: LocalTime): boolean {
  if (hours.kind === '24h') return true;
  const today = hours.days[WEEKDAYS[t.weekday] as Weekday] ?? [];
  for (const r of today) {
    const open = toMinutes(r.open);
    const close = toMinutes(r.close);
    if (close > open ? t.minute >= open && t.minute < close : t.minute >= open) return true;
  }
  const yesterday = hours.days[WEEKDAYS[(t.weekday + 6) % 7] as Weekday] ?? [];
  for (const r of yesterday) {
    const open = toMinutes(r.open);
    const close = toMinutes(r.close);
    if (close <= open && t.minute < close) return true;
  }
  return false;
}

/** Today's opening hours as short text for lists: "24小时", "08:00-22:00, 18:00-02:00" or "今日休息". */
export function hoursText(hours: OpeningHours, weekday: number): string {
  if (hours.kind === '24h') return '24小时';
  const today = hours.days[WEEKDAYS[weekday] as Weekday] ?? [];
  return today.length ? today.map((r) => `${r.open}-${r.close}`).join(', ') : '今日休息';
}
