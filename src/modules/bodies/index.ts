import type { Feature } from '../../feature';
import { holdingKind } from '../identity/holdings';
import { bodyRules } from './bodies.policy';
import { bodyRoutes, type BodyNeeds } from './bodies.routes';
import type { BodiesStorage } from './bodies.types';
import { bodiesStore } from './storage';

export type { BodiesStorage, BodyContact, BodyInput, BodyRepository, ResponsibleBody } from './bodies.types';
export { createRouter, type HazardRouter, type RouteInput, type RouterDeps } from './routing';
export { canonicalDistrict, districtNames, districtOf } from './districts';

/** 三事分流 routing: responsible bodies (责任单位) per city and district, held by body staff, and the router. */
export const bodiesFeature: Feature<BodiesStorage, BodyNeeds> = {
  name: 'bodies',
  store: bodiesStore,
  rules: bodyRules,
  holdings: (storage) => holdingKind('bodyIds', 'body_staff', storage.bodies),
  routes: (ctx) => ({ json: [bodyRoutes(ctx)] }),
};
