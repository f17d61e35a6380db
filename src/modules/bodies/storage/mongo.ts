import { Schema, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../../shared/domain';
import { newId } from '../../../storage/ids';
import { docCollection, toSet, type DocRecord } from '../../../storage/mongo/doc-collection';
import { toObjectId } from '../../../storage/mongo/mappers';
import { BODY_TYPES } from '../../hazards/categories';
import { CONTACT_CHANNELS, type BodyRepository, type ResponsibleBody } from '../bodies.types';
import { guardName } from './embedded';

type BodyRecord = DocRecord<ResponsibleBody>;

// minimize off: empty district and category lists come back as [], as from the embedded driver.
const OPTIONS = { versionKey: false, minimize: false, strict: true, id: false } as const;
const req = <T>(type: T) => ({ type, required: true });

const bodySchema = new Schema<BodyRecord>({
  city: { type: String, enum: CITIES, required: true },
  districts: { type: [String], default: () => [] },
  name: req(String),
  type: { type: String, enum: BODY_TYPES, required: true },
  categories: { type: [String], default: () => [] },
  contact: { channel: { type: String, enum: CONTACT_CHANNELS, required: true }, value: req(String) },
  active: req(Boolean),
  isDemo: { type: Boolean, default: false },
  createdAt: req(Date),
  updatedAt: req(Date),
}, { ...OPTIONS, collection: 'hazard_bodies' });
bodySchema.index({ city: 1, name: 1 }, { unique: true });
bodySchema.index({ city: 1, _id: 1 });
bodySchema.index({ city: 1, type: 1, active: 1, _id: 1 });

/** The body model on this connection, indexes built (autoIndex is off). */
export async function bodyModel(conn: Connection): Promise<Model<BodyRecord>> {
  const model = conn.model<BodyRecord>('HazardBody', bodySchema);
  await model.createIndexes();
  return model;
}

/** Responsible bodies in MongoDB; the unique (city, name) index gives the 409. Type-checked only: never run here. */
export function createMongoBodies(model: Model<BodyRecord>): BodyRepository {
  const docs = docCollection<ResponsibleBody>(model);
  return {
    create: (input, now) => guardName(() => docs.insert({ ...input, id: newId(), createdAt: now, updatedAt: now })),
    get: (id) => docs.get(id),
    update: (id, patch, now) => guardName(() => docs.update(id, { $set: toSet(patch, ['city'], now) })),
    async delete(id) {
      const _id = toObjectId(id);
      return !!_id && (await model.deleteOne({ _id })).deletedCount > 0;
    },
    list: (q) => docs.list({ city: q.city, type: q.type, active: q.active }, q),
    count: (filter = {}) => docs.count({ city: filter.city }),
  };
}
