import { newId } from '../ids';
import type { Session, SessionRepository } from '../types';
import type { Db } from './database';
import { DocTable } from './doc-table';

/** Login sessions in the embedded store; rotate is a compare-and-set on the refresh hash. */
export function createEmbeddedSessions(db: Db): SessionRepository {
  const table = new DocTable<Session>(db, {
    table: 'sessions',
    columns: ['subject_type', 'subject_id', 'refresh_hash'],
    toColumns: (s) => [s.subjectType, s.subjectId, s.refreshHash],
    dates: ['expiresAt', 'revokedAt', 'createdAt', 'lastUsedAt'],
  });
  const revoke = (now: Date) => (s: Session): Session | null => (s.revokedAt ? null : { ...s, revokedAt: now });
  return {
    create: async (input, now) =>
      table.insert({
        id: newId(), subjectType: input.subjectType, subjectId: input.subjectId, refreshHash: input.refreshHash,
        expiresAt: input.expiresAt, revokedAt: null, createdAt: now, lastUsedAt: now,
      }),
    get: async (id) => table.get(id),
    findByRefreshHash: async (refreshHash) => table.findOne([['refresh_hash = ?', refreshHash]]),
    rotate: async (id, from, to, expiresAt, now) =>
      table.modify(id, (s) => (s.refreshHash === from && !s.revokedAt ? { ...s, refreshHash: to, expiresAt, lastUsedAt: now } : null)) !== null,
    revoke: async (id, now) => {
      table.modify(id, revoke(now));
    },
    revokeAllFor: async (subjectType, subjectId, now) =>
      table.modifyAll([['subject_type = ?', subjectType], ['subject_id = ?', subjectId]], revoke(now)),
  };
}
