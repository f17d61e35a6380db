import { Schema, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../../shared/domain';
import { docCollection, type DocRecord } from '../../../storage/mongo/doc-collection';
import { OPTIONS, registerModel } from '../../../storage/mongo/geo-schema';
import { toObjectId } from '../../../storage/mongo/mappers';
import type { Open311Key, Open311KeyRepository } from '../open311.types';

type KeyRecord = DocRecord<Open311Key>;
const req = <T>(type: T) => ({ type, required: true });

const keySchema = new Schema<KeyRecord>({
  city: { type: String, enum: CITIES, required: true }, name: req(String), keyHash: req(String), riderId: req(String),
  createdBy: req(String), createdAt: req(Date), revokedAt: { type: Date, default: null }, revokedBy: { type: String, default: null },
}, { ...OPTIONS, collection: 'open311_keys' });
keySchema.index({ keyHash: 1 }, { unique: true });
keySchema.index({ city: 1, _id: 1 });

/** Open311 keys in MongoDB; revoke matches revokedAt: null in the same update, so the first revocation stays. */
export function createMongoOpen311Keys(model: Model<KeyRecord>): Open311KeyRepository {
  const docs = docCollection<Open311Key>(model);
  return {
    create: (key) => docs.insert({ ...key, revokedAt: null, revokedBy: null }),
    get: (id) => docs.get(id),
    findByHash: (keyHash) => docs.findOne({ keyHash }),
    list: (q) => docs.list({ city: q.city }, q),
    async revoke(id, by, now) {
      if (!toObjectId(id)) return null;
      return (await docs.update(id, { $set: { revokedAt: now, revokedBy: by } }, { revokedAt: null })) ?? docs.get(id);
    },
  };
}

/** Registers the Open311 key model and builds its indexes. Type-checked only here: no MongoDB server runs. */
export async function openMongoOpen311(conn: Connection): Promise<{ open311Keys: Open311KeyRepository }> {
  return { open311Keys: createMongoOpen311Keys(await registerModel<KeyRecord>(conn, 'Open311Key', keySchema)) };
}
