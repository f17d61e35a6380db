import type { City } from '../../shared/domain';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { isId } from '../../storage/ids';
import { HAZARD_STATUSES, OPEN_STATUSES, type HazardReport, type HazardsStorage, type HazardStatus } from '../hazards/hazards.types';
import type { RequestsQuery } from './open311.schema';

const DAY_MS = 86_400_000;
/** The specification's limits: a span of at most 90 days (90 by default) and at most 1,000 requests. */
export const WINDOW_MS = 90 * DAY_MS;
export const MAX_REQUESTS = 1000;
const PAGE = 1000;
const CLOSED_STATUSES: readonly HazardStatus[] = HAZARD_STATUSES.filter((s) => !OPEN_STATUSES.includes(s));

/** The requested_datetime range, both ends included: the given dates, else the 90 days up to end_date or now. */
export function windowOf(q: { start_date?: Date; end_date?: Date }, now: Date): { since: Date; until: Date } {
  const { start_date: start, end_date: end } = q;
  if (start && end && end < start) throw new ValidationError('end_date 不能早于 start_date', [{ field: 'end_date', message: '不能早于 start_date' }]);
  if (start && end && end.getTime() - start.getTime() > WINDOW_MS) {
    throw new ValidationError('start_date 与 end_date 相隔不能超过 90 天', [{ field: 'end_date', message: '与 start_date 相隔不能超过 90 天' }]);
  }
  const until = end ?? (start ? new Date(start.getTime() + WINDOW_MS) : now);
  return { since: start ?? new Date(until.getTime() - WINDOW_MS), until };
}

const statusesOf = (wanted: ReadonlyArray<'open' | 'closed'> | undefined): readonly HazardStatus[] | undefined =>
  !wanted || wanted.length !== 1 ? undefined : wanted[0] === 'open' ? OPEN_STATUSES : CLOSED_STATUSES;

const newestFirst = (a: HazardReport, b: HazardReport): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Reads of reports as Open311 requests: one jurisdiction's, never hidden ones (the content check said review). */
export function createRequestReader(storage: Pick<HazardsStorage, 'hazards'>) {
  const visibleIn = (city: City) => (r: HazardReport | null): r is HazardReport => !!r && r.city === city && !r.hidden;

  /** The newest requests of the window matching the filters, at most 1,000. */
  async function inWindow(city: City, q: RequestsQuery, now: Date): Promise<HazardReport[]> {
    const { since, until } = windowOf(q, now);
    const codes = q.service_code;
    const base = {
      city, status: statusesOf(q.status), category: codes?.length === 1 ? codes[0] : undefined,
      createdSince: since, createdBefore: new Date(until.getTime() + 1), limit: PAGE,
    };
    let kept: HazardReport[] = [];
    for (let after: string | undefined; ;) {
      const page = await storage.hazards.list({ ...base, after });
      kept.push(...page.filter((r) => visibleIn(city)(r) && (!codes || codes.includes(r.category))));
      if (kept.length > 2 * MAX_REQUESTS) kept = kept.sort(newestFirst).slice(0, MAX_REQUESTS);
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id;
    }
    return kept.sort(newestFirst).slice(0, MAX_REQUESTS);
  }

  return {
    /** GET requests: the listed ids when given (they override every other filter), else the window. */
    async list(city: City, q: RequestsQuery, now: Date): Promise<HazardReport[]> {
      if (!q.service_request_id) return inWindow(city, q, now);
      const found = await Promise.all(q.service_request_id.map((id) => (isId(id) ? storage.hazards.get(id) : null)));
      return found.filter(visibleIn(city));
    },
    /** One request of the jurisdiction; 404 when unknown, another jurisdiction's or hidden. */
    async one(city: City, id: string): Promise<HazardReport> {
      const r = isId(id) ? await storage.hazards.get(id) : null;
      if (!visibleIn(city)(r)) throw new NotFoundError(`没有这个 service_request_id：${id.slice(0, 40)}（在辖区 ${city} 内）`);
      return r;
    },
  };
}

export type RequestReader = ReturnType<typeof createRequestReader>;
