import type { Feature } from '../../feature';
import { hazardServiceFor, type HazardNeeds } from '../hazards';
import { georeportRoutes } from './georeport.routes';
import { createKeyService } from './keys.service';
import { keyRoutes } from './keys.routes';
import { open311Rules } from './open311.policy';
import type { Open311Storage } from './open311.types';
import { createRequestReader } from './requests.service';
import { open311Store } from './storage';

export type { Open311Key, Open311KeyRepository, Open311Storage } from './open311.types';
export type Open311Needs = Open311Storage & HazardNeeds;

/** Open311 GeoReport v2 over hazard reports, and the city administrators' client keys. */
export const open311Feature: Feature<Open311Storage, Open311Needs> = {
  name: 'open311',
  store: open311Store,
  rules: open311Rules,
  routes: (ctx) => {
    const keys = createKeyService({ storage: ctx.storage, clock: ctx.clock, audit: ctx.identity.audit });
    const georeport = georeportRoutes({
      config: ctx.config, clock: ctx.clock, limiterStore: ctx.storage.limiterStore(), hazards: hazardServiceFor(ctx, { checkText: false }),
      keys, requests: createRequestReader(ctx.storage),
    });
    // Before authentication: Open311 clients send no bearer token, and its errors must keep Open311's shape.
    return { early: [georeport], json: [keyRoutes(keys)] };
  },
};
