import type { Model } from 'mongoose';
import { merchantFingerprint } from '../canonical';
import type { Merchant, MerchantInput, MerchantNearbyQuery, MerchantRepository } from '../../modules/merchants/merchants.types';
import { createGeoCollection } from './collection';
import type { MerchantRecord } from './models';

/** Filters for nearby merchants: active, with a discount valid at validAt (null bounds are open-ended). */
export function merchantNearbyFilter(q: MerchantNearbyQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {
    status: 'active',
    $and: [
      { $or: [{ validFrom: null }, { validFrom: { $lte: q.validAt } }] },
      { $or: [{ validTo: null }, { validTo: { $gte: q.validAt } }] },
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
