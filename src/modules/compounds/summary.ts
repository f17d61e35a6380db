import dayjs from 'dayjs';
import { toCsv } from '../../shared/csv-out';
import { CITY_TZ } from '../../shared/time';
import type { AccessRequest, Compound, CompoundsStorage, EntryEvent } from './compounds.types';

export interface DailySummary {
  date: string;
  requests: number;
  approvals: number;
  denials: number;
  medianApprovalMinutes: number | null;
  entries: number;
  allowed: number;
  refusals: Record<string, number>;
}

const PAGE = 500;

/** Every item of a keyset-paged list. */
async function all<T extends { id: string }>(fetch: (cursor: string | undefined) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const batch = await fetch(cursor);
    out.push(...batch);
    if (batch.length < PAGE) return out;
    cursor = (batch[batch.length - 1] as T).id;
  }
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** One day (Asia/Shanghai) at a compound: requests made that day and how they were decided, and the day's gate checks. */
export async function dailySummary(storage: CompoundsStorage, compound: Compound, date: string | undefined, now: Date): Promise<DailySummary> {
  const day = date ? dayjs.tz(date, CITY_TZ) : dayjs(now).tz(CITY_TZ).startOf('day');
  const since = day.toDate();
  const until = day.add(1, 'day').toDate();
  const requests = await all<AccessRequest>((after) => storage.accessRequests.list({ compoundIds: [compound.id], createdSince: since, createdBefore: until, limit: PAGE, after }));
  const entries = await all<EntryEvent>((before) => storage.entries.list({ compoundId: compound.id, since, until, limit: PAGE, before }));
  const approved = requests.filter((r) => r.status === 'approved');
  const refusals: Record<string, number> = {};
  for (const e of entries) if (!e.allowed) refusals[e.reason] = (refusals[e.reason] ?? 0) + 1;
  const minutes = approved.filter((r) => r.decidedAt).map((r) => ((r.decidedAt as Date).getTime() - r.createdAt.getTime()) / 60_000);
  const m = median(minutes);
  return {
    date: day.format('YYYY-MM-DD'),
    requests: requests.length,
    approvals: approved.length,
    denials: requests.filter((r) => r.status === 'denied').length,
    medianApprovalMinutes: m === null ? null : Math.round(m * 10) / 10,
    entries: entries.length,
    allowed: entries.filter((e) => e.allowed).length,
    refusals,
  };
}

/** The summary as a spreadsheet: one row per figure, refusals one row per reason (cells neutralised by toCsv). */
export function summaryCsv(compound: Compound, s: DailySummary): string {
  const rows: unknown[][] = [
    [compound.name, s.date, '申请数', s.requests],
    [compound.name, s.date, '批准数', s.approvals],
    [compound.name, s.date, '拒绝数', s.denials],
    [compound.name, s.date, '批准用时中位数（分钟）', s.medianApprovalMinutes ?? ''],
    [compound.name, s.date, '核验次数', s.entries],
    [compound.name, s.date, '允许进入', s.allowed],
    ...Object.entries(s.refusals).map(([reason, n]) => [compound.name, s.date, `拒绝：${reason}`, n]),
  ];
  return toCsv(['小区', '日期', '项目', '数值'], rows);
}
