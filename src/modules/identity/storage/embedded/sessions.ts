import { newUnguessableId } from '../../../../storage/ids';
import { rememberHash, sessionWithHistory } from '../session-history';
import type { Session, SessionRepository } from '../../identity.types';
import type { Db } from '../../../../storage/embedded/database';
import { DocTable } from '../../../../storage/embedded/doc-table';

/** Login sessions in the embedded store; rotate is a compare-and-set on the refresh hash. */
export function createEmbeddedSessions(db: Db): SessionRepository {
  const table = new DocTable<Session>(db, {
    table: 'sessions',
    columns: ['subject_type', 'subject_id', 'refresh_hash'],
    toColumns: (s) => [s.subjectType, s.subjectId, s.refreshHash],
    dates: ['expiresAt', 'revokedAt', 'createdAt', 'lastUsedAt'],
    expiresField: 'expiresAt',
  });
  const revoke = (now: Date) => (s: Session): Session | null => (s.revokedAt ? null : { ...s, revokedAt: now });
  return {
    create: async (input, now) =>
      table.insert({
        id: newUnguessableId(), subjectType: input.subjectType, subjectId: input.subjectId, refreshHash: input.refreshHash,
        previousHashes: [], expiresAt: input.expiresAt, revokedAt: null, createdAt: now, lastUsedAt: now,
      }),
    get: async (id) => sessionWithHistory(table.get(id)),
    findByRefreshHash: async (refreshHash) => sessionWithHistory(table.findOne([['refresh_hash = ?', refreshHash]])),
    rotate: async (id, from, to, expiresAt, now) =>
      table.modify(id, (s) => {
        if (s.refreshHash !== from || s.revokedAt) return null;
        return { ...s, refreshHash: to, previousHashes: rememberHash(s.previousHashes ?? [], from), expiresAt, lastUsedAt: now };
      }) !== null,
    revoke: async (id, now) => {
      table.modify(id, revoke(now));
    },
    revokeAllFor: async (subjectType, subjectId, now) =>
      table.modifyAll([['subject_type = ?', subjectType], ['subject_id = ?', subjectId]], revoke(now)),
  };
}
