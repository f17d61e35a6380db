import gcoord from 'gcoord';

export type CoordSys = 'wgs84' | 'gcj02' | 'bd09';
export const COORD_SYSTEMS: readonly CoordSys[] = ['wgs84', 'gcj02', 'bd09'];

export interface LngLat {
  lng: number;
  lat: number;
}

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** Converts a point between coordinate systems with gcoord; identity when they match. */
export function convert(p: LngLat, from: CoordSys, to: CoordSys): LngLat {
  if (from === to) return { lng: p.lng, lat: p.lat };
  const [lng, lat] = gcoord.transform([p.lng, p.lat], CRS[from], CRS[to]) as [number, number];
  return { lng, lat };
}

export const toWgs84 = (p: LngLat, from: CoordSys): LngLat => convert(p, from, 'wgs84');

// Stored locations are never mutated (updates make new objects), so a converted point can be kept per object:
// converting ten results per nearby request through gcoord was the largest single cost after the search itself.
const CONVERTED = Symbol('converted location');
type Sealed = LngLat & { readonly [CONVERTED]?: Readonly<Record<'gcj02' | 'bd09', LngLat>> };

/**
 * Freezes a stored location with its GCJ-02 and BD-09 forms worked out once, kept on it out of sight (a symbol,
 * not enumerable: copies, JSON and equality never see it). The embedded mirror seals its documents' locations:
 * every nearby answer converts each hit, and a conversion per hit cost more than the search's distance checks.
 */
export function sealLocation(p: LngLat): void {
  if (Object.isFrozen(p)) return;
  const forms = Object.freeze({ gcj02: Object.freeze(convert(p, 'wgs84', 'gcj02')), bd09: Object.freeze(convert(p, 'wgs84', 'bd09')) });
  Object.defineProperty(p, CONVERTED, { value: forms });
  Object.freeze(p);
}

/** Whether a location was sealed (sealLocation): frozen, made anew for every stored version of its document. */
export const isSealed = (p: LngLat): boolean => (p as Sealed)[CONVERTED] !== undefined;

/** A stored WGS-84 location in another system; a sealed location answers from what it keeps. */
export function fromWgs84(p: LngLat, to: CoordSys): LngLat {
  if (to === 'wgs84') return p;
  return (p as Sealed)[CONVERTED]?.[to] ?? convert(p, 'wgs84', to);
}

/** Mean earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function haversineM(a: LngLat, b: LngLat): number {
  return haversine(a.lng, a.lat, b.lng, b.lat);
}

/** The same from plain numbers, for hot loops that should not allocate. */
export function haversine(aLng: number, aLat: number, bLng: number, bLat: number): number {
  const dLat = (bLat - aLat) * RAD;
  const dLng = (bLng - aLng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * RAD) * Math.cos(bLat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** A box that surely contains every point within radiusM of center (not for use across the poles or the antimeridian). */
export function boundingBox(center: LngLat, radiusM: number): BBox {
  const dLat = (radiusM / EARTH_RADIUS_M) / RAD;
  const cosLat = Math.cos(Math.min(89, Math.abs(center.lat) + dLat) * RAD);
  const dLng = Math.min(180, dLat / Math.max(cosLat, 1e-6));
  const pad = 1e-7; // guard against float rounding at the edge
  return {
    minLng: center.lng - dLng - pad,
    maxLng: center.lng + dLng + pad,
    minLat: center.lat - dLat - pad,
    maxLat: center.lat + dLat + pad,
  };
}

/** Rounds coordinates for output: 6 decimals is about 0.1 m. */
export function roundLngLat(p: LngLat): LngLat {
  return { lng: Math.round(p.lng * 1e6) / 1e6, lat: Math.round(p.lat * 1e6) / 1e6 };
}
