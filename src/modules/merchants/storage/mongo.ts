import { Schema, trusted, type Connection, type Model } from 'mongoose';
import { merchantFingerprint } from './fingerprint';
import { MERCHANT_CATEGORIES, type Merchant, type MerchantInput, type MerchantNearbyQuery, type MerchantRepository } from '../merchants.types';
import { createGeoCollection } from '../../../storage/mongo/collection';
import { indexPlaceSchema, OPTIONS, placeFields, registerModel } from '../../../storage/mongo/geo-schema';
import type { Stored } from '../../../storage/mongo/mappers';

export type MerchantRecord = Stored<Merchant>;

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
    ...placeFields,
    category: { type: String, enum: MERCHANT_CATEGORIES, required: true },
    discount: { type: discount, required: true },
    validFrom: { type: Date, default: null },
    validTo: { type: Date, default: null },
    phone: { type: String, default: null },
    status: { type: String, enum: ['active', 'inactive'], required: true },
  },
  { ...OPTIONS, collection: 'merchants' },
);
indexPlaceSchema(merchantSchema);
merchantSchema.index({ location: '2dsphere', status: 1, city: 1, category: 1, validFrom: 1, validTo: 1 });

/** The Merchant model on this connection, indexes built. */
export const merchantModel = (conn: Connection) => registerModel<MerchantRecord>(conn, 'Merchant', merchantSchema);

/** Filters for nearby merchants: active, with a discount valid at validAt (null bounds are open-ended); operators trusted(). */
export function merchantNearbyFilter(q: MerchantNearbyQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {
    status: 'active',
    $and: [
      { $or: [{ validFrom: null }, { validFrom: trusted({ $lte: q.validAt }) }] },
      { $or: [{ validTo: null }, { validTo: trusted({ $gte: q.validAt }) }] },
    ],
  };
  if (q.city) filter.city = q.city;
  if (q.category) filter.category = q.category;
  return filter;
}

/** 暖新商户 in MongoDB. */
export function createMongoMerchants(model: Model<MerchantRecord>): MerchantRepository {
  const { patch: _patch, ...repository } = createGeoCollection<MerchantInput, Merchant, MerchantNearbyQuery>(model, {
    fingerprint: merchantFingerprint,
    initial: () => ({}),
    nearbyFilter: merchantNearbyFilter,
  });
  return repository;
}
