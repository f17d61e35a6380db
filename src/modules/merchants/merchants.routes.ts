import type Router from '@koa/router';
import { merchantDocs } from './merchants.openapi';
import type { FeatureContext } from '../../feature';
import type { MerchantsStorage } from './merchants.types';
import { allows, authorize } from './merchants.policy';
import { geoResourceRoutes, holderEditsAuthorize } from '../nearby/resource-routes';
import { merchantInputSchema, merchantNearbySchema, merchantPatchSchema } from './merchants.schema';
import { createMerchantService } from './merchants.service';
import { merchantSummary, merchantSummaryKey, merchantView } from './merchants.view';

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
    summaryKey: merchantSummaryKey,
    view: merchantView,
    nearbySchema: merchantNearbySchema,
    inputSchema: merchantInputSchema,
    patchSchema: merchantPatchSchema,
    clock,
    freshnessMs: config.occupancyFreshnessMs,
    places,
    authorize: holderEditsAuthorize({
      holderRole: 'merchant_owner',
      fields: OFFER_FIELDS,
      mayUpdate: (p, t) => allows(p, 'merchant.update', t),
      authorizeHolder: (p, t) => authorize(p, 'merchant.offer', t),
      authorizeOp: (p, op, t) => authorize(p, `merchant.${op}`, t),
      refusal: (other) => `商户只能修改营业时间和优惠，不能修改：${other.join(', ')}`,
    }),
    audit: identity.audit,
    docs: merchantDocs,
  });
}
