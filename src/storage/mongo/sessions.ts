import type { Model } from 'mongoose';
import { newId } from '../ids';
import type { Session, SessionRepository } from '../types';
import { docCollection } from './doc-collection';
import type { SessionRecord } from './identity-models';

/** Login sessions in MongoDB; rotate is a compare-and-set on the refresh hash in one update. */
export function createMongoSessions(model: Model<SessionRecord>): SessionRepository {
  const docs = docCollection<Session>(model);
  return {
    create: (input, now) =>
      docs.insert({
        id: newId(), subjectType: input.subjectType, subjectId: input.subjectId, refreshHash: input.refreshHash,
        expiresAt: input.expiresAt, revokedAt: null, createdAt: now, lastUsedAt: now,
      }),
    get: (id) => docs.get(id),
    findByRefreshHash: (refreshHash) => docs.findOne({ refreshHash }),
    rotate: async (id, from, to, expiresAt, now) =>
      (await docs.update(id, { $set: { refreshHash: to, expiresAt, lastUsedAt: now } }, { refreshHash: from, revokedAt: null })) !== null,
    async revoke(id, now) {
      await docs.update(id, { $set: { revokedAt: now } }, { revokedAt: null });
    },
    async revokeAllFor(subjectType, subjectId, now) {
      const res = await model.updateMany({ subjectType, subjectId, revokedAt: null }, { $set: { revokedAt: now } });
      return res.modifiedCount;
    },
  };
}
