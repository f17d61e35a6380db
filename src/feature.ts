import type Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Config } from './shared/config';
import type { Logger } from './shared/logger';
import type { Clock } from './shared/time';
import type { Db } from './storage/embedded/database';
import type { StorageBase } from './storage/types';
import type { HoldingKind } from './modules/identity/holdings';
import type { Identity } from './modules/identity/identity';
import type { Rules } from './modules/identity/policy';
import type { ImportKind } from './modules/import/import.types';
import type { PlaceLookup } from './modules/nearby/nearby';

/** A feature's storage: its tables and migrations on the embedded driver, its models on MongoDB, each opened into its repositories. */
export interface FeatureStore<S> {
  embedded: { migrations: readonly string[]; open(db: Db): S };
  mongo: { open(conn: Connection): Promise<S> };
}

/** What the app is built from; a feature sees the part of storage it declares it needs. */
export interface AppDeps<S = unknown> {
  config: Readonly<Config>;
  storage: StorageBase & S;
  clock: Clock;
  log: Logger;
}

/** What a feature's routers are built with: the app's dependencies plus the shared services. */
export interface FeatureContext<S = unknown> extends AppDeps<S> {
  identity: Identity;
  places: PlaceLookup;
  /** Every feature's import kinds, for the import routes. */
  importKinds: readonly ImportKind[];
}

/** Where a router mounts: before authentication (health), before the JSON body parser (raw uploads), or after it. */
export interface FeatureRouters {
  early?: Router[];
  raw?: Router[];
  json?: Router[];
}

/** Background work a feature runs in the server process (timers, pollers); stopped before storage closes. */
export interface Worker {
  stop(): Promise<void>;
}

/**
 * Everything one feature brings, in one description (Strapi's plugin shape): `S` is what it stores, `N` what it
 * needs of storage (its own and other features'). app.ts and both drivers assemble from the list in features.ts.
 */
export interface Feature<S extends object = object, N = S> {
  name: string;
  store?: FeatureStore<S>;
  /** Its rows of the policy table (the authorisation matrix test walks them all). */
  rules?: Rules;
  /** What its staff can hold (station operators hold stations), with how to check and demo them. */
  holdings?(storage: N): HoldingKind;
  /** Its bulk-import kinds (CSV and GeoJSON). */
  importKinds?(storage: N): ImportKind[];
  routes?(ctx: FeatureContext<N>): FeatureRouters;
  /** Its background work, started by server.ts (never by createApp, so tests and benchmarks run none). */
  workers?(deps: AppDeps<N>): Worker[];
}
