import { Schema, type Connection, type Model } from 'mongoose';
import { AMENITIES, STATION_STATUSES, type Station } from '../../modules/stations/stations.types';
import { CITIES } from '../../shared/domain';
import { MERCHANT_CATEGORIES, type Merchant } from '../../modules/merchants/merchants.types';
import type { Stored } from './mappers';

export type StationRecord = Stored<Station>;
export type MerchantRecord = Stored<Merchant>;

export interface Models {
  stations: Model<StationRecord>;
  merchants: Model<MerchantRecord>;
}

// minimize off: an empty `hours.days` must come back as {}, or fingerprints and API output would change.
const OPTIONS = { versionKey: false, minimize: false, strict: true, id: false } as const;

const point = new Schema(
  {
    type: { type: String, enum: ['Point'], required: true },
    coordinates: { type: [Number], required: true, validate: (c: number[]) => c.length === 2 },
  },
  { _id: false },
);

const common = {
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

const stationSchema = new Schema<StationRecord>(
  {
    ...common,
    amenities: [{ type: String, enum: AMENITIES }],
    capacity: Number,
    operator: { name: { type: String, default: null }, phone: { type: String, default: null } },
    status: { type: String, enum: STATION_STATUSES, required: true },
    statusNote: { type: String, default: null },
    occupancy: {
      available: { type: Number, default: null },
      reportedAt: { type: Date, default: null },
      reportedBy: { type: String, default: null },
    },
  },
  { ...OPTIONS, collection: 'stations' },
);

const discount = new Schema(
  {
    text: String,
    kind: { type: String, enum: ['percent', 'amount', 'other'], required: true },
    percentOff: { type: Number, default: null },
    amountOff: { type: Number, default: null },
    minSpend: { type: Number, default: null },
    conditions: [String],
  },
  { _id: false, minimize: false },
);

const merchantSchema = new Schema<MerchantRecord>(
  {
    ...common,
    category: { type: String, enum: MERCHANT_CATEGORIES, required: true },
    discount: { type: discount, required: true },
    validFrom: { type: Date, default: null },
    validTo: { type: Date, default: null },
    phone: { type: String, default: null },
    status: { type: String, enum: ['active', 'inactive'], required: true },
  },
  { ...OPTIONS, collection: 'merchants' },
);

// Null externalIds (hand-entered rows) may repeat; only imported ids must be unique.
const externalIdIndex = [{ externalId: 1 }, { unique: true, partialFilterExpression: { externalId: { $type: 'string' } } }] as const;
for (const schema of [stationSchema, merchantSchema] as Schema[]) {
  schema.index(...externalIdIndex);
  schema.index({ city: 1, _id: 1 }); // list and count by city, keyset on _id
}
// One 2dsphere index per collection, so $geoNear's `key` is unambiguous; the trailing keys let filters use it.
stationSchema.index({ location: '2dsphere', status: 1, city: 1 });
merchantSchema.index({ location: '2dsphere', status: 1, city: 1, category: 1, validFrom: 1, validTo: 1 });

/** Registers the models on this connection and builds their indexes (autoIndex is off). */
export async function createModels(conn: Connection): Promise<Models> {
  const models: Models = {
    stations: conn.model<StationRecord>('Station', stationSchema),
    merchants: conn.model<MerchantRecord>('Merchant', merchantSchema),
  };
  await Promise.all([models.stations.createIndexes(), models.merchants.createIndexes()]);
  return models;
}
