import type { Model } from 'mongoose';
import { newId } from '../../../../storage/ids';
import type { OneTimeCode, OneTimeCodeRepository } from '../../identity.types';
import { docCollection } from '../../../../storage/mongo/doc-collection';
import type { CodeRecord } from './models';

/** Single-use codes in MongoDB; consume matches usedAt: null in the same update, so only one caller wins. */
export function createMongoCodes(model: Model<CodeRecord>): OneTimeCodeRepository {
  const docs = docCollection<OneTimeCode>(model);
  return {
    create: (input, now) => docs.insert({ ...input, id: newId(), usedAt: null, usedBy: null, createdAt: now }),
    findByHash: (kind, codeHash) => docs.findOne({ kind, codeHash }),
    consume: async (id, usedBy, now) => (await docs.update(id, { $set: { usedAt: now, usedBy } }, { usedAt: null })) !== null,
    async release(id) {
      await docs.update(id, { $set: { usedAt: null, usedBy: null } });
    },
    list: (q) => docs.list({ kind: q.kind, city: q.city }, q),
  };
}
