import { pickDefined } from '../canonical';
import type { GeoRepository, ListQuery, Located } from '../../shared/domain';
import type { Db } from './database';
import { GeoTable, Where } from './geo-table';
import { upsertAll } from './upsert';

interface Base {
  externalId: string | null;
  city: string;
}

interface Stored extends Base {
  id: string;
  location: { lng: number; lat: number };
  createdAt: Date;
  updatedAt: Date;
}

interface NearbyBase {
  center: { lng: number; lat: number };
  radiusM: number;
  limit: number;
}

export interface GeoRepositorySpec<Input extends Base, Doc extends Input & Stored, Q extends NearbyBase> {
  table: string;
  revive(raw: Record<string, unknown>): Doc;
  /** See GeoTableSpec.seal. */
  seal?(doc: Doc): void;
  build(input: Input, now: Date): Doc;
  fingerprint(d: Input): string;
  /** The nearby filters as one predicate over a stored document. */
  filter(q: Q): (doc: Doc) => boolean;
  /** Indexed columns of the table beyond external_id and city (their migration adds them), with their values. */
  columns?: { names: readonly string[]; values(doc: Doc): Array<string | number | null> };
}

/** Extra reads for aggregates with more to look up than the shared repository offers. */
export interface GeoExtras<Doc> {
  patch(id: string, changes: Partial<Doc>, now: Date): Doc | null;
  /** The first document matching a condition over the table's columns. */
  findOne(where: Where): Doc | null;
  /** Documents the predicate keeps, ids ascending, from the in-memory mirror (no JSON parsing). */
  scan(keep: (doc: Doc) => boolean, limit: number): Doc[];
}

const cityWhere = (city?: string): Where => (city ? { sql: 't.city = ?', params: [city] } : { sql: '', params: [] });

/** The repository every located aggregate shares in the embedded store; `patch` is for extra write methods. */
export function createGeoRepository<Input extends Base, Doc extends Input & Stored, Q extends NearbyBase>(
  db: Db, spec: GeoRepositorySpec<Input, Doc, Q>,
): GeoRepository<Input, Doc, Q> & GeoExtras<Doc> {
  const extra = spec.columns;
  const table = new GeoTable<Doc>(db, {
    table: spec.table,
    columns: ['external_id', 'city', ...(extra?.names ?? [])],
    toColumns: (d) => [d.externalId, d.city, ...(extra?.values(d) ?? [])],
    revive: spec.revive,
    seal: spec.seal,
  });
  const patch = (id: string, changes: Partial<Doc>, now: Date): Doc | null =>
    table.transaction(() => {
      const current = table.get(id);
      if (!current) return null;
      return table.replace({ ...current, ...pickDefined(changes), id, createdAt: current.createdAt, updatedAt: now });
    });

  return {
    patch,
    findOne: (where) => table.findOne(where),
    scan: (keep, limit) => table.scan(keep, limit),
    create: async (input, now) => table.insert(spec.build(input, now)),
    get: async (id) => table.get(id),
    getByExternalId: async (externalId) => table.findOne({ sql: 't.external_id = ?', params: [externalId] }),
    update: async (id, changes, now) => patch(id, changes as Partial<Doc>, now),
    delete: async (id) => table.delete(id),
    list: async (q: ListQuery) => table.list(cityWhere(q.city), q.limit, q.after),
    count: async (filter = {}) => table.count(cityWhere(filter.city)),
    nearby: async (q: Q): Promise<Array<Located<Doc>>> => table.nearby(q.center, q.radiusM, q.limit, spec.filter(q)),
    upsertMany: async (items, now) =>
      upsertAll<Input, Doc>(items, {
        transaction: (fn) => table.transaction(fn),
        findByExternalId: (ext) => table.findOne({ sql: 't.external_id = ?', params: [ext] }),
        fingerprint: spec.fingerprint,
        insert: (input) => table.insert(spec.build(input, now)),
        replace: (current, input) => {
          table.replace({ ...current, ...pickDefined(input), updatedAt: now });
          return current.id;
        },
      }),
  };
}
