import { trusted, type Model } from 'mongoose';
import { newId } from '../../../../storage/ids';
import type { AuditEntry, AuditRepository } from '../../identity.types';
import { docCollection } from '../../../../storage/mongo/doc-collection';
import type { AuditRecord } from './models';

/** The time range as a filter value, or undefined when neither bound is given. */
function range(from?: Date, to?: Date): unknown {
  if (!from && !to) return undefined;
  return trusted({ ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) });
}

/** The audit trail in MongoDB, newest first; each filter has an index ending in _id descending. */
export function createMongoAudit(model: Model<AuditRecord>): AuditRepository {
  const docs = docCollection<AuditEntry>(model);
  return {
    append: (entry) => docs.insert({ ...entry, id: newId() }),
    list: (q) =>
      docs.list(
        { city: q.city, actorId: q.actorId, action: q.action, objectType: q.objectType, objectId: q.objectId, at: range(q.from, q.to) },
        { limit: q.limit, before: q.before, newestFirst: true },
      ),
  };
}
