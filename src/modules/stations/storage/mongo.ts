import { Schema, trusted, type Connection, type Model } from 'mongoose';
import { stationFingerprint } from './fingerprint';
import { AMENITIES, STATION_STATUSES, type Station, type StationInput, type StationNearbyQuery, type StationRepository } from '../stations.types';
import { createGeoCollection } from '../../../storage/mongo/collection';
import { indexPlaceSchema, OPTIONS, placeFields, registerModel } from '../../../storage/mongo/geo-schema';
import type { Stored } from '../../../storage/mongo/mappers';

export type StationRecord = Stored<Station>;

const stationSchema = new Schema<StationRecord>(
  {
    ...placeFields,
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
indexPlaceSchema(stationSchema);
// One 2dsphere index per collection, so $geoNear's `key` is unambiguous; the trailing keys let filters use it.
stationSchema.index({ location: '2dsphere', status: 1, city: 1 });

/** The Station model on this connection, indexes built. */
export const stationModel = (conn: Connection) => registerModel<StationRecord>(conn, 'Station', stationSchema);

/**
 * Filters for nearby stations, matching the embedded driver: closed stations never show. Each operator object is
 * marked trusted(): under sanitizeFilter a Query would wrap it in $eq and silently match nothing. ($geoNear's query
 * is not sanitized today; the mark keeps the filter right should it ever be used in a find().)
 */
export function stationNearbyFilter(q: StationNearbyQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { status: trusted({ $ne: 'closed' }) };
  if (q.city) filter.city = q.city;
  if (q.amenities?.length) filter.amenities = trusted({ $all: q.amenities });
  if (q.freeSeatsSince) {
    filter['occupancy.available'] = trusted({ $gt: 0 });
    filter['occupancy.reportedAt'] = trusted({ $gte: q.freeSeatsSince });
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
