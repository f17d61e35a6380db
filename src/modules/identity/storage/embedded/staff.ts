import { pickDefined } from '../../../../storage/canonical';
import { newId } from '../../../../storage/ids';
import type { Staff, StaffRepository } from '../../identity.types';
import type { Db } from '../../../../storage/embedded/database';
import { DocTable } from '../../../../storage/embedded/doc-table';

/** Staff accounts in the embedded store; username, wechatOpenid and botContactId are unique columns. */
export function createEmbeddedStaff(db: Db): StaffRepository {
  const table = new DocTable<Staff>(db, {
    table: 'staff',
    columns: ['username', 'wechat_openid', 'bot_contact_id', 'city', 'role'],
    toColumns: (s) => [s.username, s.wechatOpenid, s.botContactId, s.city, s.role],
    dates: ['lockedUntil', 'lastLoginAt', 'createdAt', 'updatedAt'],
  });
  return {
    create: async (input, now) =>
      table.insert({
        ...input, id: newId(), username: input.username.toLowerCase(), wechatOpenid: null, botContactId: null,
        failedLogins: 0, lockedUntil: null, lastLoginAt: null, createdAt: now, updatedAt: now,
      }),
    get: async (id) => table.get(id),
    findByUsername: async (username) => table.findOne([['username = ?', username.toLowerCase()]]),
    findByOpenid: async (openid) => table.findOne([['wechat_openid = ?', openid]]),
    findByBotContact: async (contactId) => table.findOne([['bot_contact_id = ?', contactId]]),
    update: async (id, patch, now) =>
      table.modify(id, (s) => ({ ...s, ...pickDefined(patch), id: s.id, username: s.username, createdAt: s.createdAt, updatedAt: now })),
    addFailedLogin: async (id, now) =>
      table.modify(id, (s) => ({ ...s, failedLogins: s.failedLogins + 1, updatedAt: now }))?.failedLogins ?? 0,
    list: async (q) => table.list([['city = ?', q.city], ['role = ?', q.role]], q),
    count: async (filter = {}) => table.count([['city = ?', filter.city], ['role = ?', filter.role]]),
  };
}
