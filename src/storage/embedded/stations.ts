import { stationFingerprint, pickDefined } from '../canonical';
import { newId } from '../ids';
import type { ListQuery, Occupancy, Station, StationInput, StationNearbyQuery, StationRepository, UpsertReport } from '../types';
import type { Db } from './database';
import { GeoTable, Where } from './geo-table';
import { upsertAll } from './upsert';

function revive(raw: Record<string, unknown>): Station {
  const s = raw as unknown as Station & { occupancy: { reportedAt: string | null } };
  return {
    ...s,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
    occupancy: { ...s.occupancy, reportedAt: s.occupancy.reportedAt ? new Date(s.occupancy.reportedAt) : null },
  };
}

export function cityWhere(city?: string): Where {
  return city ? { sql: 't.city = ?', params: [city] } : { sql: '', params: [] };
}

/** The nearby filters as one predicate over a stored station. */
function stationFilter(q: StationNearbyQuery): (s: Station) => boolean {
  const since = q.freeSeatsSince?.getTime();
  return (s) =>
    s.status !== 'closed' &&
    (!q.city || s.city === q.city) &&
    (!q.amenities || q.amenities.every((a) => s.amenities.includes(a))) &&
    (since === undefined || ((s.occupancy.available ?? 0) > 0 && (s.occupancy.reportedAt?.getTime() ?? -Infinity) >= since));
}

/** 暖新驿站 in the embedded store. */
export function createEmbeddedStations(db: Db): StationRepository {
  const table = new GeoTable<Station>(db, { table: 'stations', columns: ['external_id', 'city'], toColumns: (s) => [s.externalId, s.city], revive });
  const build = (input: StationInput, now: Date): Station => ({
    ...input,
    id: newId(),
    occupancy: { available: null, reportedAt: null, reportedBy: null },
    createdAt: now,
    updatedAt: now,
  });
  const patch = (id: string, changes: Partial<Station>, now: Date): Station | null =>
    table.transaction(() => {
      const current = table.get(id);
      if (!current) return null;
      const next: Station = { ...current, ...pickDefined(changes), id, createdAt: current.createdAt, updatedAt: now };
      table.replace(next);
      return next;
    });

  return {
    async create(input, now) {
      return table.insert(build(input, now));
    },
    async get(id) {
      return table.get(id);
    },
    async update(id, changes, now) {
      return patch(id, changes, now);
    },
    async delete(id) {
      return table.delete(id);
    },
    async list(q: ListQuery) {
      return table.list(cityWhere(q.city), q.limit, q.after);
    },
    async count(filter = {}) {
      return table.count(cityWhere(filter.city));
    },
    async nearby(q: StationNearbyQuery) {
      return table.nearby(q.center, q.radiusM, q.limit, stationFilter(q));
    },
    async upsertMany(items: StationInput[], now: Date): Promise<UpsertReport> {
      return upsertAll(items, {
        transaction: (fn) => table.transaction(fn),
        findByExternalId: (ext) => table.findOne({ sql: 't.external_id = ?', params: [ext] }),
        fingerprint: stationFingerprint,
        insert: (input) => table.insert(build(input, now)),
        replace: (current, input) => {
          table.replace({ ...current, ...pickDefined(input), updatedAt: now });
          return current.id;
        },
      });
    },
    async setOccupancy(id: string, occupancy: Occupancy, now: Date) {
      return patch(id, { occupancy }, now);
    },
  };
}
