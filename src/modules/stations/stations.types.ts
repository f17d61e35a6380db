import type { City, GeoRepository, PlaceInput } from '../../shared/domain';
import type { LngLat } from '../../shared/geo';
import type { OpeningHours } from '../../shared/hours';

export const AMENITIES = [
  'drinking_water', 'hot_water', 'microwave', 'fridge', 'phone_charging', 'ebike_charging', 'battery_swap',
  'toilet', 'seating', 'air_conditioning', 'wifi', 'first_aid', 'rain_gear', 'repair_tools',
] as const;
export type Amenity = (typeof AMENITIES)[number];

export const STATION_STATUSES = ['open', 'temporarily_closed', 'closed'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

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
export interface StationInput extends PlaceInput {
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

export interface StationRepository extends GeoRepository<StationInput, Station, StationNearbyQuery> {
  setOccupancy(id: string, occupancy: Occupancy, now: Date): Promise<Station | null>;
}

/** What the stations feature keeps in storage. */
export interface StationsStorage {
  readonly stations: StationRepository;
}
