import type { FeatureStore } from '../../../feature';
import type { PlatformsStorage } from '../platforms.types';
import { createEmbeddedAttestations, createEmbeddedNonces, createEmbeddedPlatformKeys, PLATFORM_MIGRATIONS } from './embedded';
import { createMongoAttestations, createMongoNonces, createMongoPlatformKeys, createPlatformModels } from './mongo';

/** Platform keys, attestations and used nonces in either driver. */
export const platformsStore: FeatureStore<PlatformsStorage> = {
  embedded: {
    migrations: PLATFORM_MIGRATIONS,
    open: (db) => ({
      platformKeys: createEmbeddedPlatformKeys(db),
      attestations: createEmbeddedAttestations(db),
      platformNonces: createEmbeddedNonces(db),
    }),
  },
  mongo: {
    async open(conn) {
      const m = await createPlatformModels(conn);
      return {
        platformKeys: createMongoPlatformKeys(m.keys),
        attestations: createMongoAttestations(m.attestations),
        platformNonces: createMongoNonces(m.nonces),
      };
    },
  },
};
