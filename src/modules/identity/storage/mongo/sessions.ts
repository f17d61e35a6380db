import type { Model } from 'mongoose';
import { sessionWithHistory } from '../session-history';
import { newUnguessableId } from '../../../../storage/ids';
import { MAX_PREVIOUS_REFRESH, type Session, type SessionRepository } from '../../identity.types';
import { docCollection } from '../../../../storage/mongo/doc-collection';
import type { SessionRecord } from './models';

/** Login sessions in MongoDB; rotate is a compare-and-set on the refresh hash in one update. */
export function createMongoSessions(model: Model<SessionRecord>): SessionRepository {
  const docs = docCollection<Session>(model);
  return {
    create: (input, now) =>
      docs.insert({
        id: newUnguessableId(), subjectType: input.subjectType, subjectId: input.subjectId, refreshHash: input.refreshHash,
        previousHashes: [], expiresAt: input.expiresAt, revokedAt: null, createdAt: now, lastUsedAt: now,
      }),
    get: async (id) => sessionWithHistory(await docs.get(id)),
    findByRefreshHash: async (refreshHash) => sessionWithHistory(await docs.findOne({ refreshHash })),
    rotate: async (id, from, to, expiresAt, now) =>
      (await docs.update(id, {
        $set: { refreshHash: to, expiresAt, lastUsedAt: now },
        $push: { previousHashes: { $each: [from], $slice: -MAX_PREVIOUS_REFRESH } },
      }, { refreshHash: from, revokedAt: null })) !== null,
    async revoke(id, now) {
      await docs.update(id, { $set: { revokedAt: now } }, { revokedAt: null });
    },
    async revokeAllFor(subjectType, subjectId, now) {
      const res = await model.updateMany({ subjectType, subjectId, revokedAt: null }, { $set: { revokedAt: now } });
      return res.modifiedCount;
    },
  };
}
