import type Router from '@koa/router';
import type { AppDeps } from '../../app';
import { requireAdminToken } from '../../shared/auth';
import type { PlaceLookup } from '../nearby/nearby';
import { geoResourceRoutes } from '../nearby/resource-routes';
import { merchantInputSchema, merchantNearbySchema, merchantPatchSchema } from './merchants.schema';
import { createMerchantService } from './merchants.service';
import { merchantSummary, merchantView } from './merchants.view';

/** Public search and read, admin create/update/delete for 暖新商户. */
export function merchantRoutes(deps: AppDeps & { places: PlaceLookup }): Router {
  const { config, clock, storage, places } = deps;
  return geoResourceRoutes({
    prefix: '/api/v1/merchants',
    service: createMerchantService({ storage, clock }),
    summary: merchantSummary,
    view: merchantView,
    nearbySchema: merchantNearbySchema,
    inputSchema: merchantInputSchema,
    patchSchema: merchantPatchSchema,
    clock,
    freshnessMs: config.occupancyFreshnessMs,
    places,
    guard: requireAdminToken(config.adminToken),
  });
}
