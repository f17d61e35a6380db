import type { FeatureStore } from '../../../feature';
import { placeTableSql } from '../../../storage/embedded/database';
import type { StationsStorage } from '../stations.types';
import { createEmbeddedStations } from './embedded';
import { createMongoStations, stationModel } from './mongo';

/** Stations in either driver: one SQLite table (with its in-memory R-tree mirror) or one 2dsphere collection. */
export const stationsStore: FeatureStore<StationsStorage> = {
  embedded: {
    migrations: [placeTableSql('stations')],
    open: (db) => ({ stations: createEmbeddedStations(db) }),
  },
  mongo: { open: async (conn) => ({ stations: createMongoStations(await stationModel(conn)) }) },
};
