import type { BodiesStorage } from '../bodies/bodies.types';
import { generateDemoBodies } from '../bodies/demo-bodies';
import type { CompoundsStorage } from '../compounds/compounds.types';
import { generateDemoCompounds } from '../compounds/demo-compounds';
import type { MerchantsStorage } from '../merchants/merchants.types';
import type { StationsStorage } from '../stations/stations.types';
import { generateDemoData } from './demo-data';

type DemoStorage = StationsStorage & MerchantsStorage & CompoundsStorage & BodiesStorage;

export interface DemoSizes {
  stations: number;
  merchants: number;
  /** Per city. */
  compounds?: number;
  seed?: number;
}

export interface DemoLoadResult {
  loaded: boolean;
  stations: number;
  merchants: number;
  compounds: number;
  bodies: number;
}

/**
 * Seeds demo stations and merchants into a store where both are still empty, and demo compounds into one without
 * compounds that is a demo store (empty, or its first station is demo data: a demo store from before compounds
 * existed gets them too). Demo responsible bodies likewise go only into a demo store without bodies. Never touches
 * real data, nor mixes demo compounds or bodies into a store of real stations.
 */
export async function loadDemoData(
  storage: DemoStorage, now: Date, sizes: DemoSizes = { stations: 300, merchants: 200, compounds: 12 },
): Promise<DemoLoadResult> {
  const [stationCount, merchantCount, compoundCount, bodyCount] = await Promise.all([
    storage.stations.count(), storage.merchants.count(), storage.compounds.count(), storage.bodies.count(),
  ]);
  const fresh = stationCount === 0 && merchantCount === 0;
  const demoStore = fresh || (stationCount > 0 && (await storage.stations.list({ limit: 1 }))[0]?.isDemo === true);
  const perCity = sizes.compounds ?? 12;
  const compounds = compoundCount === 0 && demoStore && perCity > 0
    ? (await storage.compounds.upsertMany(generateDemoCompounds(perCity), now)).inserted : 0;
  const bodies = bodyCount === 0 && demoStore ? await loadDemoBodies(storage, now) : 0;
  if (!fresh) return { loaded: compounds > 0 || bodies > 0, stations: 0, merchants: 0, compounds, bodies };
  const data = generateDemoData({ ...sizes, now });
  const stations = await storage.stations.upsertMany(data.stations, now);
  const merchants = await storage.merchants.upsertMany(data.merchants, now);
  return { loaded: true, stations: stations.inserted, merchants: merchants.inserted, compounds, bodies };
}

/** The demo bodies, one by one in their order (the development login's body staff hold each city's first ones). */
async function loadDemoBodies(storage: BodiesStorage, now: Date): Promise<number> {
  const all = generateDemoBodies();
  for (const b of all) await storage.bodies.create(b, now);
  return all.length;
}
