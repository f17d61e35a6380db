import type Router from '@koa/router';
import { merchantDocs } from './merchants.openapi';
import type { FeatureContext } from '../../feature';
import type { MerchantsStorage } from './merchants.types';
import { ForbiddenError } from '../../shared/errors';
import { allows, authorize } from './merchants.policy';
import { geoResourceRoutes } from '../nearby/resource-routes';
import { merchantInputSchema, merchantNearbySchema, merchantPatchSchema } from './merchants.schema';
import { createMerchantService } from './merchants.service';
import { merchantSummary, merchantView } from './merchants.view';

/** What a merchant owner may change on their own shop: hours and the rider discount. */
const OFFER_FIELDS = new Set(['hours', 'discount', 'validFrom', 'validTo']);

/** Public search and read; city administrators write; merchant owners edit their own shops' hours and discounts. */
export function merchantRoutes(deps: FeatureContext<MerchantsStorage>): Router {
  const { config, clock, storage, places, identity } = deps;
  return geoResourceRoutes({
    prefix: '/api/v1/merchants',
    kind: 'merchant',
    service: createMerchantService({ storage, clock }),
    summary: merchantSummary,
    view: merchantView,
    nearbySchema: merchantNearbySchema,
    inputSchema: merchantInputSchema,
    patchSchema: merchantPatchSchema,
    clock,
    freshnessMs: config.occupancyFreshnessMs,
    places,
    authorize: (ctx, op, city, doc, patch) => {
      const p = ctx.state.principal;
      const target = { city, id: doc?.id };
      if (op === 'update' && p?.role === 'merchant_owner' && !allows(p, 'merchant.update', target)) {
        const other = Object.keys(patch ?? {}).filter((k) => !OFFER_FIELDS.has(k));
        authorize(p, 'merchant.offer', target);
        if (other.length) throw new ForbiddenError(`商户只能修改营业时间和优惠，不能修改：${other.join(', ')}`, { fields: other });
        return;
      }
      authorize(p, `merchant.${op}`, target);
    },
    audit: identity.audit,
    docs: merchantDocs,
  });
}
