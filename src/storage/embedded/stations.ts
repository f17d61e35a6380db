import { stationFingerprint, pickDefined } from '../canonical';
import { newId } from '../ids';
import {
  AMENITIES, Amenity, ListQuery, Occupancy, Station, StationInput, StationNearbyQuery, StationRepository, UpsertReport,
} from '../types';
import type { Db } from './database';
import { GeoTable, Where } from './geo-table';
import { upsertAll } from './upsert';

/** Amenities as bits, so "has all of these" is one integer test in SQL. */
export function amenityMask(list: readonly Amenity[]): number {
  return list.reduce((m, a) => m | (1 << AMENITIES.indexOf(a)), 0);
}

function revive(raw: Record<string, unknown>): Station {
  const s = raw as unknown as Station & { occupancy: { reportedAt: string | null } };
  return {
    ...s,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
    occupancy: { ...s.occupancy, reportedAt: s.occupancy.reportedAt ? new Date(s.occupancy.reportedAt) : null },
  };
}

function cityWhere(city?: string): Where {
  return city ? { sql: 't.city = ?', params: [city] } : { sql: '', params: [] };
}

/** 暖新驿站 in the embedded store. */
export function createEmbeddedStations(db: Db): StationRepository {
  const table = new GeoTable<Station>(db, {
    table: 'stations',
    columns: ['external_id', 'city', 'status', 'amenity_mask', 'available', 'occupancy_at'],
    toColumns: (s) => [
      s.externalId, s.city, s.status, amenityMask(s.amenities), s.occupancy.available, s.occupancy.reportedAt?.getTime() ?? null,
    ],
    revive,
  });
  const build = (input: StationInput, now: Date): Station => ({
    ...input,
    id: newId(),
    occupancy: { available: null, reportedAt: null, reportedBy: null },
    createdAt: now,
    updatedAt: now,
  });
  const patch = (id: string, changes: Partial<Station>, now: Date): Station | null =>
    db.transaction(() => {
      const current = table.get(id);
      if (!current) return null;
      const next: Station = { ...current, ...pickDefined(changes), id, createdAt: current.createdAt, updatedAt: now };
      table.replace(next);
      return next;
    })();

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
      const conds = ["t.status != 'closed'"];
      const params: Array<string | number> = [];
      if (q.city) { conds.push('t.city = ?'); params.push(q.city); }
      if (q.amenities?.length) {
        const mask = amenityMask(q.amenities);
        conds.push('(t.amenity_mask & ?) = ?');
        params.push(mask, mask);
      }
      if (q.freeSeatsSince) {
        conds.push('t.available > 0 AND t.occupancy_at >= ?');
        params.push(q.freeSeatsSince.getTime());
      }
      return table.nearby(q.center, q.radiusM, q.limit, { sql: conds.join(' AND '), params });
    },
    async upsertMany(items: StationInput[], now: Date): Promise<UpsertReport> {
      return upsertAll(db, items, {
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
