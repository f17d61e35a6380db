import type { Model } from 'mongoose';
import { newId } from '../../../../storage/ids';
import type { Staff, StaffRepository } from '../../identity.types';
import { docCollection, toSet } from '../../../../storage/mongo/doc-collection';
import type { StaffRecord } from './models';

/** Staff accounts in MongoDB; unique indexes on username, wechatOpenid and botContactId give the 409s. */
export function createMongoStaff(model: Model<StaffRecord>): StaffRepository {
  const docs = docCollection<Staff>(model);
  return {
    create: (input, now) =>
      docs.insert({
        ...input, id: newId(), username: input.username.toLowerCase(), wechatOpenid: null, botContactId: null,
        failedLogins: 0, lockedUntil: null, lastLoginAt: null, createdAt: now, updatedAt: now,
      }),
    get: (id) => docs.get(id),
    findByUsername: (username) => docs.findOne({ username: username.toLowerCase() }),
    findByOpenid: (openid) => docs.findOne({ wechatOpenid: openid }),
    findByBotContact: (contactId) => docs.findOne({ botContactId: contactId }),
    update: (id, patch, now) => docs.update(id, { $set: toSet(patch, ['username'], now) }),
    async addFailedLogin(id, now) {
      const s = await docs.update(id, { $inc: { failedLogins: 1 }, $set: { updatedAt: now } });
      return s?.failedLogins ?? 0;
    },
    list: (q) => docs.list({ city: q.city, role: q.role }, q),
    count: (filter = {}) => docs.count({ city: filter.city, role: filter.role }),
  };
}
