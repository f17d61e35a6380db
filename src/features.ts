import type { Feature } from './feature';
import type { StorageBase } from './storage/types';
import { bodiesFeature } from './modules/bodies';
import { compoundsFeature } from './modules/compounds';
import { filesFeature } from './modules/files';
import { hazardsFeature } from './modules/hazards';
import { gateKeysFeature } from './modules/gate-keys';
import { gbfsFeature } from './modules/gbfs';
import { identityFeature } from './modules/identity';
import { importFeature } from './modules/import';
import { merchantsFeature } from './modules/merchants';
import { open311Feature } from './modules/open311';
import { outboxFeature } from './modules/outbox';
import { platformsFeature } from './modules/platforms';
import { stationsFeature } from './modules/stations';

/**
 * Every feature of the service, the one list app.ts and both storage drivers assemble from. Adding a feature is
 * its folder plus one line here. Order matters only for routes that could match the same path.
 */
export const FEATURES = [identityFeature, stationsFeature, merchantsFeature, gbfsFeature, importFeature, gateKeysFeature, outboxFeature, platformsFeature, compoundsFeature, bodiesFeature, filesFeature, hazardsFeature, open311Feature] as const;

type StoreOf<F> = F extends Feature<infer S, infer _N> ? S : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Everything the drivers store: the base plus each feature's repositories. */
export type Storage = StorageBase & Intersect<StoreOf<(typeof FEATURES)[number]>>;

/** The features in list form for code that walks them, each handed the whole storage. */
export const features: ReadonlyArray<Feature<object, Storage>> = FEATURES;
