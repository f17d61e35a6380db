import { newId } from '../../../../storage/ids';
import type { AuditEntry, AuditRepository } from '../../identity.types';
import type { Db } from '../../../../storage/embedded/database';
import { DocTable } from '../../../../storage/embedded/doc-table';

/** The audit trail in the embedded store; every filter is an indexed column, so listing never parses old JSON. */
export function createEmbeddedAudit(db: Db): AuditRepository {
  const table = new DocTable<AuditEntry>(db, {
    table: 'audit_entries',
    columns: ['at', 'city', 'actor_id', 'action', 'object_type', 'object_id'],
    toColumns: (e) => [e.at.toISOString(), e.city, e.actorId, e.action, e.objectType, e.objectId],
    dates: ['at'],
  });
  return {
    append: async (entry) => table.insert({ ...entry, id: newId() }),
    list: async (q) =>
      table.list(
        [
          ['city = ?', q.city], ['actor_id = ?', q.actorId], ['action = ?', q.action], ['object_type = ?', q.objectType],
          ['object_id = ?', q.objectId], ['at >= ?', q.from?.toISOString()], ['at <= ?', q.to?.toISOString()],
        ],
        { limit: q.limit, before: q.before, newestFirst: true },
      ),
  };
}
