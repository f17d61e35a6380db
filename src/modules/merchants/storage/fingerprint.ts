import { fingerprint } from '../../../storage/canonical';
import type { MerchantInput } from '../merchants.types';

const MERCHANT_KEYS: Array<keyof MerchantInput> = [
  'externalId', 'name', 'city', 'district', 'address', 'location', 'category', 'discount', 'validFrom', 'validTo',
  'hours', 'phone', 'status', 'isDemo',
];

/** A stable text of the fields an importer controls, to tell an update from a no-op. */
export const merchantFingerprint = (d: MerchantInput): string => fingerprint(d, MERCHANT_KEYS);
