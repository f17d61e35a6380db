import { merchantFingerprint, pickDefined } from '../canonical';
import { newId } from '../ids';
import type { ListQuery, Merchant, MerchantInput, MerchantNearbyQuery, MerchantRepository } from '../types';
import type { Db } from './database';
import { GeoTable, Where } from './geo-table';
import { upsertAll } from './upsert';

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

function revive(raw: Record<string, unknown>): Merchant {
  const m = raw as unknown as Merchant;
  return {
    ...m,
    validFrom: date(m.validFrom),
    validTo: date(m.validTo),
    createdAt: new Date(m.createdAt),
    updatedAt: new Date(m.updatedAt),
  };
}

function cityWhere(city?: string): Where {
  return city ? { sql: 't.city = ?', params: [city] } : { sql: '', params: [] };
}

/** 暖新商户 in the embedded store. */
export function createEmbeddedMerchants(db: Db): MerchantRepository {
  const table = new GeoTable<Merchant>(db, {
    table: 'merchants',
    columns: ['external_id', 'city', 'status', 'category', 'valid_from', 'valid_to'],
    toColumns: (m) => [m.externalId, m.city, m.status, m.category, m.validFrom?.getTime() ?? null, m.validTo?.getTime() ?? null],
    revive,
  });
  const build = (input: MerchantInput, now: Date): Merchant => ({ ...input, id: newId(), createdAt: now, updatedAt: now });

  return {
    async create(input, now) {
      return table.insert(build(input, now));
    },
    async get(id) {
      return table.get(id);
    },
    async update(id, changes, now) {
      return db.transaction(() => {
        const current = table.get(id);
        if (!current) return null;
        const next: Merchant = { ...current, ...pickDefined(changes), id, createdAt: current.createdAt, updatedAt: now };
        table.replace(next);
        return next;
      })();
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
    async nearby(q: MerchantNearbyQuery) {
      const at = q.validAt.getTime();
      const conds = ["t.status = 'active'", '(t.valid_from IS NULL OR t.valid_from <= ?)', '(t.valid_to IS NULL OR t.valid_to >= ?)'];
      const params: Array<string | number> = [at, at];
      if (q.city) { conds.push('t.city = ?'); params.push(q.city); }
      if (q.category) { conds.push('t.category = ?'); params.push(q.category); }
      return table.nearby(q.center, q.radiusM, q.limit, { sql: conds.join(' AND '), params });
    },
    async upsertMany(items, now) {
      return upsertAll(db, items, {
        findByExternalId: (ext) => table.findOne({ sql: 't.external_id = ?', params: [ext] }),
        fingerprint: merchantFingerprint,
        insert: (input) => table.insert(build(input, now)),
        replace: (current, input) => {
          table.replace({ ...current, ...pickDefined(input), updatedAt: now });
          return current.id;
        },
      });
    },
  };
}
