import { pickDefined } from '../../../../storage/canonical';
import { newId } from '../../../../storage/ids';
import type { Rider, RiderRepository } from '../../identity.types';
import type { Db } from '../../../../storage/embedded/database';
import { DocTable } from '../../../../storage/embedded/doc-table';

/** Riders in the embedded store; openid is unique when set; phone is a column so a platform can find its rider. */
export function createEmbeddedRiders(db: Db): RiderRepository {
  const table = new DocTable<Rider>(db, {
    table: 'riders',
    columns: ['openid', 'city', 'status', 'phone'],
    toColumns: (r) => [r.openid, r.city, r.status, r.phone],
    dates: ['createdAt', 'updatedAt'],
  });
  return {
    findOrCreateByOpenid: async (openid, unionid, now, extra = {}) =>
      table.transaction(() => {
        const rider = table.findOne([['openid = ?', openid]]);
        if (rider) return { rider, created: false };
        const fresh: Rider = {
          id: newId(), openid, unionid, isDemo: false, displayName: null, phone: null, platform: null, city: null, plate: null,
          verification: 'unverified', status: 'active', ...pickDefined(extra), createdAt: now, updatedAt: now,
        };
        return { rider: table.insert(fresh), created: true };
      }),
    get: async (id) => table.get(id),
    findByPhone: async (phone) => table.list([['phone = ?', phone]], { limit: 1, newestFirst: true })[0] ?? null,
    update: async (id, patch, now) =>
      table.modify(id, (r) => ({ ...r, ...pickDefined(patch), id: r.id, openid: r.openid, createdAt: r.createdAt, updatedAt: now })),
    list: async (q) => table.list([['city = ?', q.city], ['status = ?', q.status]], q),
    count: async (filter = {}) => table.count([['city = ?', filter.city]]),
  };
}
