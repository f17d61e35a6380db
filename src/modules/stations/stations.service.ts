import type { z } from 'zod';
import { NotFoundError } from '../../shared/errors';
import { CoordSys, fromWgs84, toWgs84 } from '../../shared/geo';
import { isOpenAt } from '../../shared/hours';
import { assertInServiceArea } from '../../shared/service-area';
import { Clock, localTime, LocalTime } from '../../shared/time';
import { isId } from '../../storage/ids';
import type { Located } from '../../shared/domain';
import type { Station, StationInput } from './stations.types';
import type { StationsStorage } from './stations.types';
import { Center, collectNearby } from '../nearby/nearby';
import type { stationInputSchema, stationNearbySchema, stationPatchSchema } from './stations.schema';

export type StationNearbyParams = z.output<typeof stationNearbySchema>;
type ParsedInput = z.output<typeof stationInputSchema>;
type ParsedPatch = z.output<typeof stationPatchSchema>;

/** Whether a station is taking riders at a local time: listed open and inside its hours. */
export function stationOpenAt(s: Station, t: LocalTime): boolean {
  return s.status === 'open' && isOpenAt(s.hours, t);
}

/** Free seats if the last report is fresh enough to trust, otherwise null (unknown). */
export function freshAvailable(s: Station, now: Date, freshnessMs: number): number | null {
  const at = s.occupancy.reportedAt;
  if (s.occupancy.available === null || !at || now.getTime() - at.getTime() > freshnessMs) return null;
  return Math.min(s.occupancy.available, s.capacity);
}

export interface StationServiceDeps {
  storage: StationsStorage;
  clock: Clock;
  freshnessMs: number;
}

/** Domain rules for 暖新驿站: search, read and administer. */
export function createStationService({ storage, clock, freshnessMs }: StationServiceDeps) {
  const repo = storage.stations;

  async function mustGet(id: string): Promise<Station> {
    const s = isId(id) ? await repo.get(id) : null;
    if (!s) throw new NotFoundError(`驿站 ${id} 不存在`, { field: 'id' });
    return s;
  }

  return {
    async nearby(q: StationNearbyParams, c: Center): Promise<Array<Located<Station>>> {
      const now = clock.now();
      const t = localTime(now);
      return collectNearby(
        (limit) => repo.nearby({
          center: c.center, radiusM: c.radiusM, limit, amenities: q.amenities, city: q.city,
          freeSeatsSince: q.hasSeats ? new Date(now.getTime() - freshnessMs) : undefined,
        }),
        (s) => !q.openNow || stationOpenAt(s, t),
        q.limit,
      );
    },
    get: mustGet,
    async create(input: ParsedInput, coordSys: CoordSys): Promise<Station> {
      const station = toInput(input, coordSys);
      assertInServiceArea(station.city, station.location, input.location);
      return repo.create(station, clock.now());
    },
    async update(id: string, patch: ParsedPatch, coordSys: CoordSys): Promise<Station> {
      const current = await mustGet(id);
      const changes: Partial<StationInput> = patch.location ? { ...patch, location: toWgs84(patch.location, coordSys) } : patch;
      // A new city or a new location must still agree with the other one.
      if (changes.city || changes.location) {
        const location = changes.location ?? current.location;
        assertInServiceArea(changes.city ?? current.city, location, patch.location ?? fromWgs84(location, coordSys));
      }
      const updated = await repo.update(id, changes, clock.now());
      if (!updated) throw new NotFoundError(`驿站 ${id} 不存在`, { field: 'id' });
      return updated;
    },
    /** An operator's report of free seats, stamped with who and when. */
    async reportOccupancy(id: string, available: number, reportedBy: string): Promise<Station> {
      const now = clock.now();
      const updated = await repo.setOccupancy(id, { available, reportedAt: now, reportedBy }, now);
      if (!updated) throw new NotFoundError(`驿站 ${id} 不存在`, { field: 'id' });
      return updated;
    },
    async setStatus(id: string, status: Station['status'], statusNote: string | null): Promise<Station> {
      const updated = await repo.update(id, { status, statusNote }, clock.now());
      if (!updated) throw new NotFoundError(`驿站 ${id} 不存在`, { field: 'id' });
      return updated;
    },
    async remove(id: string): Promise<void> {
      if (!isId(id) || !(await repo.delete(id))) throw new NotFoundError(`驿站 ${id} 不存在`, { field: 'id' });
    },
  };
}

/** Converts a validated request body to a WGS-84 StationInput. */
export function toInput(input: ParsedInput, coordSys: CoordSys): StationInput {
  return { ...input, location: toWgs84(input.location, coordSys), isDemo: false } as StationInput;
}

export type StationService = ReturnType<typeof createStationService>;
