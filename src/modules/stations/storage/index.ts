import type { FeatureStore } from '../../../feature';
import type { StationsStorage } from '../stations.types';
import { createEmbeddedStations } from './embedded';
import { createMongoStations, stationModel } from './mongo';

/** Stations in either driver: one SQLite table (with its in-memory R-tree mirror) or one 2dsphere collection. */
export const stationsStore: FeatureStore<StationsStorage> = {
  embedded: {
    migrations: [
      `CREATE TABLE stations (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         external_id TEXT UNIQUE,
         city TEXT NOT NULL,
         doc TEXT NOT NULL
       );
       CREATE INDEX stations_city ON stations (city, id);`,
    ],
    open: (db) => ({ stations: createEmbeddedStations(db) }),
  },
  mongo: { open: async (conn) => ({ stations: createMongoStations(await stationModel(conn)) }) },
};
