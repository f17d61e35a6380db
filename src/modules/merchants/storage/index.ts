import type { FeatureStore } from '../../../feature';
import { placeTableSql } from '../../../storage/embedded/database';
import type { MerchantsStorage } from '../merchants.types';
import { createEmbeddedMerchants } from './embedded';
import { createMongoMerchants, merchantModel } from './mongo';

/** Merchants in either driver: one SQLite table (with its in-memory R-tree mirror) or one 2dsphere collection. */
export const merchantsStore: FeatureStore<MerchantsStorage> = {
  embedded: {
    migrations: [placeTableSql('merchants')],
    open: (db) => ({ merchants: createEmbeddedMerchants(db) }),
  },
  mongo: { open: async (conn) => ({ merchants: createMongoMerchants(await merchantModel(conn)) }) },
};
