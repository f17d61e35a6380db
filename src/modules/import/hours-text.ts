import { WEEKDAYS } from '../../shared/time';
import type { TimeRange } from '../../shared/hours';
import { FieldError } from './import.types';

const ALL_DAY = /^(24\s*(小时|h|hours?)|全天)(营业|开放)?$/i;
const DASH = '(?:至|到|~|～|-|–|—)';
const RANGE = new RegExp(`^(\\d{1,2}):(\\d{2})${DASH}(\\d{1,2}):(\\d{2})$`);
const CLOSED = /^(.*?)\s*(休息|休|关闭|不营业|closed)$/i;
const ZH_DAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const EN_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

const fail = (message: string): never => {
  throw new FieldError('hours', message);
};

function dayIndex(token: string): number {
  const zh = /^(?:周|星期|礼拜)([一二三四五六日天])$/.exec(token);
  if (zh) return ZH_DAY[zh[1] as string] as number;
  const en = /^[a-z]{3,9}$/i.test(token) ? EN_DAY.indexOf(token.slice(0, 3).toLowerCase()) : -1;
  return en >= 0 ? en : fail(`无法识别的星期「${token}」`);
}

/** '周一至周五', '周六,周日', '工作日', 'Mon-Fri' or nothing (every day) -> weekday numbers, 0 = Sunday. */
export function parseDays(spec: string): number[] {
  if (/^(|每天|每日|天天|daily)$/i.test(spec)) return EVERY_DAY;
  if (spec === '工作日') return [1, 2, 3, 4, 5];
  if (spec === '周末') return [6, 0];
  const days: number[] = [];
  for (const token of spec.split(/[,，、\s]+/).filter(Boolean)) {
    const ends = token.split(new RegExp(DASH)).map(dayIndex);
    if (ends.length > 2) fail(`无法识别的星期范围「${token}」`);
    const [from, to = from] = ends as [number, number?];
    for (let d = from; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === to) break;
    }
  }
  return days;
}

function parseRanges(text: string): TimeRange[] {
  return text.split(/[,，、\s]+/).filter(Boolean).map((token) => {
    const m = RANGE.exec(token) ?? fail(`无法识别的时间段「${token}」，应为 HH:mm-HH:mm`);
    return { open: `${m[1]?.padStart(2, '0')}:${m[2]}`, close: `${m[3]?.padStart(2, '0')}:${m[4]}` };
  });
}

function parseSegment(segment: string): { days: number[]; ranges: TimeRange[] | null } {
  const closed = CLOSED.exec(segment);
  if (closed) return { days: parseDays((closed[1] ?? '').trim()), ranges: null };
  const m = /^(\D*?)\s*(\d.*)$/.exec(segment) ?? fail(`无法识别的营业时间「${segment}」`);
  return { days: parseDays((m[1] ?? '').trim()), ranges: parseRanges(m[2] ?? '') };
}

function parseWeekly(text: string): unknown {
  const days: Record<string, TimeRange[]> = {};
  for (const segment of text.split(/[;；\n]+/).map((s) => s.trim()).filter(Boolean)) {
    const { days: which, ranges } = parseSegment(segment);
    for (const d of which) {
      const key = WEEKDAYS[d] as string;
      if (ranges) days[key] = [...(days[key] ?? []), ...ranges];
      else delete days[key];
    }
  }
  if (Object.keys(days).length === 0) fail('营业时间中没有任何开放时段');
  return { kind: 'weekly', days };
}

/** Reads hours as '24小时', '08:00-22:00', '周一至周五 08:00-20:00; 周六,周日 09:00-18:00' or JSON; the schema checks the result. */
export function parseHoursText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(/：/g, ':').replace(new RegExp(`\\s*${DASH}\\s*`, 'g'), (s) => s.trim());
  if (ALL_DAY.test(text)) return { kind: '24h' };
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      return fail('营业时间的 JSON 格式有误');
    }
  }
  return parseWeekly(text);
}
