import { Types, type Model } from 'mongoose';
import { pickDefined } from '../../../../storage/canonical';
import type { Rider, RiderRepository } from '../../identity.types';
import { docCollection, fromRecord, toSet } from '../../../../storage/mongo/doc-collection';
import type { RiderRecord } from './models';

type Extra = Partial<Pick<Rider, 'isDemo' | 'displayName' | 'city'>>;
/** The unique key a rider is found or created by; the other one starts null. */
type Key = { openid: string } | { botContactId: string };

const isDuplicateKey = (err: unknown): boolean => (err as { code?: number })?.code === 11000;

/**
 * Riders in MongoDB; findOrCreateByOpenid and findOrCreateByBotContact are one upsert each, so two first logins (or
 * first messages) at once make one rider.
 */
export function createMongoRiders(model: Model<RiderRecord>): RiderRepository {
  const docs = docCollection<Rider>(model);

  async function findOrCreate(key: Key, fields: Record<string, unknown>, now: Date, extra: Extra) {
    const _id = new Types.ObjectId();
    // The key itself is not in $setOnInsert: an upsert copies the filter's equality into the new document.
    const fresh = {
      _id, ...fields, isDemo: false, displayName: null, phone: null, platform: null, city: null, plate: null,
      verification: 'unverified', status: 'active', ...pickDefined(extra), createdAt: now, updatedAt: now,
    };
    try {
      const options = { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false } as const;
      const raw = await model.findOneAndUpdate(key, { $setOnInsert: fresh }, options).lean();
      if (!raw) throw new Error('upsert returned no rider');
      return { rider: fromRecord<Rider>(raw), created: raw._id.equals(_id) };
    } catch (err) {
      // Two upserts can both miss and both insert; the loser's duplicate key means the rider now exists.
      if (!isDuplicateKey(err)) throw err;
      const rider = await docs.findOne(key);
      if (!rider) throw err;
      return { rider, created: false };
    }
  }

  return {
    findOrCreateByOpenid: (openid, unionid, now, extra = {}) => findOrCreate({ openid }, { unionid, botContactId: null }, now, extra),
    findOrCreateByBotContact: (contactId, now, extra = {}) =>
      findOrCreate({ botContactId: contactId }, { openid: null, unionid: null }, now, extra),
    get: (id) => docs.get(id),
    async findByPhone(phone) {
      const raw = await model.findOne({ phone }).sort({ _id: -1 }).lean();
      return raw ? fromRecord<Rider>(raw) : null;
    },
    update: (id, patch, now) => docs.update(id, { $set: toSet(patch, ['openid', 'botContactId'], now) }),
    list: (q) => docs.list({ city: q.city, status: q.status }, q),
    count: (filter = {}) => docs.count({ city: filter.city }),
  };
}
