import type { ViewContext } from '../../shared/view';
import { fromWgs84, roundLngLat } from '../../shared/geo';
import { hoursText } from '../../shared/hours';
import type { Station } from './stations.types';
import { freshAvailable, stationOpenAt } from './stations.service';

/** What a rider's list needs, kept small for mobile data: coordinates in the caller's system, stale occupancy as null. */
export function stationSummary(s: Station & { distanceM?: number }, v: ViewContext) {
  return {
    id: s.id,
    name: s.name,
    city: s.city,
    district: s.district,
    address: s.address,
    location: roundLngLat(fromWgs84(s.location, v.coordSys)),
    openNow: stationOpenAt(s, v.local),
    todayHours: hoursText(s.hours, v.local.weekday),
    status: s.status,
    statusNote: s.statusNote,
    capacity: s.capacity,
    available: freshAvailable(s, v.now, v.freshnessMs),
    occupancyReportedAt: s.occupancy.reportedAt?.toISOString() ?? null,
    amenities: s.amenities,
    isDemo: s.isDemo,
    ...(s.distanceM !== undefined ? { distanceM: Math.round(s.distanceM) } : {}),
  };
}

/**
 * What stationSummary reads besides the station and the minute: the coordinate system and whether the occupancy
 * report is still fresh. Nearby lists keep each station's entry per minute and this key (listEntries).
 */
export const stationSummaryKey = (s: Station, v: ViewContext): string =>
  `${v.coordSys}|${freshAvailable(s, v.now, v.freshnessMs) === null ? 0 : 1}`;

/** The full public shape of one station: the summary plus the weekly hours, operator contact and bookkeeping. */
export function stationView(s: Station & { distanceM?: number }, v: ViewContext) {
  return {
    ...stationSummary(s, v),
    hours: s.hours,
    operator: s.operator,
    externalId: s.externalId,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
