import type { City } from '../../shared/domain';
import { haversineM, type LngLat } from '../../shared/geo';
import { GAZETTEER } from '../places/gazetteer';

/** Districts farther than this from the point are not guessed: the report goes without one. */
const MAX_DISTRICT_M = 30_000;

/** The district of the city whose centre is nearest the point (the gazetteer's districts), or null when none is near. */
export function districtAt(city: City, location: LngLat): string | null {
  let best: { name: string; d: number } | null = null;
  for (const p of GAZETTEER) {
    if (p.city !== city || p.kind === 'landmark') continue;
    const d = haversineM(p.location, location);
    if (!best || d < best.d) best = { name: p.name, d };
  }
  return best && best.d <= MAX_DISTRICT_M ? best.name : null;
}
