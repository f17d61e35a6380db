import type { Model } from 'mongoose';
import { EARTH_RADIUS_M, haversineM, type LngLat } from '../../shared/geo';
import type { Located } from '../../shared/domain';
import { toDomain, toPoint, type Stored } from './mappers';

export interface NearbyBase {
  center: LngLat;
  radiusM: number;
  limit: number;
}

// MongoDB's spherical distances use this radius; our contract uses the mean radius (EARTH_RADIUS_M).
const MONGO_EARTH_RADIUS_M = 6_378_100;
const DISTANCE_FIELD = 'mongoDistance';

/** Nearest first via $geoNear (the 2dsphere index walks outward); distanceM is recomputed on our earth radius. */
export async function geoNear<Doc extends { id: string; location: LngLat }>(
  model: Model<Stored<Doc>>, q: NearbyBase, query: Record<string, unknown>,
): Promise<Array<Located<Doc>>> {
  const limit = Math.floor(q.limit);
  if (!(limit > 0) || !(q.radiusM >= 0)) return [];
  const rows = await model.aggregate<Stored<Doc>>([
    {
      $geoNear: {
        near: toPoint(q.center),
        key: 'location',
        spherical: true,
        query,
        // A millimetre of slack so the two formulas never disagree at the edge; the re-check below trims it.
        maxDistance: q.radiusM * (MONGO_EARTH_RADIUS_M / EARTH_RADIUS_M) + 0.001,
        distanceField: DISTANCE_FIELD,
      },
    },
    { $limit: limit },
    { $unset: DISTANCE_FIELD },
  ]);
  return rows
    .map((raw) => {
      const doc = toDomain<Doc>(raw);
      return { ...doc, distanceM: haversineM(q.center, doc.location) };
    })
    .filter((d) => d.distanceM <= q.radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));
}
