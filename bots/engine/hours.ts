import type { Hours } from '../api-contract';

const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
// China has kept UTC+8 all year since 1991: the cities' wall clock is UTC shifted by eight hours.
const CST_OFFSET_MS = 8 * 3_600_000;

type Range = [open: number, close: number];

/** Weekday (0 = Sunday) and minute of the day in Chongqing and Chengdu. */
export function localClock(now: Date): { weekday: number; minute: number } {
  const t = new Date(now.getTime() + CST_OFFSET_MS);
  return { weekday: t.getUTCDay(), minute: t.getUTCHours() * 60 + t.getUTCMinutes() };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** '08:00' as riders write it: '8:00'. */
export const clockText = (minutes: number): string => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

/** Today's ranges from the API's todayHours ('08:00-22:00, 18:00-02:00'); empty for '今日休息' or anything unreadable. */
export function parseRanges(text: string): Range[] {
  return [...text.matchAll(/(\d\d:\d\d)\s*-\s*(\d\d:\d\d)/g)].map((m) => [toMinutes(m[1] as string), toMinutes(m[2] as string)]);
}

const rangesOn = (hours: Hours, weekday: number): Range[] =>
  hours.kind === '24h' ? [[0, 24 * 60]] : (hours.days[WEEKDAY_KEYS[weekday] as string] ?? []).map((r) => [toMinutes(r.open), toMinutes(r.close)]);

/** Until when an open place stays open: '营业至22:00', '营业至次日2:00'. */
function closingText(ranges: Range[], minute: number): string | null {
  const r = ranges.find(([open, close]) => minute >= open && (close <= open || minute < close));
  if (!r) return null;
  return r[1] <= r[0] ? `营业至次日${clockText(r[1])}` : `营业至${clockText(r[1])}`;
}

/** The next opening after today, from the weekly hours: '明天8:00开门', '周一9:00开门'. */
function nextOpeningText(hours: Hours, weekday: number): string | null {
  for (let ahead = 1; ahead <= 7; ahead += 1) {
    const first = rangesOn(hours, (weekday + ahead) % 7)[0];
    if (first) return `${ahead === 1 ? '明天' : WEEKDAY_NAMES[(weekday + ahead) % 7]}${clockText(first[0])}开门`;
  }
  return null;
}

/**
 * Today's hours in a rider's words, from the API's openNow and todayHours, and the weekly hours where given:
 * '24小时营业', '营业至22:00', '今天18:00开门', '明天8:00开门', or '今日已打烊（8:00-22:00）'.
 */
export function hoursPhrase(p: { openNow: boolean; todayHours?: string; hours?: Hours }, now: Date): string {
  const { weekday, minute } = localClock(now);
  if (p.todayHours === '24小时' || p.hours?.kind === '24h') return '24小时营业';
  const today = p.todayHours !== undefined ? parseRanges(p.todayHours) : p.hours ? rangesOn(p.hours, weekday) : [];
  if (p.openNow) return closingText(today, minute) ?? '营业中';
  const later = today.filter(([open]) => open > minute).sort((a, b) => a[0] - b[0])[0];
  if (later) return `今天${clockText(later[0])}开门`;
  const next = p.hours ? nextOpeningText(p.hours, weekday) : null;
  if (next) return today.length === 0 ? `今日休息，${next}` : next;
  if (today.length === 0) return p.todayHours ? '今日休息' : '现在未开放';
  return `今日已打烊（${today.map(([o, c]) => `${clockText(o)}-${clockText(c)}`).join('、')}）`;
}

/** True when the phrase could name tomorrow's opening, given the weekly hours (a closed place with no later hours today). */
export function needsWeeklyHours(p: { openNow: boolean; todayHours?: string }, now: Date): boolean {
  if (p.openNow || p.todayHours === '24小时') return false;
  const { minute } = localClock(now);
  return !parseRanges(p.todayHours ?? '').some(([open]) => open > minute);
}
