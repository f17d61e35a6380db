import type { FeatureStore } from '../../../feature';
import type { BodiesStorage } from '../bodies.types';
import { BODY_MIGRATIONS, createEmbeddedBodies } from './embedded';
import { bodyModel, createMongoBodies } from './mongo';

/** Responsible bodies in either driver: one SQLite table or one MongoDB collection. */
export const bodiesStore: FeatureStore<BodiesStorage> = {
  embedded: { migrations: BODY_MIGRATIONS, open: (db) => ({ bodies: createEmbeddedBodies(db) }) },
  mongo: { open: async (conn) => ({ bodies: createMongoBodies(await bodyModel(conn)) }) },
};
