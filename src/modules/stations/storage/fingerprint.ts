import { fingerprint } from '../../../storage/canonical';
import type { StationInput } from '../stations.types';

const STATION_KEYS: Array<keyof StationInput> = [
  'externalId', 'name', 'city', 'district', 'address', 'location', 'hours', 'amenities', 'capacity', 'operator',
  'status', 'statusNote', 'isDemo',
];

/** A stable text of the fields an importer controls, to tell an update from a no-op. */
export const stationFingerprint = (d: StationInput): string => fingerprint(d, STATION_KEYS);
