import type { FeatureStore } from '../../../feature';
import type { Open311Storage } from '../open311.types';
import { createEmbeddedOpen311Keys, OPEN311_MIGRATIONS } from './embedded';
import { openMongoOpen311 } from './mongo';

/** Open311 client keys (hashes only) in either driver. */
export const open311Store: FeatureStore<Open311Storage> = {
  embedded: { migrations: OPEN311_MIGRATIONS, open: (db) => ({ open311Keys: createEmbeddedOpen311Keys(db) }) },
  mongo: { open: openMongoOpen311 },
};
