import type { LngLat } from '../shared/geo';
import type { OpeningHours } from '../shared/hours';

export const CITIES = ['chongqing', 'chengdu'] as const;
export type City = (typeof CITIES)[number];
export const CITY_NAMES: Record<City, string> = { chongqing: '重庆', chengdu: '成都' };

export const AMENITIES = [
  'drinking_water', 'hot_water', 'microwave', 'fridge', 'phone_charging', 'ebike_charging', 'battery_swap',
  'toilet', 'seating', 'air_conditioning', 'wifi', 'first_aid', 'rain_gear', 'repair_tools',
] as const;
export type Amenity = (typeof AMENITIES)[number];

export const STATION_STATUSES = ['open', 'temporarily_closed', 'closed'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

export const MERCHANT_CATEGORIES = ['餐饮', '便利店', '维修', '理发', '洗衣', '药店', '其他'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

export interface Contact {
  name: string | null;
  phone: string | null;
}

export interface Occupancy {
  /** Free seats as last reported; whether it is still fresh is the service's call. */
  available: number | null;
  reportedAt: Date | null;
  reportedBy: string | null;
}

/** Fields an administrator or importer supplies for a 暖新驿站. Coordinates are WGS-84. */
export interface StationInput {
  externalId: string | null;
  name: string;
  city: City;
  district: string;
  address: string;
  location: LngLat;
  hours: OpeningHours;
  amenities: Amenity[];
  capacity: number;
  operator: Contact;
  status: StationStatus;
  statusNote: string | null;
  isDemo: boolean;
}

export interface Station extends StationInput {
  id: string;
  occupancy: Occupancy;
  createdAt: Date;
  updatedAt: Date;
}

export interface Discount {
  text: string;
  kind: 'percent' | 'amount' | 'other';
  percentOff: number | null; // 12 means 12% off (八八折)
  amountOff: number | null; // yuan
  minSpend: number | null; // yuan
  conditions: string[];
}

export interface MerchantInput {
  externalId: string | null;
  name: string;
  city: City;
  district: string;
  address: string;
  location: LngLat;
  category: MerchantCategory;
  discount: Discount;
  validFrom: Date | null;
  validTo: Date | null;
  hours: OpeningHours;
  phone: string | null;
  status: 'active' | 'inactive';
  isDemo: boolean;
}

export interface Merchant extends MerchantInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export type Located<T> = T & { distanceM: number };

/** Filters a driver applies while it walks outward from the centre. */
export interface StationNearbyQuery {
  center: LngLat;
  radiusM: number;
  limit: number;
  amenities?: Amenity[];
  city?: City;
  /** Only stations with a free seat reported at or after this time. */
  freeSeatsSince?: Date;
}

export interface MerchantNearbyQuery {
  center: LngLat;
  radiusM: number;
  limit: number;
  category?: MerchantCategory;
  city?: City;
  /** Only merchants whose discount is valid at this time. */
  validAt: Date;
}

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

export interface StationRepository extends GeoRepository<StationInput, Station, StationNearbyQuery> {
  setOccupancy(id: string, occupancy: Occupancy, now: Date): Promise<Station | null>;
}

export type MerchantRepository = GeoRepository<MerchantInput, Merchant, MerchantNearbyQuery>;

export interface Storage {
  readonly driver: 'embedded' | 'mongo';
  readonly stations: StationRepository;
  readonly merchants: MerchantRepository;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
