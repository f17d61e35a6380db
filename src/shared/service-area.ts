import { CITIES, CITY_NAMES, type City } from './domain';
import { ValidationError } from './errors';
import type { BBox, LngLat } from './geo';

/**
 * Each city's administrative extent as published by its government, in degrees:
 * - Chongqing municipality: 105°11′–110°11′ E, 28°10′–32°13′ N
 *   (重庆市统计局《重庆统计年鉴》“自然地理”: 北纬28度10分-32度13分，东经105度11分-110度11分);
 * - Chengdu: 102°54′–104°53′ E, 30°05′–31°26′ N
 *   (成都市人民政府“成都概况”: 东经102°54′~104°53′、北纬30°05′~31°26′, the extent including 简阳市).
 * Both are padded by PAD_DEG so points on the border, and the few hundred metres between GCJ-02 and WGS-84, are not
 * refused. The padded boxes stay disjoint (Chengdu ends at 104.933 E, Chongqing starts at 105.133 E), so every
 * point lies in at most one city. A box is coarse: it also covers parts of neighbouring provinces, but it refuses
 * the real mistakes (the other city's coordinates, swapped lng/lat, (0, 0), a pole).
 */
const EXTENTS: Record<City, BBox> = {
  chongqing: { minLng: 105 + 11 / 60, maxLng: 110 + 11 / 60, minLat: 28 + 10 / 60, maxLat: 32 + 13 / 60 },
  chengdu: { minLng: 102 + 54 / 60, maxLng: 104 + 53 / 60, minLat: 30 + 5 / 60, maxLat: 31 + 26 / 60 },
};

/** Padding around each extent, degrees (about 5 km). */
export const PAD_DEG = 0.05;

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const pad = (b: BBox): BBox => Object.freeze({
  minLng: round3(b.minLng - PAD_DEG), maxLng: round3(b.maxLng + PAD_DEG),
  minLat: round3(b.minLat - PAD_DEG), maxLat: round3(b.maxLat + PAD_DEG),
});

/** The service area of each city, WGS-84: chongqing 105.133–110.233 E, 28.117–32.267 N; chengdu 102.85–104.933 E, 30.033–31.483 N. */
export const SERVICE_AREAS: Readonly<Record<City, BBox>> = Object.freeze({ chongqing: pad(EXTENTS.chongqing), chengdu: pad(EXTENTS.chengdu) });

const inBox = (p: LngLat, b: BBox) => p.lng >= b.minLng && p.lng <= b.maxLng && p.lat >= b.minLat && p.lat <= b.maxLat;

/** The city whose service area holds a WGS-84 point, or null outside both. */
export function cityAt(p: LngLat): City | null {
  return CITIES.find((c) => inBox(p, SERVICE_AREAS[c])) ?? null;
}

const show = (x: number) => String(Math.round(x * 1e6) / 1e6);

/**
 * Why a WGS-84 point cannot be a location of a city, or null when it can. `shown` is the point as the caller wrote
 * it (their coordSys), for the message.
 */
export function serviceAreaProblem(city: City, wgs84: LngLat, shown: LngLat = wgs84): string | null {
  const found = cityAt(wgs84);
  if (found === city) return null;
  const base = `位置（${show(shown.lng)}, ${show(shown.lat)}）不在${CITY_NAMES[city]}市服务范围内`;
  return found ? `${base}；该位置属于${CITY_NAMES[found]}市` : base;
}

/** Throws a 422 naming `location` unless the WGS-84 point lies in the city's service area. */
export function assertInServiceArea(city: City, wgs84: LngLat, shown: LngLat = wgs84): void {
  const message = serviceAreaProblem(city, wgs84, shown);
  if (message) throw new ValidationError(message, [{ field: 'location', message, city, locatedIn: cityAt(wgs84) }], 422);
}
