import type { Feature } from '../../feature';
import type { IdentityStorage } from '../identity/identity.types';
import { attestationRoutes } from './attestations.routes';
import { platformRules } from './platforms.policy';
import { keyRoutes, verificationRoutes } from './platforms.routes';
import type { PlatformsStorage } from './platforms.types';
import { platformsStore } from './storage';

export { ACCESS_LEVELS, type AccessLevel, type RiderFacts, type PlatformsStorage } from './platforms.types';
export { createPlatformService, deriveFacts, levelAtLeast, type PlatformService, type PlatformServiceDeps } from './platforms.service';

/** Delivery platforms vouch for riders: city administrators register platform keys, platforms send signed attestations. */
export const platformsFeature: Feature<PlatformsStorage, PlatformsStorage & IdentityStorage> = {
  name: 'platforms',
  store: platformsStore,
  rules: platformRules,
  routes: (ctx) => ({
    // The attestation route checks a signature over the raw body, so it mounts before the JSON body parser.
    raw: [attestationRoutes(ctx)],
    json: [keyRoutes(ctx), verificationRoutes(ctx)],
  }),
};
