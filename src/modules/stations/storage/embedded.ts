import { stationFingerprint } from './fingerprint';
import { newId } from '../../../storage/ids';
import type { Occupancy, Station, StationInput, StationNearbyQuery, StationRepository } from '../stations.types';
import type { Db } from '../../../storage/embedded/database';
import { createGeoRepository } from '../../../storage/embedded/geo-repository';
import { sealHours } from '../../../shared/hours';

function revive(raw: Record<string, unknown>): Station {
  const s = raw as unknown as Station & { occupancy: { reportedAt: string | null } };
  return {
    ...s,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
    occupancy: { ...s.occupancy, reportedAt: s.occupancy.reportedAt ? new Date(s.occupancy.reportedAt) : null },
  };
}

/** The nearby filters as one predicate over a stored station. */
function stationFilter(q: StationNearbyQuery): (s: Station) => boolean {
  const since = q.freeSeatsSince?.getTime();
  return (s) =>
    s.status !== 'closed' &&
    (!q.city || s.city === q.city) &&
    (!q.amenities || q.amenities.every((a) => s.amenities.includes(a))) &&
    (since === undefined || ((s.occupancy.available ?? 0) > 0 && (s.occupancy.reportedAt?.getTime() ?? -Infinity) >= since));
}

/** 暖新驿站 in the embedded store. */
export function createEmbeddedStations(db: Db): StationRepository {
  const { patch, ...repo } = createGeoRepository<StationInput, Station, StationNearbyQuery>(db, {
    table: 'stations',
    revive,
    seal: (d) => sealHours(d.hours),
    build: (input, now) => ({
      ...input, id: newId(), occupancy: { available: null, reportedAt: null, reportedBy: null }, createdAt: now, updatedAt: now,
    }),
    fingerprint: stationFingerprint,
    filter: stationFilter,
  });
  return {
    ...repo,
    setOccupancy: async (id: string, occupancy: Occupancy, now: Date) => patch(id, { occupancy }, now),
  };
}
