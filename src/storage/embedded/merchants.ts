import { merchantFingerprint, pickDefined } from '../canonical';
import { newId } from '../ids';
import type { ListQuery, Merchant, MerchantInput, MerchantNearbyQuery, MerchantRepository } from '../types';
import type { Db } from './database';
import { GeoTable } from './geo-table';
import { cityWhere } from './stations';
import { upsertAll } from './upsert';

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

function revive(raw: Record<string, unknown>): Merchant {
  const m = raw as unknown as Merchant;
  return { ...m, validFrom: date(m.validFrom), validTo: date(m.validTo), createdAt: new Date(m.createdAt), updatedAt: new Date(m.updatedAt) };
}

/** The nearby filters as one predicate: active, discount valid at the time, city and category. */
function merchantFilter(q: MerchantNearbyQuery): (m: Merchant) => boolean {
  const at = q.validAt.getTime();
  return (m) =>
    m.status === 'active' &&
    (!m.validFrom || m.validFrom.getTime() <= at) &&
    (!m.validTo || m.validTo.getTime() >= at) &&
    (!q.city || m.city === q.city) &&
    (!q.category || m.category === q.category);
}

/** 暖新商户 in the embedded store. */
export function createEmbeddedMerchants(db: Db): MerchantRepository {
  const table = new GeoTable<Merchant>(db, { table: 'merchants', columns: ['external_id', 'city'], toColumns: (m) => [m.externalId, m.city], revive });
  const build = (input: MerchantInput, now: Date): Merchant => ({ ...input, id: newId(), createdAt: now, updatedAt: now });

  return {
    async create(input, now) {
      return table.insert(build(input, now));
    },
    async get(id) {
      return table.get(id);
    },
    async update(id, changes, now) {
      return table.transaction(() => {
        const current = table.get(id);
        if (!current) return null;
        const next: Merchant = { ...current, ...pickDefined(changes), id, createdAt: current.createdAt, updatedAt: now };
        table.replace(next);
        return next;
      });
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
      return table.nearby(q.center, q.radiusM, q.limit, merchantFilter(q));
    },
    async upsertMany(items, now) {
      return upsertAll(items, {
        transaction: (fn) => table.transaction(fn),
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
