import { Schema, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../shared/domain';

// minimize off: an empty `hours.days` must come back as {}, or fingerprints and API output would change.
export const OPTIONS = { versionKey: false, minimize: false, strict: true, id: false } as const;

export const point = new Schema(
  {
    type: { type: String, enum: ['Point'], required: true },
    coordinates: { type: [Number], required: true, validate: (c: number[]) => c.length === 2 },
  },
  { _id: false },
);

export const placeFields = {
  externalId: { type: String, default: null },
  name: String,
  city: { type: String, enum: CITIES, required: true },
  district: String,
  address: String,
  location: { type: point, required: true },
  hours: { type: Schema.Types.Mixed, required: true },
  isDemo: { type: Boolean, default: false },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
};


// Null externalIds (hand-entered rows) may repeat; only imported ids must be unique.
/** The indexes every located collection has: a unique imported id, and city + _id for list, count and keyset paging. */
export function indexPlaceSchema(schema: Schema): void {
  schema.index({ externalId: 1 }, { unique: true, partialFilterExpression: { externalId: { $type: 'string' } } });
  schema.index({ city: 1, _id: 1 });
}

/** Registers a model on this connection and builds its indexes (autoIndex is off). */
export async function registerModel<R>(conn: Connection, name: string, schema: Schema<R>): Promise<Model<R>> {
  const model = conn.model<R>(name, schema);
  await model.createIndexes();
  return model;
}
