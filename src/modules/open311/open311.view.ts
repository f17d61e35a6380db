import { roundLngLat } from '../../shared/geo';
import { categoryOf, TIMED_STATES, type HazardCategory, type TimedState } from '../hazards/categories';
import { OPEN_STATUSES, type HazardReport } from '../hazards/hazards.types';

const HOUR_MS = 3_600_000;

/** A category as an Open311 service: no extra attributes (metadata false), the id returned at once (realtime). */
export function serviceView(c: HazardCategory) {
  return {
    service_code: c.code,
    service_name: c.name,
    description: c.description,
    metadata: false,
    type: 'realtime' as const,
    keywords: c.keywords.join(','),
    group: c.bodyType,
  };
}

/** A service definition: the specification's shape, with no attributes (none of our categories has any). */
export const definitionView = (c: HazardCategory) => ({ service_code: c.code, attributes: [] as never[] });

const isOpen = (r: HazardReport): boolean => OPEN_STATUSES.includes(r.status);

/** Why it is in its state: the reject reason, the original of a duplicate, else the latest update's note. */
export function statusNotes(r: HazardReport): string | null {
  const note = r.updates.at(-1)?.note ?? null;
  if (r.status === 'rejected') return r.rejectReason ?? note;
  if (r.status === 'duplicate' && r.duplicateOf) {
    const same = `与上报 ${r.duplicateOf} 重复`;
    return note && note !== same ? `${same}：${note}` : same;
  }
  return note;
}

/** When an open report should be fixed: its time in the current state plus the hours its category allows the later states. */
export function expectedAt(r: HazardReport): Date | null {
  const hours = categoryOf(r.category)?.hours;
  const from = TIMED_STATES.indexOf(r.status as TimedState);
  if (!hours || from < 0) return null;
  const total = TIMED_STATES.slice(from).reduce((sum, s) => sum + hours[s], 0);
  return new Date(r.statusSince.getTime() + total * HOUR_MS);
}

/**
 * A report as an Open311 service request; every field the specification lists, null where we have nothing
 * (address_id, zipcode). Coordinates WGS-84; media_url the first photo's absolute URL under `base`.
 */
export function requestView(r: HazardReport, base: string) {
  const at = roundLngLat(r.location);
  const closedAt = isOpen(r) ? null : r.statusSince;
  return {
    service_request_id: r.id,
    status: isOpen(r) ? ('open' as const) : ('closed' as const),
    status_notes: statusNotes(r),
    service_name: categoryOf(r.category)?.name ?? r.category,
    service_code: r.category,
    description: r.description,
    agency_responsible: r.route.bodyName,
    service_notice: r.route.why,
    requested_datetime: r.createdAt.toISOString(),
    // The specification: for a closed request, when it was closed.
    updated_datetime: (closedAt ?? r.updatedAt).toISOString(),
    expected_datetime: expectedAt(r)?.toISOString() ?? null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: at.lat,
    long: at.lng,
    media_url: r.photos.length ? `${base}/api/v1/hazards/${r.id}/photos/1` : null,
  };
}
