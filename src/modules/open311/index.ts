import type { Feature, FeatureContext } from '../../feature';
import { createRouter, districtOf } from '../bodies';
import { createPhotoStore } from '../files/photo-store';
import type { HazardNeeds } from '../hazards';
import { createHazardService, type HazardService } from '../hazards/hazards.service';
import { createOutbox } from '../outbox/outbox.service';
import { georeportRoutes } from './georeport.routes';
import { createKeyService } from './keys.service';
import { keyRoutes } from './keys.routes';
import { open311Rules } from './open311.policy';
import type { Open311Storage } from './open311.types';
import { createRequestReader } from './requests.service';
import { open311Store } from './storage';

export type { Open311Key, Open311KeyRepository, Open311Storage } from './open311.types';
export type Open311Needs = Open311Storage & HazardNeeds;

/**
 * The hazard service for reports that arrive over Open311: routed, stored and told of as the hazards feature does
 * (the same router, photo store and outbox), except WeChat's text check, which needs a mini-program user's openid
 * that an API client does not have (keys are issued to vetted clients by city administrators, who can revoke them).
 */
function open311HazardService(ctx: FeatureContext<Open311Needs>): HazardService {
  const { storage, clock, config } = ctx;
  const outbox = createOutbox({ storage, config, clock });
  const router = createRouter({ storage, nearCompoundM: config.hazardRouting.compoundDistanceM });
  return createHazardService({
    storage, clock,
    route: (input) => router.route(input),
    districtAt: districtOf,
    checkText: async () => ({ suggest: 'pass' }),
    photos: createPhotoStore(storage.files, 'hazards'),
    emit: async (notices) => {
      await outbox.emit(notices);
    },
  });
}

/** Open311 GeoReport v2 over hazard reports, and the city administrators' client keys. */
export const open311Feature: Feature<Open311Storage, Open311Needs> = {
  name: 'open311',
  store: open311Store,
  rules: open311Rules,
  routes: (ctx) => {
    const keys = createKeyService({ storage: ctx.storage, clock: ctx.clock, audit: ctx.identity.audit });
    const georeport = georeportRoutes({
      config: ctx.config, clock: ctx.clock, limiterStore: ctx.storage.limiterStore(), hazards: open311HazardService(ctx),
      keys, requests: createRequestReader(ctx.storage),
    });
    // Before authentication: Open311 clients send no bearer token, and its errors must keep Open311's shape.
    return { early: [georeport], json: [keyRoutes(keys)] };
  },
};
