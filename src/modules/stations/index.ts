import type { Feature } from '../../feature';
import { holdingKind } from '../identity/holdings';
import { stationImport } from './stations.import';
import { stationRules } from './stations.policy';
import { stationRoutes } from './stations.routes';
import type { StationsStorage } from './stations.types';
import { stationsStore } from './storage';

/** 暖新驿站: nearby search, administration, operators' seat reports, CSV/GeoJSON import. */
export const stationsFeature: Feature<StationsStorage> = {
  name: 'stations',
  store: stationsStore,
  rules: stationRules,
  holdings: (storage) => holdingKind('stationIds', 'station_operator', storage.stations),
  importKinds: (storage) => [{ kind: 'stations', objectType: 'station', definition: stationImport, repository: storage.stations }],
  routes: (ctx) => ({ json: [stationRoutes(ctx)] }),
};
