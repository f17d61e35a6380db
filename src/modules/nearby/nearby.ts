import { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import { COORD_SYSTEMS, CoordSys, LngLat, toWgs84 } from '../../shared/geo';
import { text } from '../../shared/schema';
import { queryBool, queryInt, queryNumber } from '../../shared/validate';
import { CITIES, City, Located } from '../../shared/domain';

export const MAX_RADIUS_M = 20_000;
export const DEFAULT_RADIUS_M = 1_000;
export const MAX_LIMIT = 50;

/** Query fields every nearby endpoint shares. */
export const nearbyShape = {
  lng: queryNumber().pipe(z.number().min(-180, '经度须在 -180 到 180 之间').max(180, '经度须在 -180 到 180 之间')).optional(),
  lat: queryNumber().pipe(z.number().min(-90, '纬度须在 -90 到 90 之间').max(90, '纬度须在 -90 到 90 之间')).optional(),
  place: text(50).optional(),
  coordSys: z.enum(COORD_SYSTEMS, { message: `可选：${COORD_SYSTEMS.join(', ')}` }).default('gcj02'),
  radius: queryInt(1, MAX_RADIUS_M).optional(),
  limit: queryInt(1, MAX_LIMIT).default(10),
  city: z.enum(CITIES, { message: `可选：${CITIES.join(', ')}` }).optional(),
  openNow: queryBool().default(false),
};

export interface NearbyBase {
  lng?: number;
  lat?: number;
  place?: string;
  coordSys: CoordSys;
  radius?: number;
  limit: number;
  city?: City;
  openNow: boolean;
}

export interface PlaceLookup {
  /** The named place, in `city` when given (throws when it lies in the other city). */
  resolve(name: string, city?: City): { name: string; city: City; location: LngLat; radiusM: number };
}

export interface Center {
  center: LngLat; // WGS-84
  radiusM: number;
  place: { name: string; city: City } | null;
}

/** Where to search from: lng/lat in the caller's coordinate system, or a named place from the gazetteer. */
export function resolveCenter(q: NearbyBase, places: PlaceLookup): Center {
  const hasPoint = q.lng !== undefined || q.lat !== undefined;
  if (hasPoint && q.place) throw new ValidationError('lng/lat 与 place 只能二选一', [{ field: 'place', message: 'given together with lng/lat' }]);
  if (q.place) {
    const p = places.resolve(q.place, q.city);
    return { center: p.location, radiusM: q.radius ?? Math.min(p.radiusM, MAX_RADIUS_M), place: { name: p.name, city: p.city } };
  }
  if (q.lng === undefined || q.lat === undefined) {
    const field = q.lng === undefined ? 'lng' : 'lat';
    throw new ValidationError(`缺少参数 ${field}（或改用 place=地名）`, [{ field, message: 'required unless place is given' }]);
  }
  return { center: toWgs84({ lng: q.lng, lat: q.lat }, q.coordSys), radiusM: q.radius ?? DEFAULT_RADIUS_M, place: null };
}

/**
 * Nearest-first results that also pass a filter the store cannot evaluate (opening hours).
 * Asks the store for more each round until enough pass or the radius holds no more.
 */
export async function collectNearby<T>(
  fetch: (limit: number) => Promise<Array<Located<T>>>,
  keep: (item: Located<T>) => boolean,
  limit: number,
): Promise<Array<Located<T>>> {
  let ask = limit;
  for (;;) {
    const batch = await fetch(ask);
    const kept = batch.filter(keep);
    if (kept.length >= limit || batch.length < ask) return kept.slice(0, limit);
    ask *= 4;
  }
}
