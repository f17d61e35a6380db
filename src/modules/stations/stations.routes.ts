import type Router from '@koa/router';
import type { AppDeps } from '../../app';
import { requireAdminToken } from '../../shared/auth';
import type { PlaceLookup } from '../nearby/nearby';
import { geoResourceRoutes } from '../nearby/resource-routes';
import { stationInputSchema, stationNearbySchema, stationPatchSchema } from './stations.schema';
import { createStationService } from './stations.service';
import { stationSummary, stationView } from './stations.view';

/** Public search and read, admin create/update/delete for 暖新驿站. */
export function stationRoutes(deps: AppDeps & { places: PlaceLookup }): Router {
  const { config, clock, storage, places } = deps;
  return geoResourceRoutes({
    prefix: '/api/v1/stations',
    service: createStationService({ storage, clock, freshnessMs: config.occupancyFreshnessMs }),
    summary: stationSummary,
    view: stationView,
    nearbySchema: stationNearbySchema,
    inputSchema: stationInputSchema,
    patchSchema: stationPatchSchema,
    clock,
    freshnessMs: config.occupancyFreshnessMs,
    places,
    guard: requireAdminToken(config.adminToken),
  });
}
