import type { Feature } from '../../feature';
import type { StationsStorage } from '../stations/stations.types';
import { gbfsRoutes } from './gbfs.routes';

/** The public GBFS-shaped live-capacity feed of stations. */
export const gbfsFeature: Feature<object, StationsStorage> = {
  name: 'gbfs',
  routes: (ctx) => ({ json: [gbfsRoutes(ctx)] }),
};
