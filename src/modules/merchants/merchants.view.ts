import { fromWgs84, roundLngLat } from '../../shared/geo';
import { hoursText, isOpenAt } from '../../shared/hours';
import type { Merchant } from './merchants.types';
import type { ViewContext } from '../../shared/view';

type MerchantViewContext = Omit<ViewContext, 'freshnessMs'>;

/** What a rider's list needs: the discount, distance and whether it is open, coordinates in the caller's system. */
export function merchantSummary(m: Merchant & { distanceM?: number }, v: MerchantViewContext) {
  return {
    id: m.id,
    name: m.name,
    city: m.city,
    district: m.district,
    address: m.address,
    location: roundLngLat(fromWgs84(m.location, v.coordSys)),
    category: m.category,
    discount: m.discount,
    validTo: m.validTo?.toISOString() ?? null,
    openNow: m.status === 'active' && isOpenAt(m.hours, v.local),
    todayHours: hoursText(m.hours, v.local.weekday),
    phone: m.phone,
    isDemo: m.isDemo,
    ...(m.distanceM !== undefined ? { distanceM: Math.round(m.distanceM) } : {}),
  };
}

/** What merchantSummary reads besides the merchant and the minute: the coordinate system (see listEntries). */
export const merchantSummaryKey = (_m: Merchant, v: MerchantViewContext): string => v.coordSys;

/** The full public shape of one merchant. */
export function merchantView(m: Merchant & { distanceM?: number }, v: MerchantViewContext) {
  return {
    ...merchantSummary(m, v),
    validFrom: m.validFrom?.toISOString() ?? null,
    hours: m.hours,
    status: m.status,
    externalId: m.externalId,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
