import type { Model } from 'mongoose';
import { stationFingerprint } from '../canonical';
import type { Station, StationInput, StationNearbyQuery, StationRepository } from '../../modules/stations/stations.types';
import { createGeoCollection } from './collection';
import type { StationRecord } from './models';

/** Filters for nearby stations, matching the embedded driver: closed stations never show. */
export function stationNearbyFilter(q: StationNearbyQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { status: { $ne: 'closed' } };
  if (q.city) filter.city = q.city;
  if (q.amenities?.length) filter.amenities = { $all: q.amenities };
  if (q.freeSeatsSince) {
    filter['occupancy.available'] = { $gt: 0 };
    filter['occupancy.reportedAt'] = { $gte: q.freeSeatsSince };
  }
  return filter;
}

/** 暖新驿站 in MongoDB. */
export function createMongoStations(model: Model<StationRecord>): StationRepository {
  const collection = createGeoCollection<StationInput, Station, StationNearbyQuery>(model, {
    fingerprint: stationFingerprint,
    initial: () => ({ occupancy: { available: null, reportedAt: null, reportedBy: null } }),
    nearbyFilter: stationNearbyFilter,
  });
  return {
    ...collection,
    setOccupancy: (id, occupancy, now) => collection.patch(id, { occupancy }, now),
  };
}
