import { CITY_TZ } from '../../shared/time';
import dayjs from 'dayjs';
import type { City } from '../../shared/domain';
import type { HazardReport, HazardsStorage } from './hazards.types';

export interface HazardStats {
  total: number;
  byCategory: Record<string, number>;
  byDistrict: Record<string, number>;
  byClass: Record<string, number>;
  byStatus: Record<string, number>;
  medianHoursToTriage: number | null;
  medianHoursToResolve: number | null;
}

const PAGE = 1000;

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const v = s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  return Math.round(v * 10) / 10;
}

/** Counts by a key; a Map, so keys such as "constructor" or "__proto__" are counted like any other. */
const count = (rs: HazardReport[], key: (r: HazardReport) => string): Record<string, number> => {
  const out = new Map<string, number>();
  for (const r of rs) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return Object.fromEntries(out);
};

/** Counts and medians over a city's reports created in [since, until] (Asia/Shanghai days). */
export async function hazardStats(storage: HazardsStorage, q: { city: City; since?: string; until?: string; bodyIds?: readonly string[] }): Promise<HazardStats> {
  const createdSince = q.since ? dayjs.tz(q.since, CITY_TZ).toDate() : undefined;
  const createdBefore = q.until ? dayjs.tz(q.until, CITY_TZ).add(1, 'day').toDate() : undefined;
  const all: HazardReport[] = [];
  for (let after: string | undefined; ;) {
    const page = await storage.hazards.list({ city: q.city, bodyIds: q.bodyIds, createdSince, createdBefore, limit: PAGE, after });
    all.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id;
  }
  const hours = (from: Date, to: Date | null) => (to ? (to.getTime() - from.getTime()) / 3_600_000 : null);
  return {
    total: all.length,
    byCategory: count(all, (r) => r.category),
    byDistrict: count(all, (r) => r.district ?? '未知'),
    byClass: count(all, (r) => r.class),
    byStatus: count(all, (r) => r.status),
    medianHoursToTriage: median(all.map((r) => hours(r.createdAt, r.triagedAt)).filter((h): h is number => h !== null)),
    medianHoursToResolve: median(all.map((r) => hours(r.createdAt, r.resolvedAt)).filter((h): h is number => h !== null)),
  };
}

/** The statistics as spreadsheet rows (toCsv neutralises every cell). */
export function statsCsvRows(s: HazardStats): unknown[][] {
  return [
    ['总数', '', s.total],
    ...Object.entries(s.byCategory).map(([k, v]) => ['类别', k, v]),
    ...Object.entries(s.byDistrict).map(([k, v]) => ['区县', k, v]),
    ...Object.entries(s.byClass).map(([k, v]) => ['三事分类', k, v]),
    ...Object.entries(s.byStatus).map(([k, v]) => ['状态', k, v]),
    ['分派用时中位数（小时）', '', s.medianHoursToTriage ?? ''],
    ['解决用时中位数（小时）', '', s.medianHoursToResolve ?? ''],
  ];
}
