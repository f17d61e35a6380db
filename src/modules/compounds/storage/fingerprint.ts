import { fingerprint } from '../../../storage/canonical';
import type { CompoundInput } from '../compounds.types';

const COMPOUND_KEYS: Array<keyof CompoundInput> = [
  'externalId', 'name', 'city', 'district', 'address', 'location', 'propertyCompany', 'gates', 'policy', 'notes', 'isDemo',
];

/** A stable text of the fields an importer controls, to tell an update from a no-op. */
export const compoundFingerprint = (d: CompoundInput): string => fingerprint(d, COMPOUND_KEYS);
