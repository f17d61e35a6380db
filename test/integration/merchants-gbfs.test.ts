import { createMerchantService } from '../../src/modules/merchants/merchants.service';
import { buildTestApp, TestApp } from '../helpers/app';
import { merchantInput, stationInput } from '../helpers/fixtures';

const CHUNXI = { lng: 104.0776, lat: 30.6546 };
let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

describe('GET /api/v1/merchants/nearby', () => {
  const q = { lng: CHUNXI.lng, lat: CHUNXI.lat, coordSys: 'wgs84' };

  it('hides expired and not-yet-valid discounts and filters by category', async () => {
    const now = t.clock.now().getTime();
    const ok = await t.storage.merchants.create(merchantInput({ validTo: new Date(now + 86_400_000) }), t.clock.now());
    await t.storage.merchants.create(merchantInput({ validTo: new Date(now - 1000) }), t.clock.now());
    await t.storage.merchants.create(merchantInput({ validFrom: new Date(now + 1000) }), t.clock.now());
    const shop = await t.storage.merchants.create(merchantInput({ category: '药店', location: { lng: CHUNXI.lng + 0.001, lat: CHUNXI.lat } }), t.clock.now());
    const all = await t.http.get('/api/v1/merchants/nearby').query(q);
    expect(all.status).toBe(200);
    expect(all.body.data.map((m: { id: string }) => m.id)).toEqual([ok.id, shop.id]);
    expect(all.body.data[0]).toMatchObject({ category: '餐饮', discount: { kind: 'percent', percentOff: 12, conditions: ['凭骑手身份'] } });
    const drug = await t.http.get('/api/v1/merchants/nearby').query({ ...q, category: '药店' });
    expect(drug.body.data.map((m: { id: string }) => m.id)).toEqual([shop.id]);
  });

  it.each([
    ['an unknown category', { category: '酒吧' }, 'category'],
    ['a station-only parameter', { hasSeats: 'true' }, 'hasSeats'],
  ])('refuses %s', async (_n, extra, field) => {
    const res = await t.http.get('/api/v1/merchants/nearby').query({ ...q, ...extra });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it('creates a merchant as admin and refuses a discount span that ends before it starts', async () => {
    const body = {
      name: '骑手面馆', city: 'chengdu', district: '锦江区', address: '春熙路1号', location: CHUNXI, category: '餐饮',
      discount: { text: '满30减5', kind: 'amount', amountOff: 5, minSpend: 30 }, hours: { kind: '24h' },
      validFrom: '2026-12-01T00:00:00+08:00', validTo: '2026-11-01T00:00:00+08:00',
    };
    const bad = await t.http.post('/api/v1/merchants').set(t.adminCd).send(body);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.error.details)).toContain('validTo');
    const good = await t.http.post('/api/v1/merchants').set(t.adminCd).send({ ...body, validTo: null });
    expect(good.status).toBe(201);
    expect(good.body.data.validFrom).toBe('2026-11-30T16:00:00.000Z');
    const patch = await t.http.patch(`/api/v1/merchants/${good.body.data.id}`).set(t.adminCd).send({ validTo: '2026-11-01T00:00:00+08:00' });
    expect(patch.status).toBe(422);
  });
});

describe('merchant locations stay inside their city', () => {
  const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 };
  const body = {
    name: '解放碑面馆', city: 'chengdu', district: '锦江区', address: '民族路1号', location: JIEFANGBEI, category: '餐饮',
    discount: { text: '满30减5', kind: 'amount', amountOff: 5, minSpend: 30 }, hours: { kind: '24h' },
  };

  it('refuses a Chengdu merchant at Chongqing coordinates and stores nothing', async () => {
    const res = await t.http.post('/api/v1/merchants').query({ coordSys: 'wgs84' }).set(t.adminCd).send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('位置（106.5775, 29.5594）不在成都市服务范围内；该位置属于重庆市');
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'location', city: 'chengdu', locatedIn: 'chongqing' })]);
    expect(await t.storage.merchants.count()).toBe(0);
  });

  it.each([
    ['(0, 0)', { lng: 0, lat: 0 }],
    ['latitude 90', { lng: 104.0776, lat: 90 }],
  ])('refuses %s', async (_n, location) => {
    const res = await t.http.post('/api/v1/merchants').query({ coordSys: 'wgs84' }).set(t.adminCd).send({ ...body, location });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(`位置（${location.lng}, ${location.lat}）不在成都市服务范围内`);
  });

  it('refuses a PATCH that moves the location out of the city, and the service refuses a change of city alone', async () => {
    const m = await t.storage.merchants.create(merchantInput(), t.clock.now());
    const res = await t.http.patch(`/api/v1/merchants/${m.id}`).query({ coordSys: 'wgs84' }).set(t.adminCd).send({ location: JIEFANGBEI });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'location', locatedIn: 'chongqing' })]);
    expect((await t.http.patch(`/api/v1/merchants/${m.id}`).set(t.adminCd).send({ city: 'chongqing' })).status).toBe(403);
    const service = createMerchantService({ storage: t.storage, clock: t.clock });
    await expect(service.update(m.id, { city: 'chongqing' }, 'wgs84')).rejects.toMatchObject({ status: 422, message: expect.stringContaining('该位置属于成都市') });
    expect(await t.storage.merchants.get(m.id)).toEqual(m);
  });

  it('says a place of the other city is there, not here', async () => {
    const res = await t.http.get('/api/v1/merchants/nearby').query({ place: '解放碑', city: 'chengdu' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('「解放碑」在重庆，不在成都；去掉 city 参数或改为 city=chongqing');
  });
});

describe('GBFS feed', () => {
  it('lists the feeds with absolute URLs, last_updated, ttl and version', async () => {
    const res = await t.http.get('/gbfs/gbfs.json');
    expect(res.body).toMatchObject({ last_updated: Date.parse('2026-11-25T04:00:00Z') / 1000, ttl: 60, version: '2.3' });
    expect(res.body.data.zh.feeds.map((f: { name: string }) => f.name)).toEqual(['system_information', 'station_information', 'station_status']);
    expect(res.body.data.zh.feeds[1].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gbfs\/station_information\.json$/);
  });

  it('publishes stations in WGS-84 and live free seats as num_docks_available', async () => {
    const s = await t.storage.stations.create(stationInput({ capacity: 8 }), t.clock.now());
    const closed = await t.storage.stations.create(stationInput({ status: 'closed' }), t.clock.now());
    await t.storage.stations.setOccupancy(s.id, { available: 3, reportedAt: t.clock.now(), reportedBy: null }, t.clock.now());
    const info = await t.http.get('/gbfs/station_information.json');
    expect(info.body.data.stations).toContainEqual(expect.objectContaining({ station_id: s.id, lat: s.location.lat, lon: s.location.lng, capacity: 8, region_id: 'chongqing' }));
    const status = await t.http.get('/gbfs/station_status.json');
    const byId = Object.fromEntries(status.body.data.stations.map((x: { station_id: string }) => [x.station_id, x]));
    expect(byId[s.id]).toMatchObject({ num_docks_available: 3, num_bikes_available: 5, is_installed: true, is_renting: true, last_reported: t.clock.now().getTime() / 1000 });
    expect(byId[closed.id]).toMatchObject({ is_installed: false, is_renting: false, _occupancy_known: false });
    t.clock.advance(31 * 60_000);
    const later = await t.http.get('/gbfs/station_status.json');
    expect(later.body.data.stations.find((x: { station_id: string }) => x.station_id === s.id)).toMatchObject({ num_docks_available: 0, _occupancy_known: false });
  });
});
