import type { FeatureStore } from '../../../feature';
import type { CompoundsStorage } from '../compounds.types';
import { compoundMigrations, openEmbeddedCompounds } from './embedded';
import { openMongoCompounds } from './mongo';

/** Compounds and everything about getting in: SQLite tables (compounds mirrored in memory) or MongoDB collections. */
export const compoundsStore: FeatureStore<CompoundsStorage> = {
  embedded: { migrations: compoundMigrations, open: openEmbeddedCompounds },
  mongo: { open: openMongoCompounds },
};
