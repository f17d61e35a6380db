import type { City } from '../../shared/domain';
import { haversineM, type LngLat } from '../../shared/geo';
import { GAZETTEER } from '../places/gazetteer';

/** Places a body can be responsible for: districts, counties and functional areas (两江新区, 成都高新区). */
const AREAS = GAZETTEER.filter((p) => p.kind === 'district' || p.kind === 'county' || p.kind === 'area');
/** Places a point is assigned to: county-level divisions only (a functional area overlaps them). */
const DIVISIONS = AREAS.filter((p) => p.kind !== 'area');

/** The district, county and area names of a city, as bodies and reports store them (full names: 渝中区). */
export const districtNames = (city: City): string[] => AREAS.filter((p) => p.city === city).map((p) => p.name);

/** The full name of a district, county or area of the city from its full name, short name or alias (渝中 -> 渝中区); null when unknown. */
export function canonicalDistrict(city: City, name: string): string | null {
  const n = name.trim().normalize('NFKC');
  const hit = AREAS.find((p) => p.city === city && (p.name === n || p.shortName === n || p.aliases.includes(n)));
  return hit?.name ?? null;
}

/** Points with the division they lie in: each district's and county's seat, and each landmark of a division. */
const ANCHORS: ReadonlyArray<{ city: City; location: LngLat; division: string }> = [
  ...DIVISIONS.map((p) => ({ city: p.city, location: p.location, division: p.name })),
  ...GAZETTEER.filter((l) => l.kind === 'landmark' && DIVISIONS.some((d) => d.city === l.city && d.name === l.district))
    .map((l) => ({ city: l.city, location: l.location, division: l.district as string })),
];

/**
 * The district or county of a point: that of the nearest gazetteer anchor (a seat, or a landmark such as 观音桥 of
 * 江北区). An estimate, good in the urban core and rough near borders; null only when the city has no anchor.
 */
export function districtOf(city: City, point: LngLat): string | null {
  let best: string | null = null;
  let bestM = Infinity;
  for (const a of ANCHORS) {
    if (a.city !== city) continue;
    const d = haversineM(point, a.location);
    if (d < bestM) [best, bestM] = [a.division, d];
  }
  return best;
}
