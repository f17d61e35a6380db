import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import { GeoTable } from '../../../storage/embedded/geo-table';
import { isId } from '../../../storage/ids';
import { pageLimit } from '../../../storage/limits';
import { ConflictError } from '../../../shared/errors';
import type { HazardQuery, HazardReport, HazardRepository, HazardsStorage, PointsEntry, PointsRepository } from '../hazards.types';
import { OPEN_STATUSES } from '../hazards.types';

export const hazardMigrations: readonly string[] = [
  `CREATE TABLE hazard_reports (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     city TEXT NOT NULL,
     status TEXT NOT NULL,
     category TEXT NOT NULL,
     reporter_id TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX hazard_reports_city ON hazard_reports (city, status, id);
   CREATE TABLE hazard_points (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     rider_id TEXT NOT NULL,
     award_key TEXT NOT NULL UNIQUE,
     doc TEXT NOT NULL
   );
   CREATE INDEX hazard_points_rider ON hazard_points (rider_id, id);`,
];

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

function revive(raw: Record<string, unknown>): HazardReport {
  const r = raw as unknown as HazardReport;
  return {
    ...r,
    updates: r.updates.map((u) => ({ ...u, at: new Date(u.at) })),
    statusSince: new Date(r.statusSince), triagedAt: date(r.triagedAt), resolvedAt: date(r.resolvedAt),
    createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt),
  };
}

const asList = <T>(v: T | readonly T[] | undefined): readonly T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? (v as readonly T[]) : [v as T]);

/** The list filters as one predicate over a stored report. */
export function hazardFilter(q: HazardQuery): (r: HazardReport) => boolean {
  const statuses = asList(q.status);
  return (r) =>
    (!q.city || r.city === q.city) &&
    (!statuses || statuses.includes(r.status)) &&
    (!q.category || r.category === q.category) &&
    (!q.district || r.district === q.district) &&
    (!q.class || r.class === q.class) &&
    (!q.bodyId || r.route.bodyId === q.bodyId) &&
    (!q.bodyIds || (r.route.bodyId !== null && q.bodyIds.includes(r.route.bodyId))) &&
    (!q.compoundIds || (r.route.compoundId !== null && q.compoundIds.includes(r.route.compoundId))) &&
    (!q.reporterId || r.reporterId === q.reporterId) &&
    (!q.followerId || r.followers.includes(q.followerId)) &&
    (!q.createdSince || r.createdAt >= q.createdSince) &&
    (!q.createdBefore || r.createdAt < q.createdBefore) &&
    (!q.after || r.id > q.after);
}

function createEmbeddedHazards(db: Db): HazardRepository {
  const table = new GeoTable<HazardReport>(db, {
    table: 'hazard_reports',
    columns: ['city', 'status', 'category', 'reporter_id'],
    toColumns: (r) => [r.city, r.status, r.category, r.reporterId],
    revive,
  });
  // The check reads SQL, not the mirror: inside a unit of work the mirror does not show the unit's own writes yet.
  const storedUpdatedAt = db.prepare("SELECT json_extract(doc, '$.updatedAt') FROM hazard_reports WHERE id = ?").pluck();
  return {
    create: async (r) => table.insert(r),
    get: async (id) => (isId(id) ? table.get(id) : null),
    replace: async (r, expected) => table.transaction(() => {
      const current = storedUpdatedAt.get(r.id) as string | undefined;
      if (current === undefined || new Date(current).getTime() !== expected.getTime()) return null;
      return table.replace(r);
    }),
    // Lists read the in-memory mirror (no JSON parsing); a cursor that is not an id matches nothing.
    list: async (q) => (q.after !== undefined && !isId(q.after) ? [] : table.scan(hazardFilter(q), pageLimit(q.limit))),
    nearbyOpen: async (q) => table.nearby(q.center, q.radiusM, q.limit,
      (r) => r.category === q.category && OPEN_STATUSES.includes(r.status) && !r.hidden && r.createdAt >= q.since),
  };
}

function createEmbeddedPoints(db: Db): PointsRepository {
  const table = new DocTable<PointsEntry & { awardKey: string }>(db, {
    table: 'hazard_points',
    columns: ['rider_id', 'award_key'],
    toColumns: (e) => [e.riderId, e.awardKey],
    dates: ['at'],
  });
  const sum = db.prepare("SELECT coalesce(sum(json_extract(doc, '$.points')), 0) FROM hazard_points WHERE rider_id = ?").pluck();
  return {
    async award(e) {
      try {
        table.insert({ ...e, awardKey: `${e.riderId}:${e.reason}:${e.reportId}` });
        return true;
      } catch (err) {
        if (err instanceof ConflictError) return false;
        throw err;
      }
    },
    list: async (riderId, q) => table.list([['rider_id = ?', riderId]], { limit: q.limit, after: q.after })
      .map(({ awardKey: _k, ...e }) => e),
    total: async (riderId) => sum.get(riderId) as number,
  };
}

export function openEmbeddedHazards(db: Db): HazardsStorage {
  return { hazards: createEmbeddedHazards(db), points: createEmbeddedPoints(db) };
}
