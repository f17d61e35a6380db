import { createStationService } from '../../src/modules/stations/stations.service';
import { convert, CoordSys } from '../../src/shared/geo';
import { merchantInput, rng, stationInput } from '../helpers/fixtures';
import { buildTestApp, TestApp } from '../helpers/app';

const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 }; // WGS-84
const offset = (dx: number, dy: number) => ({ lng: JIEFANGBEI.lng + dx / 96_900, lat: JIEFANGBEI.lat + dy / 111_200 });

/** An independent great-circle distance (spherical law of cosines in another form), for checking the service. */
function greatCircleM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const r = Math.PI / 180;
  const x = (b.lng - a.lng) * r * Math.cos(((a.lat + b.lat) / 2) * r);
  const y = (b.lat - a.lat) * r;
  const equirect = Math.sqrt(x * x + y * y);
  const cosC = Math.sin(a.lat * r) * Math.sin(b.lat * r) + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.cos((b.lng - a.lng) * r);
  // acos loses precision for tiny angles; below 1 km the equirectangular form is exact to well under a metre.
  return 6_371_008.8 * (equirect < 1.6e-4 ? equirect : Math.acos(Math.min(1, cosC)));
}

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

describe('GET /api/v1/stations/nearby', () => {
  it('returns the nearest stations first with integer distances and GCJ-02 coordinates by default', async () => {
    const near = await t.storage.stations.create(stationInput({ name: '近', location: offset(0, 50) }), t.clock.now());
    const far = await t.storage.stations.create(stationInput({ name: '远', location: offset(600, 0) }), t.clock.now());
    const c = convert(JIEFANGBEI, 'wgs84', 'gcj02');
    const res = await t.http.get('/api/v1/stations/nearby').query({ lng: c.lng, lat: c.lat });
    expect(res.status).toBe(200);
    expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([near.id, far.id]);
    const first = res.body.data[0];
    expect(Number.isInteger(first.distanceM)).toBe(true);
    expect(Math.abs(first.distanceM - 50)).toBeLessThanOrEqual(1);
    const expectedLoc = convert(near.location, 'wgs84', 'gcj02');
    expect(first.location.lng).toBeCloseTo(expectedLoc.lng, 5);
    expect(first.location.lat).toBeCloseTo(expectedLoc.lat, 5);
    expect(first).toMatchObject({ name: '近', openNow: true, capacity: 10, available: null, amenities: ['seating', 'drinking_water'] });
    expect(res.body.meta).toMatchObject({ coordSys: 'gcj02', radius: 1000, count: 2 });
  });

  it.each<CoordSys>(['wgs84', 'gcj02', 'bd09'])('matches a brute-force great-circle scan when asked in %s', async (coordSys) => {
    const rand = rng(coordSys.length * 7919);
    const items = Array.from({ length: 300 }, (_, i) => stationInput({ externalId: `b${i}`, location: offset((rand() - 0.5) * 6000, (rand() - 0.5) * 6000) }));
    await t.storage.stations.upsertMany(items, t.clock.now());
    const all = await t.storage.stations.list({ limit: 1000 });
    for (let k = 0; k < 8; k++) {
      const wgs = offset((rand() - 0.5) * 4000, (rand() - 0.5) * 4000);
      const asked = convert(wgs, 'wgs84', coordSys);
      const radius = 300 + Math.floor(rand() * 1500);
      const res = await t.http.get('/api/v1/stations/nearby').query({ lng: asked.lng, lat: asked.lat, coordSys, radius, limit: 20 });
      expect(res.status).toBe(200);
      const expected = all
        .map((s) => ({ id: s.id, d: greatCircleM(wgs, s.location), loc: s.location }))
        .filter((x) => x.d <= radius)
        .sort((a, b) => a.d - b.d)
        .slice(0, 20);
      expect(res.body.data.map((s: { id: string }) => s.id)).toEqual(expected.map((e) => e.id));
      res.body.data.forEach((s: { distanceM: number; location: { lng: number; lat: number } }, i: number) => {
        const e = expected[i]!;
        expect(Math.abs(s.distanceM - e.d)).toBeLessThanOrEqual(1);
        const loc = convert(e.loc, 'wgs84', coordSys);
        expect(Math.abs(s.location.lng - loc.lng)).toBeLessThan(2e-6);
        expect(Math.abs(s.location.lat - loc.lat)).toBeLessThan(2e-6);
      });
    }
  });

  it('requires all listed amenities', async () => {
    const both = await t.storage.stations.create(stationInput({ amenities: ['toilet', 'microwave'] }), t.clock.now());
    await t.storage.stations.create(stationInput({ amenities: ['toilet'] }), t.clock.now());
    const res = await t.http.get('/api/v1/stations/nearby').query({ lng: JIEFANGBEI.lng, lat: JIEFANGBEI.lat, coordSys: 'wgs84', amenities: 'toilet,microwave' });
    expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([both.id]);
  });

  it('computes openNow in Asia/Shanghai, including ranges that run past midnight', async () => {
    const night = await t.storage.stations.create(stationInput({ hours: { kind: 'weekly', days: { tue: [{ open: '22:00', close: '02:00' }] } } }), t.clock.now());
    const day = await t.storage.stations.create(stationInput({ hours: { kind: 'weekly', days: { wed: [{ open: '08:00', close: '22:00' }] } } }), t.clock.now());
    const q = { lng: JIEFANGBEI.lng, lat: JIEFANGBEI.lat, coordSys: 'wgs84', openNow: 'true' };
    t.clock.set('2026-11-24T17:30:00Z'); // Wed 01:30 in Chongqing: Tuesday's night range still open
    expect((await t.http.get('/api/v1/stations/nearby').query(q)).body.data.map((s: { id: string }) => s.id)).toEqual([night.id]);
    t.clock.set('2026-11-25T04:00:00Z'); // Wed 12:00
    expect((await t.http.get('/api/v1/stations/nearby').query(q)).body.data.map((s: { id: string }) => s.id)).toEqual([day.id]);
    t.clock.set('2026-11-25T18:30:00Z'); // Thu 02:30: both closed
    expect((await t.http.get('/api/v1/stations/nearby').query(q)).body.data).toEqual([]);
  });

  it('fills the limit with open stations even when closer ones are closed', async () => {
    const closedHours = { kind: 'weekly' as const, days: { sun: [{ open: '08:00', close: '09:00' }] } };
    for (let i = 0; i < 30; i++) await t.storage.stations.create(stationInput({ location: offset(i, 0), hours: closedHours }), t.clock.now());
    const open = await t.storage.stations.create(stationInput({ location: offset(500, 0) }), t.clock.now());
    const res = await t.http.get('/api/v1/stations/nearby').query({ lng: JIEFANGBEI.lng, lat: JIEFANGBEI.lat, coordSys: 'wgs84', openNow: 'true', limit: 1 });
    expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([open.id]);
  });

  it('reports stale occupancy as unknown and does not count it as a free seat', async () => {
    const fresh = await t.storage.stations.create(stationInput({ location: offset(10, 0) }), t.clock.now());
    const stale = await t.storage.stations.create(stationInput({ location: offset(20, 0) }), t.clock.now());
    const now = t.clock.now().getTime();
    await t.storage.stations.setOccupancy(fresh.id, { available: 4, reportedAt: new Date(now - 10 * 60_000), reportedBy: null }, t.clock.now());
    await t.storage.stations.setOccupancy(stale.id, { available: 6, reportedAt: new Date(now - 31 * 60_000), reportedBy: null }, t.clock.now());
    const q = { lng: JIEFANGBEI.lng, lat: JIEFANGBEI.lat, coordSys: 'wgs84' };
    const all = await t.http.get('/api/v1/stations/nearby').query(q);
    expect(all.body.data.map((s: { available: number | null }) => s.available)).toEqual([4, null]);
    const seats = await t.http.get('/api/v1/stations/nearby').query({ ...q, hasSeats: 'true' });
    expect(seats.body.data.map((s: { id: string }) => s.id)).toEqual([fresh.id]);
  });

  it('searches from a named place instead of GPS', async () => {
    const s = await t.storage.stations.create(stationInput({ location: JIEFANGBEI }), t.clock.now());
    const res = await t.http.get('/api/v1/stations/nearby').query({ place: '解放碑', radius: 3000 });
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect(res.body.meta.place).toMatchObject({ city: 'chongqing' });
  });

  it('answers an unknown place with 404 and close matches', async () => {
    const res = await t.http.get('/api/v1/stations/nearby').query({ place: '沙坪' });
    expect(res.status).toBe(404);
    expect(res.body.error.details.suggestions.join()).toContain('沙坪坝');
  });

  it.each([
    ['missing lng', { lat: '29.5' }, 400, 'lng'],
    ['missing lat', { lng: '106.5' }, 400, 'lat'],
    ['lng not a number', { lng: 'abc', lat: '29.5' }, 400, 'lng'],
    ['lat out of range', { lng: '106.5', lat: '91' }, 400, 'lat'],
    ['lng out of range', { lng: '-181', lat: '29' }, 400, 'lng'],
    ['radius over the maximum', { lng: '106.5', lat: '29.5', radius: '20001' }, 400, 'radius'],
    ['radius zero', { lng: '106.5', lat: '29.5', radius: '0' }, 400, 'radius'],
    ['limit over the maximum', { lng: '106.5', lat: '29.5', limit: '51' }, 400, 'limit'],
    ['limit not an integer', { lng: '106.5', lat: '29.5', limit: '2.5' }, 400, 'limit'],
    ['unknown amenity', { lng: '106.5', lat: '29.5', amenities: 'toilet,sauna' }, 400, 'amenities'],
    ['unknown coordSys', { lng: '106.5', lat: '29.5', coordSys: 'utm' }, 400, 'coordSys'],
    ['bad boolean', { lng: '106.5', lat: '29.5', openNow: 'yes' }, 400, 'openNow'],
    ['unknown parameter', { lng: '106.5', lat: '29.5', category: '餐饮' }, 400, 'category'],
    ['place and lng together', { lng: '106.5', lat: '29.5', place: '渝中' }, 400, 'place'],
  ])('refuses %s', async (_name, query, status, field) => {
    const res = await t.http.get('/api/v1/stations/nearby').query(query);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ status, code: 'invalid_request' });
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it.each([
    ['a value given twice', 'lng=106.5&lng=106.6&lat=29.5', 'lng'],
    ['an operator-like key', 'lng[$gt]=1&lat=29.5', 'lng[$gt]'],
  ])('refuses %s in the query string', async (_name, qs, field) => {
    const res = await t.http.get(`/api/v1/stations/nearby?${qs}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });
});

describe('station read and administration', () => {
  const body = {
    name: '观音桥驿站', city: 'chongqing', district: '江北区', address: '观音桥步行街1号',
    location: { lng: 106.5313, lat: 29.5758 }, hours: { kind: 'weekly', days: { mon: [{ open: '08:00', close: '22:00' }] } },
    amenities: ['seating', 'toilet'], capacity: 12,
  };

  it('creates with an admin token, storing WGS-84 converted from the given coordSys', async () => {
    const res = await t.http.post('/api/v1/stations').set(t.admin).send(body);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/stations/${res.body.data.id}`);
    const stored = await t.storage.stations.get(res.body.data.id);
    const wgs = convert(body.location, 'gcj02', 'wgs84');
    expect(stored!.location.lng).toBeCloseTo(wgs.lng, 6);
    expect(stored!.location.lat).toBeCloseTo(wgs.lat, 6);
    expect(res.body.data.location.lng).toBeCloseTo(body.location.lng, 5);
    const got = await t.http.get(`/api/v1/stations/${res.body.data.id}`).query({ coordSys: 'wgs84' });
    expect(got.body.data.location.lng).toBeCloseTo(wgs.lng, 5);
  });

  it('refuses writes without the admin token and writes nothing', async () => {
    const res = await t.http.post('/api/v1/stations').set({ Authorization: 'Bearer wrong' }).send(body);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(await t.storage.stations.count()).toBe(0);
  });

  it('updates only the given fields and deletes', async () => {
    const s = await t.storage.stations.create(stationInput({ capacity: 3 }), t.clock.now());
    const res = await t.http.patch(`/api/v1/stations/${s.id}`).set(t.admin).send({ capacity: 9, status: 'temporarily_closed', statusNote: '检修' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ capacity: 9, status: 'temporarily_closed', statusNote: '检修', name: s.name, openNow: false });
    expect((await t.http.delete(`/api/v1/stations/${s.id}`).set(t.admin)).status).toBe(204);
    expect((await t.http.get(`/api/v1/stations/${s.id}`)).status).toBe(404);
    expect((await t.http.delete(`/api/v1/stations/${s.id}`).set(t.admin)).status).toBe(404);
  });

  it.each([
    ['a missing name', { ...body, name: undefined }, 'name'],
    ['an unknown amenity', { ...body, amenities: ['sauna'] }, 'amenities'],
    ['an unknown city', { ...body, city: 'beijing' }, 'city'],
    ['a bad time', { ...body, hours: { kind: 'weekly', days: { mon: [{ open: '8am', close: '22:00' }] } } }, 'hours'],
    ['equal open and close', { ...body, hours: { kind: 'weekly', days: { mon: [{ open: '08:00', close: '08:00' }] } } }, 'hours'],
    ['negative capacity', { ...body, capacity: -1 }, 'capacity'],
    ['an unknown field', { ...body, rating: 5 }, 'rating'],
    ['lat out of range', { ...body, location: { lng: 106, lat: 95 } }, 'location.lat'],
  ])('answers 422 naming the field for %s', async (_n, payload, field) => {
    const res = await t.http.post('/api/v1/stations').set(t.admin).send(payload);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
    expect(await t.storage.stations.count()).toBe(0);
  });

  it('answers 409 for a second station with the same externalId', async () => {
    expect((await t.http.post('/api/v1/stations').set(t.admin).send({ ...body, externalId: 'x1' })).status).toBe(201);
    const res = await t.http.post('/api/v1/stations').set(t.admin).send({ ...body, externalId: 'x1' });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ field: 'externalId' });
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await t.http.get('/api/v1/stations/0123456789abcdef01234567')).status).toBe(404);
    expect((await t.http.get('/api/v1/stations/hello')).status).toBe(404);
  });

  it('keeps merchants and stations apart', async () => {
    await t.storage.merchants.create(merchantInput({ city: 'chongqing', district: '渝中区', location: JIEFANGBEI }), t.clock.now());
    const res = await t.http.get('/api/v1/stations/nearby').query({ lng: JIEFANGBEI.lng, lat: JIEFANGBEI.lat, coordSys: 'wgs84' });
    expect(res.body.data).toEqual([]);
  });
});

describe('station locations stay inside their city', () => {
  const CHUNXI = { lng: 104.0776, lat: 30.6546 }; // WGS-84
  const body = {
    name: '春熙路驿站', city: 'chongqing', district: '渝中区', address: '某路1号', location: CHUNXI,
    hours: { kind: '24h' }, amenities: ['seating'], capacity: 6,
  };
  const locationIssue = (res: { body: { error: { details: unknown } } }) => (res.body.error.details as Array<{ field: string }>)[0];

  it('refuses a Chongqing station at Chengdu coordinates, saying where the point is, and stores nothing', async () => {
    const res = await t.http.post('/api/v1/stations').query({ coordSys: 'wgs84' }).set(t.admin).send(body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable', message: '位置（104.0776, 30.6546）不在重庆市服务范围内；该位置属于成都市' });
    expect(locationIssue(res)).toMatchObject({ field: 'location', city: 'chongqing', locatedIn: 'chengdu' });
    expect(await t.storage.stations.count()).toBe(0);
  });

  it('checks the converted point: GCJ-02 coordinates of 春熙路 are refused too', async () => {
    const gcj = convert(CHUNXI, 'wgs84', 'gcj02');
    const res = await t.http.post('/api/v1/stations').set(t.admin).send({ ...body, location: gcj });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('该位置属于成都市');
  });

  it.each([
    ['(0, 0)', { lng: 0, lat: 0 }, '位置（0, 0）不在重庆市服务范围内'],
    ['latitude 90', { lng: 106.5775, lat: 90 }, '位置（106.5775, 90）不在重庆市服务范围内'],
    ['a point in Beijing', { lng: 116.397, lat: 39.909 }, '位置（116.397, 39.909）不在重庆市服务范围内'],
  ])('refuses %s', async (_n, location, message) => {
    const res = await t.http.post('/api/v1/stations').query({ coordSys: 'wgs84' }).set(t.admin).send({ ...body, location });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(message);
    expect(locationIssue(res)).toMatchObject({ field: 'location', locatedIn: null });
    expect(await t.storage.stations.count()).toBe(0);
  });

  it('refuses a PATCH that moves the location out of the city and leaves the station as it was', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    const res = await t.http.patch(`/api/v1/stations/${s.id}`).query({ coordSys: 'wgs84' }).set(t.admin).send({ location: CHUNXI });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('位置（104.0776, 30.6546）不在重庆市服务范围内；该位置属于成都市');
    expect(await t.storage.stations.get(s.id)).toEqual(s);
    const ok = await t.http.patch(`/api/v1/stations/${s.id}`).query({ coordSys: 'wgs84' }).set(t.admin).send({ location: offset(100, 0) });
    expect(ok.status).toBe(200);
  });

  it('refuses a PATCH of the city alone: over HTTP the move is refused first (403), the service refuses it too (422)', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    expect((await t.http.patch(`/api/v1/stations/${s.id}`).set(t.admin).send({ city: 'chengdu' })).status).toBe(403);
    const service = createStationService({ storage: t.storage, clock: t.clock, freshnessMs: t.config.occupancyFreshnessMs });
    await expect(service.update(s.id, { city: 'chengdu' }, 'wgs84')).rejects.toMatchObject({
      status: 422, message: '位置（106.5775, 29.5594）不在成都市服务范围内；该位置属于重庆市', details: [expect.objectContaining({ field: 'location' })],
    });
    expect(await t.storage.stations.get(s.id)).toEqual(s);
  });

  it('does not check a PATCH that changes neither city nor location', async () => {
    // Records written before the check existed can still be edited (and then moved into place).
    const stray = await t.storage.stations.create(stationInput({ location: CHUNXI }), t.clock.now());
    expect((await t.http.patch(`/api/v1/stations/${stray.id}`).set(t.admin).send({ capacity: 3 })).status).toBe(200);
  });
});

describe('nearby by place with a city', () => {
  it('says the place is in the other city instead of answering an empty list', async () => {
    const res = await t.http.get('/api/v1/stations/nearby').query({ place: '春熙路', city: 'chongqing' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      status: 422, code: 'unprocessable', message: '「春熙路」在成都，不在重庆；去掉 city 参数或改为 city=chengdu',
      details: { field: 'city', city: 'chongqing', placeCity: 'chengdu', candidates: ['春熙路（成都）'] },
    });
  });

  it('uses the city to pick between places of the same name', async () => {
    const res = await t.http.get('/api/v1/stations/nearby').query({ place: '高新区', city: 'chengdu' });
    expect(res.status).toBe(200);
    expect(res.body.meta.place).toEqual({ name: '成都高新区', city: 'chengdu' });
  });

  it.each(['北京', '上海市', '广州'])('says the service covers only 重庆 and 成都 for %s, suggesting nothing', async (place) => {
    const res = await t.http.get('/api/v1/stations/nearby').query({ place });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      code: 'not_found', message: `本服务目前只覆盖重庆和成都，「${place}」不在服务范围内`, details: { field: 'place', suggestions: [] },
    });
  });
});

describe('seat reports', () => {
  it.each([
    [{ available: '3' }, 'available', '参数 available 有误：必须是整数，如 3（不要加引号）'],
    [{ available: 2.5 }, 'available', '参数 available 有误：必须是整数'],
    [{ occupied: -1 }, 'occupied', '参数 occupied 有误：不能小于 0'],
    [{}, '(body)', '请给出 available（空座数）或 occupied（已用座数）其中之一（只给一个）'],
    [{ available: 1, occupied: 2 }, '(body)', '请给出 available（空座数）或 occupied（已用座数）其中之一（只给一个）'],
  ])('answers %j naming what is wrong with it', async (body, field, message) => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    const res = await t.http.put(`/api/v1/stations/${s.id}/occupancy`).set(t.admin).send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(message);
    expect(res.body.error.details[0].field).toBe(field);
    expect((await t.storage.stations.get(s.id))?.occupancy.available).toBeNull();
  });

  it('takes free seats or occupied seats', async () => {
    const s = await t.storage.stations.create(stationInput({ capacity: 10 }), t.clock.now());
    expect((await t.http.put(`/api/v1/stations/${s.id}/occupancy`).set(t.admin).send({ available: 4 })).body.data.available).toBe(4);
    expect((await t.http.put(`/api/v1/stations/${s.id}/occupancy`).set(t.admin).send({ occupied: 7 })).body.data.available).toBe(3);
  });
});
