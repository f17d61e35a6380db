import type { Model } from 'mongoose';
import { EARTH_RADIUS_M, haversineM, type LngLat } from '../../shared/geo';
import type { Located } from '../../shared/domain';
import { pageLimit } from '../limits';
import { toDomain, toPoint, type Stored } from './mappers';

export interface NearbyBase {
  center: LngLat;
  radiusM: number;
  limit: number;
}

// MongoDB's spherical distances use this radius; our contract uses the mean radius (EARTH_RADIUS_M).
const MONGO_EARTH_RADIUS_M = 6_378_100;
const DISTANCE_FIELD = 'mongoDistance';
/** Extra rows fetched past the limit, so documents tied at the cut are usually in the first answer. */
const TIE_SLACK = 8;
/** Distances this close count as tied: far above float noise, far below anything a rider could tell apart. */
const TIE_EPSILON_M = 0.001;

type Row<Doc extends { id: string; location: LngLat }> = Stored<Doc> & { [DISTANCE_FIELD]: number };

async function nearest<Doc extends { id: string; location: LngLat }>(
  model: Model<Stored<Doc>>, center: LngLat, query: Record<string, unknown>, maxDistance: number, limit: number | null,
): Promise<Array<Row<Doc>>> {
  // $geoNear's `query` is not a Query filter: mongoose's sanitizeFilter never sees it (the filters are marked
  // trusted() all the same, should they ever move into a find()).
  const geo = { $geoNear: { near: toPoint(center), key: 'location', spherical: true, query, maxDistance, distanceField: DISTANCE_FIELD } };
  return model.aggregate<Row<Doc>>(limit === null ? [geo] : [geo, { $limit: limit }]);
}

/**
 * Nearest first via $geoNear (the 2dsphere index walks outward), ties broken by id as the embedded driver does.
 * $geoNear orders equal distances as the server finds them, so cutting at `limit` could keep any of the tied
 * documents. We fetch limit + TIE_SLACK rows: if the last of them is farther than the row at the cut, every tie
 * of the cut is among them; if not (more ties than the slack, e.g. a mall full of merchants on one point), a
 * second $geoNear without a limit fetches every document up to the cut distance. Then all rows are sorted by
 * (distance, id) and cut. distanceM is recomputed on our earth radius. Never executed here (no MongoDB server).
 */
export async function geoNear<Doc extends { id: string; location: LngLat }>(
  model: Model<Stored<Doc>>, q: NearbyBase, query: Record<string, unknown>,
): Promise<Array<Located<Doc>>> {
  const limit = pageLimit(q.limit);
  if (!(q.radiusM >= 0)) return [];
  // A millimetre of slack so the two formulas never disagree at the edge; the re-check below trims it.
  const maxDistance = q.radiusM * (MONGO_EARTH_RADIUS_M / EARTH_RADIUS_M) + 0.001;
  let rows = await nearest(model, q.center, query, maxDistance, limit + TIE_SLACK);
  const cut = rows[limit - 1]?.[DISTANCE_FIELD];
  const last = rows.at(-1)?.[DISTANCE_FIELD];
  if (rows.length === limit + TIE_SLACK && cut !== undefined && last !== undefined && last <= cut + TIE_EPSILON_M) {
    rows = await nearest(model, q.center, query, Math.min(maxDistance, cut + TIE_EPSILON_M), null);
  }
  return rows
    .map(({ [DISTANCE_FIELD]: _d, ...raw }) => {
      const doc = toDomain<Doc>(raw);
      return { ...doc, distanceM: haversineM(q.center, doc.location) };
    })
    .filter((d) => d.distanceM <= q.radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}
