import { pickDefined } from '../../../../storage/canonical';
import { newId } from '../../../../storage/ids';
import type { Rider, RiderRepository } from '../../identity.types';
import type { Db } from '../../../../storage/embedded/database';
import { DocTable, type Filter } from '../../../../storage/embedded/doc-table';

type Extra = Partial<Pick<Rider, 'isDemo' | 'displayName' | 'city'>>;

const freshRider = (keys: Pick<Rider, 'openid' | 'unionid' | 'botContactId'>, now: Date, extra: Extra): Rider => ({
  id: newId(), ...keys, isDemo: false, displayName: null, phone: null, platform: null, city: null, plate: null,
  verification: 'unverified', status: 'active', ...pickDefined(extra), createdAt: now, updatedAt: now,
});

/**
 * Riders in the embedded store; openid and botContactId are unique when set; phone is a column so a platform can
 * find its rider.
 */
export function createEmbeddedRiders(db: Db): RiderRepository {
  const table = new DocTable<Rider>(db, {
    table: 'riders',
    columns: ['openid', 'city', 'status', 'phone', 'bot_contact_id'],
    toColumns: (r) => [r.openid, r.city, r.status, r.phone, r.botContactId ?? null],
    dates: ['createdAt', 'updatedAt'],
  });
  // One IMMEDIATE transaction: two first contacts at once (even from two processes) make one rider.
  const findOrCreate = (where: Filter, make: () => Rider) =>
    table.transaction(() => {
      const rider = table.findOne(where);
      return rider ? { rider, created: false } : { rider: table.insert(make()), created: true };
    });
  return {
    findOrCreateByOpenid: async (openid, unionid, now, extra = {}) =>
      findOrCreate([['openid = ?', openid]], () => freshRider({ openid, unionid, botContactId: null }, now, extra)),
    findOrCreateByBotContact: async (contactId, now, extra = {}) =>
      findOrCreate([['bot_contact_id = ?', contactId]], () => freshRider({ openid: null, unionid: null, botContactId: contactId }, now, extra)),
    get: async (id) => table.get(id),
    findByPhone: async (phone) => table.list([['phone = ?', phone]], { limit: 1, newestFirst: true })[0] ?? null,
    update: async (id, patch, now) =>
      table.modify(id, (r) => ({
        ...r, ...pickDefined(patch), id: r.id, openid: r.openid, botContactId: r.botContactId, createdAt: r.createdAt, updatedAt: now,
      })),
    list: async (q) => table.list([['city = ?', q.city], ['status = ?', q.status]], q),
    count: async (filter = {}) => table.count([['city = ?', filter.city]]),
  };
}
