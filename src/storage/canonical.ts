import { MAX_PREVIOUS_REFRESH, type Session } from '../modules/identity/identity.types';
import { type MerchantInput } from '../modules/merchants/merchants.types';
import { type StationInput } from '../modules/stations/stations.types';

const STATION_KEYS: Array<keyof StationInput> = [
  'externalId', 'name', 'city', 'district', 'address', 'location', 'hours', 'amenities', 'capacity', 'operator',
  'status', 'statusNote', 'isDemo',
];
const MERCHANT_KEYS: Array<keyof MerchantInput> = [
  'externalId', 'name', 'city', 'district', 'address', 'location', 'category', 'discount', 'validFrom', 'validTo',
  'hours', 'phone', 'status', 'isDemo',
];

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function fingerprint<T>(doc: T, keys: Array<keyof T>): string {
  return JSON.stringify(keys.map((k) => sortKeys(doc[k] ?? null)));
}

/** A stable text of the fields an importer controls, to tell an update from a no-op. */
export const stationFingerprint = (d: StationInput): string => fingerprint(d, STATION_KEYS);
export const merchantFingerprint = (d: MerchantInput): string => fingerprint(d, MERCHANT_KEYS);

/** Copies only the input fields of a patch, dropping undefined ones. */
export function pickDefined<T extends object>(patch: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Sessions stored before previousHashes existed read as having none. */
export const sessionWithHistory = (s: Session | null): Session | null => (s && !s.previousHashes ? { ...s, previousHashes: [] } : s);

/** The rotated-away hashes after one more rotation, newest last, capped. */
export const rememberHash = (previous: readonly string[], hash: string): string[] => [...previous, hash].slice(-MAX_PREVIOUS_REFRESH);
