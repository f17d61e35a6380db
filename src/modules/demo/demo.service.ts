import type { MerchantsStorage } from '../merchants/merchants.types';
import type { StationsStorage } from '../stations/stations.types';

type DemoStorage = StationsStorage & MerchantsStorage;
import { generateDemoData } from './demo-data';

export interface DemoSizes {
  stations: number;
  merchants: number;
  seed?: number;
}

export interface DemoLoadResult {
  loaded: boolean;
  stations: number;
  merchants: number;
}

/** Seeds demo stations and merchants, but only into a store where both are still empty; never touches real data. */
export async function loadDemoData(
  storage: DemoStorage, now: Date, sizes: DemoSizes = { stations: 300, merchants: 200 },
): Promise<DemoLoadResult> {
  const [stationCount, merchantCount] = await Promise.all([storage.stations.count(), storage.merchants.count()]);
  if (stationCount > 0 || merchantCount > 0) return { loaded: false, stations: 0, merchants: 0 };
  const data = generateDemoData({ ...sizes, now });
  const stations = await storage.stations.upsertMany(data.stations, now);
  const merchants = await storage.merchants.upsertMany(data.merchants, now);
  return { loaded: true, stations: stations.inserted, merchants: merchants.inserted };
}
