import type { FakeRequest, FakeResponse } from './fake-types';
import { fakeError, ok, type FakeUser } from './fake-world';
import { STATIONS } from './fixtures';

/** Every day 08:00-22:00, as the station detail gives the weekly hours. */
const DAILY = { kind: 'weekly', days: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '08:00', close: '22:00' }]])) };
const stations = new Map(STATIONS.map((s) => [s.id, s]));

/** GET /api/v1/stations/:id, public: the fixture with its weekly hours and no distance. */
export function fakeStationDetail(req: FakeRequest): FakeResponse | null {
  const one = /^\/api\/v1\/stations\/([^/]+)$/.exec(req.path);
  if (req.method !== 'GET' || !one || one[1] === 'nearby') return null;
  const s = stations.get(one[1] as string);
  if (!s) return fakeError(404, '驿站不存在');
  const { distanceM: _d, ...detail } = s;
  return ok({ ...detail, hours: DAILY });
}

/** PUT /api/v1/stations/:id/occupancy and /status, for an operator holding the station. */
export function fakeStationReports(req: FakeRequest, user: FakeUser): FakeResponse | null {
  const m = /^\/api\/v1\/stations\/([^/]+)\/(occupancy|status)$/.exec(req.path);
  if (req.method !== 'PUT' || !m) return null;
  const s = stations.get(m[1] as string);
  if (!s) return fakeError(404, '驿站不存在');
  if (user.kind !== 'staff' || !user.staff.holdings.stationIds.includes(s.id)) return fakeError(403, '权限不足：只能更新自己运营的驿站');
  const b = (req.body ?? {}) as { available?: number; status?: string; note?: string | null };
  const { distanceM: _d, ...detail } = s;
  if (m[2] === 'status') return ok({ ...detail, status: b.status, statusNote: b.note ?? null, hours: DAILY });
  if (typeof b.available !== 'number' || b.available > s.capacity) return fakeError(422, `座位数须在 0 到 ${s.capacity} 之间`, [{ field: 'available', capacity: s.capacity }]);
  return ok({ ...detail, available: b.available, hours: DAILY });
}
