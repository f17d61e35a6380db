import type { FeatureStore } from '../../../feature';
import type { MerchantsStorage } from '../merchants.types';
import { createEmbeddedMerchants } from './embedded';
import { createMongoMerchants, merchantModel } from './mongo';

/** Merchants in either driver: one SQLite table (with its in-memory R-tree mirror) or one 2dsphere collection. */
export const merchantsStore: FeatureStore<MerchantsStorage> = {
  embedded: {
    migrations: [
      `CREATE TABLE merchants (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         external_id TEXT UNIQUE,
         city TEXT NOT NULL,
         doc TEXT NOT NULL
       );
       CREATE INDEX merchants_city ON merchants (city, id);`,
    ],
    open: (db) => ({ merchants: createEmbeddedMerchants(db) }),
  },
  mongo: { open: async (conn) => ({ merchants: createMongoMerchants(await merchantModel(conn)) }) },
};
