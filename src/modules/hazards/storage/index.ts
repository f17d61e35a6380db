import type { FeatureStore } from '../../../feature';
import type { HazardsStorage } from '../hazards.types';
import { hazardMigrations, openEmbeddedHazards } from './embedded';
import { openMongoHazards } from './mongo';

/** Hazard reports (mirrored in memory for nearby and queues) and points, in either driver. */
export const hazardsStore: FeatureStore<HazardsStorage> = {
  embedded: { migrations: hazardMigrations, open: openEmbeddedHazards },
  mongo: { open: openMongoHazards },
};
