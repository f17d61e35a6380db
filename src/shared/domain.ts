import type { LngLat } from './geo';

/** Words and shapes every feature shares: the two cities, paging, and the located-repository contract. */
export const CITIES = ['chongqing', 'chengdu'] as const;
export type City = (typeof CITIES)[number];
export const CITY_NAMES: Record<City, string> = { chongqing: '重庆', chengdu: '成都' };

/** What every located aggregate (station, merchant, compound) has: where it is and what it is called. WGS-84. */
export interface PlaceInput {
  externalId: string | null; // the importer's id, unique when set
  name: string;
  city: City;
  district: string;
  address: string;
  location: LngLat;
}

export type Located<T> = T & { distanceM: number };

export interface ListQuery {
  city?: City;
  limit: number;
  /** Keyset paging: ids sort ascending; pass the last id seen. */
  after?: string;
}

export interface UpsertReport {
  inserted: number;
  updated: number;
  unchanged: number;
  ids: string[];
}

export interface GeoRepository<Input, Doc, Nearby> {
  create(input: Input, now: Date): Promise<Doc>;
  get(id: string): Promise<Doc | null>;
  /** The document with this external (importer's) id, in any city. */
  getByExternalId(externalId: string): Promise<Doc | null>;
  /** Replaces the given fields; null when the id is unknown. */
  update(id: string, patch: Partial<Input>, now: Date): Promise<Doc | null>;
  delete(id: string): Promise<boolean>;
  list(q: ListQuery): Promise<Doc[]>;
  count(filter?: { city?: City }): Promise<number>;
  /** Nearest first, within radiusM, at most limit; distanceM is great-circle metres. */
  nearby(q: Nearby): Promise<Array<Located<Doc>>>;
  /** Inserts or updates by externalId, all or nothing; equal documents count as unchanged. */
  upsertMany(items: Input[], now: Date): Promise<UpsertReport>;
}
