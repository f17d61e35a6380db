/**
 * Open311 GeoReport v2 over HTTP on the real app (https://wiki.open311.org/GeoReport_v2): every method the
 * specification lists, every field of its answers, every error it names (an array of {code, description} with
 * 400, 403 or 404), the open/closed mapping with status_notes, the default window and the 1,000-request limit.
 */
import sharp from 'sharp';
import type { Response } from 'supertest';
import { HAZARD_CATEGORIES } from '../../src/modules/hazards/categories';
import type { HazardReport } from '../../src/modules/hazards/hazards.types';
import { sha256 } from '../../src/modules/identity/tokens';
import { newId } from '../../src/storage/ids';
import { MAX_IDS } from '../../src/modules/open311/open311.schema';
import { buildTestApp, type TestApp } from '../helpers/app';

const BASE_URL = 'https://nuanxin.example.gov.cn';
const JIEFANGBEI = { lat: '29.5594', long: '106.5775' };
const CHUNXI = { lat: '30.6546', long: '104.0776' };
const DAY = 86_400_000;
const HOUR = 3_600_000;
const V2 = '/open311/v2';

interface Ctx {
  t: TestApp;
  key: string;
  keyId: string;
  riderId: string;
  keyCd: string;
}

const fast = { RATE_LIMIT_WRITE_PER_MINUTE: '100000', HAZARD_REPORTS_PER_MINUTE: '1000' };

async function setUp(overrides: Record<string, string> = {}): Promise<Ctx> {
  const t = await buildTestApp({ ...fast, PUBLIC_BASE_URL: BASE_URL, ...overrides });
  const body = await t.http.post('/api/v1/hazard-bodies').set(t.admin).send({
    name: '渝中区城管局', type: '城管', districts: ['渝中区'], categories: [], contact: { channel: 'phone', value: '023-63851234' },
  });
  expect(body.status).toBe(201);
  const issued = await t.http.post('/api/v1/open311-keys').set(t.admin).send({ name: '重庆市12345热线' });
  expect(issued.status).toBe(201);
  const issuedCd = await t.http.post('/api/v1/open311-keys').set(t.adminCd).send({ name: '成都市网格化平台' });
  expect(issuedCd.status).toBe(201);
  return { t, key: issued.body.data.apiKey, keyId: issued.body.data.id, riderId: issued.body.data.riderId, keyCd: issuedCd.body.data.apiKey };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function post(c: Ctx, fields: Record<string, string>, path = `${V2}/requests.json`) {
  return c.t.http.post(path).set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8').send(form(fields));
}

const report = (c: Ctx, extra: Record<string, string> = {}) =>
  post(c, { api_key: c.key, jurisdiction_id: 'chongqing', service_code: 'manhole', ...JIEFANGBEI, description: '井盖破裂，电动车差点掉进去', ...extra });

async function created(c: Ctx, extra: Record<string, string> = {}): Promise<string> {
  const res = await report(c, extra);
  expect([res.status, res.body]).toEqual([201, [expect.objectContaining({ service_request_id: expect.any(String) })]]);
  return res.body[0].service_request_id as string;
}

/** An Open311 error answer: JSON, the status, and an array of {code, description} whose first description matches. */
function expectErrors(res: Response, status: number, description: RegExp): void {
  expect([res.status, res.headers['content-type']]).toEqual([status, 'application/json; charset=utf-8']);
  expect(res.body).toEqual(expect.arrayContaining([{ code: status, description: expect.any(String) }]));
  for (const e of res.body as unknown[]) expect(Object.keys(e as object).sort()).toEqual(['code', 'description']);
  expect(res.body[0].description).toMatch(description);
}

const all = async (c: Ctx) => c.t.storage.hazards.list({ limit: 100_000 });

/** A fresh token (the tests move the clock past a token's 15 minutes): the same demo user each time. */
const as = async (c: Ctx, role: 'rider' | 'city_admin') => (await c.t.login(role)).headers;

/** Staff moves a report on, as the hazards feature's own routes do. */
async function staff(c: Ctx, id: string, body: Record<string, unknown>, action = 'status'): Promise<void> {
  const res = await c.t.http.post(`/api/v1/hazards/${id}/${action}`).set(await as(c, 'city_admin')).send(body);
  expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
}

const get = (c: Ctx, path: string, query: Record<string, string> = { jurisdiction_id: 'chongqing' }) => c.t.http.get(`${V2}${path}`).query(query);

const REQUEST_FIELDS = [
  'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
  'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
].sort();

describe('Open311 GeoReport v2', () => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setUp();
  });
  afterAll(() => c.t.close());

  describe('GET services', () => {
    it('lists every category as a service with the fields the specification lists', async () => {
      const res = await get(c, '/services.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toHaveLength(HAZARD_CATEGORIES.length);
      for (const [i, cat] of HAZARD_CATEGORIES.entries()) {
        expect(res.body[i]).toEqual({
          service_code: cat.code, service_name: cat.name, description: cat.description, metadata: false, type: 'realtime',
          keywords: cat.keywords.join(','), group: cat.bodyType,
        });
      }
    });

    it('answers the same for both jurisdictions, and ignores an api_key sent along', async () => {
      const cq = await get(c, '/services.json');
      const cd = await get(c, '/services.json', { jurisdiction_id: 'chengdu', api_key: 'anything' });
      expect(cd.status).toBe(200);
      expect(cd.body).toEqual(cq.body);
    });

    it.each([
      ['without jurisdiction_id', {}, 400, /缺少 jurisdiction_id/],
      ['with an empty jurisdiction_id (the same as none)', { jurisdiction_id: '' }, 400, /缺少 jurisdiction_id/],
      ['with an unknown jurisdiction_id', { jurisdiction_id: 'sfgov.org' }, 404, /没有这个辖区：sfgov\.org/],
      ['with a parameter it does not take', { jurisdiction_id: 'chongqing', lat: '29.5' }, 400, /未知字段：lat/],
    ])('refuses a call %s', async (_what, query, status, description) => {
      expectErrors(await get(c, '/services.json', query as Record<string, string>), status, description);
    });

    it('refuses jurisdiction_id given twice', async () => {
      expectErrors(await c.t.http.get(`${V2}/services.json?jurisdiction_id=chongqing&jurisdiction_id=chengdu`), 400, /jurisdiction_id 只能出现一次/);
    });

    it('serves JSON only: .xml and other formats are a 400 naming it', async () => {
      expectErrors(await get(c, '/services.xml'), 400, /只提供 JSON：请把 \.xml 换成 \.json/);
      expectErrors(await get(c, '/services.csv'), 400, /不支持的格式 \.csv/);
    });
  });

  describe('GET service definition', () => {
    it('answers the definition shape with no attributes (our categories have none)', async () => {
      const res = await get(c, '/services/manhole.json');
      expect([res.status, res.body]).toEqual([200, { service_code: 'manhole', attributes: [] }]);
    });

    it.each([
      ['an unknown service_code', '/services/graffiti.json', { jurisdiction_id: 'chongqing' }, 404, /没有这个 service_code：graffiti/],
      ['no jurisdiction_id', '/services/manhole.json', {}, 400, /缺少 jurisdiction_id/],
      ['an unknown jurisdiction_id', '/services/manhole.json', { jurisdiction_id: 'x' }, 404, /没有这个辖区/],
      ['the xml format', '/services/manhole.xml', { jurisdiction_id: 'chongqing' }, 400, /只提供 JSON/],
    ])('refuses %s', async (_what, path, query, status, description) => {
      expectErrors(await get(c, path, query), status, description);
    });
  });

  describe('POST requests', () => {
    it('creates a report attributed to the key\'s service rider and answers service_request_id, never a token', async () => {
      const res = await report(c, {
        address_string: '民族路 188 号门口', email: 'zhang@example.org', first_name: '三', last_name: '张', phone: '13800138000',
        device_id: 'dev-1', account_id: 'acc-1', media_url: 'https://example.org/p.jpg', 'attribute[WHISPAWN]': '1',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual([{ service_request_id: expect.stringMatching(/^[0-9a-f]{24}$/), service_notice: expect.stringContaining('渝中区城管局'), account_id: null }]);
      const id = res.body[0].service_request_id as string;
      expect(res.headers.location).toBe(`/open311/v2/requests/${id}.json?jurisdiction_id=chongqing`);
      const stored = await c.t.storage.hazards.get(id);
      expect(stored).toMatchObject({
        city: 'chongqing', category: 'manhole', reporterId: c.riderId, description: '井盖破裂，电动车差点掉进去', address: '民族路 188 号门口',
        location: { lng: 106.5775, lat: 29.5594 }, status: 'submitted', photos: [], hidden: false, route: { kind: 'body', bodyName: '渝中区城管局' },
      });
      // Nothing personal is kept: not in the report, not on the service rider.
      const text = JSON.stringify(stored);
      for (const secret of ['zhang@example.org', '13800138000', '张', 'dev-1', 'acc-1', 'example.org/p.jpg']) expect(text).not.toContain(secret);
      expect(await c.t.storage.riders.get(c.riderId)).toMatchObject({ openid: `open311:${c.keyId}`, displayName: 'Open311：重庆市12345热线', phone: null, city: 'chongqing' });
    });

    it('takes api_key and jurisdiction_id from the query string too', async () => {
      const res = await c.t.http.post(`${V2}/requests.json?api_key=${encodeURIComponent(c.key)}&jurisdiction_id=chongqing`)
        .type('form').send(form({ service_code: 'pothole', ...JIEFANGBEI }));
      expect(res.status).toBe(201);
      expect(await c.t.storage.hazards.get(res.body[0].service_request_id)).toMatchObject({ category: 'pothole', description: '' });
    });

    it('refuses without a valid api_key (403), whatever else is wrong', async () => {
      expectErrors(await post(c, { jurisdiction_id: 'chongqing', service_code: 'manhole', ...JIEFANGBEI }), 403, /缺少 api_key/);
      expectErrors(await post(c, { api_key: 'o311_wrong', service_code: 'nope' }), 403, /api_key 无效或已吊销/);
      expectErrors(await post(c, { api_key: c.key.slice(5), jurisdiction_id: 'chongqing', service_code: 'manhole', ...JIEFANGBEI }), 403, /api_key 无效/);
    });

    it('refuses a revoked key at once (403), and keeps what it sent before', async () => {
      const admin = await as(c, 'city_admin');
      const issued = await c.t.http.post('/api/v1/open311-keys').set(admin).send({ name: '将被吊销的接入方' });
      const before = await created({ ...c, key: issued.body.data.apiKey });
      const revoked = await c.t.http.post(`/api/v1/open311-keys/${issued.body.data.id as string}/revoke`).set(admin);
      expect([revoked.status, revoked.body.data.status]).toEqual([200, 'revoked']);
      expectErrors(await report({ ...c, key: issued.body.data.apiKey }), 403, /api_key 无效或已吊销/);
      expect(await c.t.storage.hazards.get(before)).not.toBeNull();
    });

    it.each<[string, (c: Ctx) => Record<string, string>, number, RegExp]>([
      ['another jurisdiction\'s key', (x) => ({ api_key: x.keyCd, jurisdiction_id: 'chongqing' }), 403, /属于辖区 chengdu，不能向 chongqing 提交/],
      ['no jurisdiction_id', () => ({ jurisdiction_id: '' }), 400, /缺少 jurisdiction_id/],
      ['an unknown jurisdiction_id', () => ({ jurisdiction_id: 'sfgov.org' }), 404, /没有这个辖区/],
      ['no service_code', () => ({ service_code: '' }), 400, /缺少 service_code/],
      ['an unknown service_code', () => ({ service_code: 'graffiti' }), 404, /没有这个 service_code：graffiti/],
      ['no location at all', () => ({ lat: '', long: '' }), 400, /缺少位置：请给出 lat 和 long/],
      ['only an address_string (we need a point)', () => ({ lat: '', long: '', address_string: '解放碑' }), 400, /本服务需要坐标.*address_string/],
      ['only an address_id', () => ({ lat: '', long: '', address_id: '545483' }), 400, /本服务需要坐标/],
      ['lat without long', () => ({ long: '' }), 400, /lat 和 long 须同时给出/],
      ['a lat that is not a number', () => ({ lat: 'north' }), 400, /参数 lat 有误：必须是数字/],
      ['a lat out of range', () => ({ lat: '91' }), 400, /参数 lat 有误：不能大于 90/],
      ['a point outside both cities (Beijing)', () => ({ lat: '39.9042', long: '116.4074' }), 400, /不在服务范围内/],
      ['a point in the other jurisdiction', () => CHUNXI, 400, /该位置在辖区 chengdu，不在 chongqing/],
      ['a description over 1,000 characters', () => ({ description: '坑'.repeat(1001) }), 400, /参数 description 有误：不能超过 1000 字/],
      ['a media_url that is not a URL', () => ({ media_url: 'photo.jpg' }), 400, /参数 media_url 有误：须为 http\(s\) 地址/],
      ['a field the specification does not list', () => ({ title: '井盖' }), 400, /未知字段：title/],
      ['the xml format', () => ({}), 400, /只提供 JSON/],
    ])('refuses %s and stores nothing', async (what, fields, status, description) => {
      const before = (await all(c)).length;
      const path = what === 'the xml format' ? `${V2}/requests.xml` : `${V2}/requests.json`;
      const base = { api_key: c.key, jurisdiction_id: 'chongqing', service_code: 'manhole', ...JIEFANGBEI, description: '井盖破裂' };
      // An empty value is the same as none, as the specification's "optional" says.
      expectErrors(await post(c, { ...base, ...fields(c) }, path), status, description);
      expect((await all(c)).length).toBe(before);
    });

    it('names every bad field, one entry each', async () => {
      const res = await report(c, { lat: 'north', description: '坑'.repeat(1001) });
      expectErrors(res, 400, /参数/);
      expect(res.body.map((e: { description: string }) => e.description.replace(/ 有误.*/, '')).sort()).toEqual(['参数 description', '参数 lat']);
    });

    it('refuses a field given twice, a JSON body, broken percent-encoding and an oversized body (400)', async () => {
      const fields = form({ api_key: c.key, jurisdiction_id: 'chongqing', service_code: 'manhole', ...JIEFANGBEI });
      expectErrors(await c.t.http.post(`${V2}/requests.json`).type('form').send(`${fields}&lat=29.56`), 400, /参数 lat 只能出现一次/);
      expectErrors(await c.t.http.post(`${V2}/requests.json`).send({ api_key: c.key }), 400, /application\/x-www-form-urlencoded/);
      expectErrors(await c.t.http.post(`${V2}/requests.json`).type('form').send(`${fields}&description=%E4%BA`), 400, /UTF-8/);
      expectErrors(await c.t.http.post(`${V2}/requests.json`).type('form').send(`${fields}&description=${'a'.repeat(1_100_000)}`), 400, /请求体过大/);
    });

    it('ignores a bearer token: the api_key alone decides', async () => {
      const res = await post(c, { jurisdiction_id: 'chongqing', service_code: 'manhole', ...JIEFANGBEI }).set(await as(c, 'city_admin'));
      expectErrors(res, 403, /缺少 api_key/);
      const bad = await report(c).set('Authorization', 'Bearer not-a-token');
      expect(bad.status).toBe(201);
    });
  });

  describe('GET requests/{id} and the fields of a request', () => {
    it('walks every field of an open, routed report, as the specification lists them', async () => {
      const id = await created(c, { address_string: '民族路 188 号门口' });
      const stored = (await c.t.storage.hazards.get(id)) as HazardReport;
      const res = await get(c, `/requests/${id}.json`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(Object.keys(res.body[0]).sort()).toEqual(REQUEST_FIELDS);
      const now = c.t.clock.now();
      expect(res.body[0]).toEqual({
        service_request_id: id, status: 'open', status_notes: stored.route.why, service_name: '井盖缺失或破损', service_code: 'manhole',
        description: '井盖破裂，电动车差点掉进去', agency_responsible: '渝中区城管局', service_notice: stored.route.why,
        requested_datetime: now.toISOString(), updated_datetime: now.toISOString(),
        // manhole allows 2 h submitted + 4 h triaged + 48 h in progress
        expected_datetime: new Date(now.getTime() + 54 * HOUR).toISOString(),
        address: '民族路 188 号门口', address_id: null, zipcode: null, lat: 29.5594, long: 106.5775, media_url: null,
      });
    });

    it('maps every status to open or closed, with status_notes and the closing time', async () => {
      const cases: Record<string, string> = {};
      for (const s of ['submitted', 'triaged', 'in_progress', 'resolved', 'rejected', 'duplicate', 'original']) cases[s] = await created(c);
      const t0 = c.t.clock.now();
      c.t.clock.advance(HOUR);
      await staff(c, cases.triaged!, { status: 'triaged', note: '已派渝中区城管' });
      for (const s of ['in_progress', 'resolved']) await staff(c, cases[s]!, { status: 'triaged' });
      await staff(c, cases.in_progress!, { status: 'in_progress', note: '今晚处理' });
      await staff(c, cases.resolved!, { status: 'resolved', note: '已更换井盖' });
      await staff(c, cases.rejected!, { status: 'rejected', note: '位置在小区内，请联系物业' });
      await staff(c, cases.duplicate!, { originalId: cases.original! }, 'duplicate');
      const closedAt = c.t.clock.now().toISOString();
      c.t.clock.advance(HOUR); // later changes do not move a closed request's updated_datetime
      const res = await get(c, '/requests.json', { jurisdiction_id: 'chongqing', service_request_id: Object.values(cases).join(',') });
      const by = Object.fromEntries((res.body as Array<{ service_request_id: string }>).map((r) => [r.service_request_id, r])) as Record<string, Record<string, unknown>>;
      const triagedAt = new Date(t0.getTime() + HOUR);
      expect(by[cases.submitted!]).toMatchObject({ status: 'open', updated_datetime: t0.toISOString() });
      expect(by[cases.triaged!]).toMatchObject({
        status: 'open', status_notes: '已派渝中区城管', updated_datetime: triagedAt.toISOString(),
        expected_datetime: new Date(triagedAt.getTime() + 52 * HOUR).toISOString(),
      });
      expect(by[cases.in_progress!]).toMatchObject({ status: 'open', status_notes: '今晚处理', expected_datetime: new Date(triagedAt.getTime() + 48 * HOUR).toISOString() });
      expect(by[cases.resolved!]).toMatchObject({ status: 'closed', status_notes: '已更换井盖', updated_datetime: closedAt, expected_datetime: null });
      expect(by[cases.rejected!]).toMatchObject({ status: 'closed', status_notes: '位置在小区内，请联系物业', updated_datetime: closedAt, expected_datetime: null });
      expect(by[cases.duplicate!]).toMatchObject({ status: 'closed', status_notes: `与上报 ${cases.original!} 重复`, updated_datetime: closedAt });
      expect(by[cases.original!]).toMatchObject({ status: 'open' });
    });

    it('keeps a closed request\'s updated_datetime at its closing, after the reporter says it is fixed', async () => {
      const rider = await c.t.http.post('/api/v1/hazards').set(await as(c, 'rider')).send({ category: 'pothole', description: '路面坑洼', lng: 106.5775, lat: 29.5594, coordSys: 'wgs84' });
      const id = rider.body.data.id as string;
      await staff(c, id, { status: 'triaged' });
      await staff(c, id, { status: 'resolved', note: '已修补' });
      const closedAt = c.t.clock.now().toISOString();
      c.t.clock.advance(2 * HOUR);
      expect((await c.t.http.post(`/api/v1/hazards/${id}/feedback`).set(await as(c, 'rider')).send({ fixed: true })).status).toBe(200);
      const res = await get(c, `/requests/${id}.json`);
      expect(res.body[0]).toMatchObject({ status: 'closed', updated_datetime: closedAt });
    });

    it('gives coordinates in WGS-84 whatever the reporter sent', async () => {
      const gcj = await c.t.http.post('/api/v1/hazards').set(await as(c, 'rider')).send({ category: 'pothole', description: '路面坑洼', lng: 106.58, lat: 29.557, coordSys: 'gcj02' });
      const stored = (await c.t.storage.hazards.get(gcj.body.data.id)) as HazardReport;
      const res = await get(c, `/requests/${stored.id}.json`);
      expect(res.body[0].lat).toBeCloseTo(stored.location.lat, 6);
      expect(res.body[0].long).toBeCloseTo(stored.location.lng, 6);
      expect(Math.abs(res.body[0].long - 106.58)).toBeGreaterThan(0.002); // not the GCJ-02 value
    });

    it('links the first photo by its absolute URL under PUBLIC_BASE_URL, and the URL serves it', async () => {
      const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 60, b: 60 } } }).jpeg().toBuffer();
      const up = await c.t.http.post('/api/v1/hazards').set(await as(c, 'rider')).field('category', 'manhole').field('description', '井盖破裂')
        .field('lng', '106.5775').field('lat', '29.5594').field('coordSys', 'wgs84').attach('photos', photo, { filename: 'a.jpg', contentType: 'image/jpeg' });
      expect(up.status).toBe(201);
      const res = await get(c, `/requests/${up.body.data.id as string}.json`);
      expect(res.body[0].media_url).toBe(`${BASE_URL}/api/v1/hazards/${up.body.data.id as string}/photos/1`);
      const served = await c.t.http.get(res.body[0].media_url.slice(BASE_URL.length));
      expect([served.status, served.headers['content-type']]).toEqual([200, 'image/jpeg']);
    });

    it.each([
      ['an unknown id', () => '0123456789abcdef01234567', { jurisdiction_id: 'chongqing' }, 404, /没有这个 service_request_id/],
      ['an id that is not one', () => 'not-an-id', { jurisdiction_id: 'chongqing' }, 404, /没有这个 service_request_id/],
      ['another jurisdiction\'s report', (id: string) => id, { jurisdiction_id: 'chengdu' }, 404, /没有这个 service_request_id/],
      ['no jurisdiction_id', (id: string) => id, {}, 400, /缺少 jurisdiction_id/],
      ['an unknown jurisdiction_id', (id: string) => id, { jurisdiction_id: 'x' }, 404, /没有这个辖区/],
    ])('refuses %s', async (_what, idOf, query, status, description) => {
      const id = await created(c);
      expectErrors(await get(c, `/requests/${idOf(id)}.json`, query), status, description);
    });

    it('refuses the xml format, and hides a report held for review (404)', async () => {
      const id = await created(c);
      expectErrors(await get(c, `/requests/${id}.xml`), 400, /只提供 JSON/);
      const r = (await c.t.storage.hazards.get(id)) as HazardReport;
      await c.t.storage.hazards.replace({ ...r, hidden: true, updatedAt: new Date(r.updatedAt.getTime() + 1) }, r.updatedAt);
      expectErrors(await get(c, `/requests/${id}.json`), 404, /没有这个 service_request_id/);
      expect((await get(c, '/requests.json')).body.map((x: { service_request_id: string }) => x.service_request_id)).not.toContain(id);
    });
  });

  describe('GET tokens/{token}', () => {
    it('answers the token → service_request_id mapping: a service_request_id is its own token', async () => {
      const id = await created(c);
      const res = await get(c, `/tokens/${id}.json`);
      expect([res.status, res.body]).toEqual([200, [{ service_request_id: id, token: id }]]);
    });

    it.each([
      ['an unknown token', () => '0123456789abcdef01234567', { jurisdiction_id: 'chongqing' }, 404, /没有这个 token/],
      ['another jurisdiction\'s token', (id: string) => id, { jurisdiction_id: 'chengdu' }, 404, /没有这个 token/],
      ['no jurisdiction_id', (id: string) => id, {}, 400, /缺少 jurisdiction_id/],
      ['an unknown jurisdiction_id', (id: string) => id, { jurisdiction_id: 'x' }, 404, /没有这个辖区/],
    ])('refuses %s', async (_what, tokenOf, query, status, description) => {
      const id = await created(c);
      expectErrors(await get(c, `/tokens/${tokenOf(id)}.json`, query), status, description);
    });
  });

  it('answers paths outside the six resources in the service\'s own error shape (only the resources speak Open311)', async () => {
    const res = await c.t.http.get(`${V2}/discovery.json`);
    expect([res.status, res.body.error?.code]).toEqual([404, 'not_found']);
  });
});

describe('Open311 GET requests: filters, the default window and the limit', () => {
  let c: Ctx;
  const ids: Record<string, string> = {};
  const now = () => c.t.clock.now();

  beforeAll(async () => {
    c = await setUp();
    const t0 = now();
    const at = async (name: string, when: Date, extra: Record<string, string> = {}, who: Ctx = c) => {
      c.t.clock.set(when);
      ids[name] = await created(who, extra);
    };
    await at('old', new Date(t0.getTime() - 100 * DAY));
    await at('month', new Date(t0.getTime() - 30 * DAY), { service_code: 'pothole' });
    await at('week', new Date(t0.getTime() - 7 * DAY), { service_code: 'streetlight' });
    await at('today', new Date(t0.getTime() - HOUR));
    await at('chengdu', new Date(t0.getTime() - HOUR), { ...CHUNXI, jurisdiction_id: 'chengdu' }, { ...c, key: c.keyCd });
    c.t.clock.set(t0);
    await staff(c, ids.week!, { status: 'triaged' });
    await staff(c, ids.week!, { status: 'resolved' });
  });
  afterAll(() => c.t.close());

  const list = async (query: Record<string, string>) => {
    const res = await get(c, '/requests.json', { jurisdiction_id: 'chongqing', ...query });
    expect([res.status, res.body.length === undefined ? res.body : 'array']).toEqual([200, 'array']);
    return (res.body as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
  };

  it('defaults to the last 90 days of the jurisdiction, newest first', async () => {
    expect(await list({})).toEqual([ids.today, ids.week, ids.month]);
  });

  it('filters by service_code, one or a comma list', async () => {
    expect(await list({ service_code: 'pothole' })).toEqual([ids.month]);
    expect(await list({ service_code: 'pothole,streetlight' })).toEqual([ids.week, ids.month]);
  });

  it('filters by status open, closed, or both', async () => {
    expect(await list({ status: 'open' })).toEqual([ids.today, ids.month]);
    expect(await list({ status: 'closed' })).toEqual([ids.week]);
    expect(await list({ status: 'open,closed' })).toEqual([ids.today, ids.week, ids.month]);
  });

  it('filters by start_date and end_date, both ends included', async () => {
    const iso = (ms: number) => new Date(now().getTime() + ms).toISOString().replace('.000Z', 'Z');
    expect(await list({ start_date: iso(-120 * DAY), end_date: iso(-30 * DAY) })).toEqual([ids.month, ids.old]);
    expect(await list({ start_date: iso(-30 * DAY), end_date: iso(-7 * DAY) })).toEqual([ids.week, ids.month]);
    // start alone: 90 days from it; end alone: the 90 days before it
    expect(await list({ start_date: iso(-101 * DAY) })).toEqual([ids.month, ids.old]);
    expect(await list({ end_date: iso(-7 * DAY) })).toEqual([ids.week, ids.month]);
    // a time with an offset
    const local = new Date(now().getTime() - 2 * HOUR + 8 * HOUR).toISOString().replace('.000Z', '+08:00');
    expect(await list({ start_date: local })).toEqual([ids.today]);
    // the same offset with its '+' sent unencoded (it arrives as a space, as many clients send it)
    expect(await list({ start_date: local.replace('+', ' ') })).toEqual([ids.today]);
  });

  it('takes service_request_id as a comma list that overrides every other filter, another jurisdiction\'s left out', async () => {
    const wanted = [ids.old!, ids.week!, ids.chengdu!, 'not-an-id', '0123456789abcdef01234567'].join(',');
    expect((await list({ service_request_id: wanted, status: 'open', service_code: 'manhole' })).sort()).toEqual([ids.old, ids.week].sort());
  });

  it(`takes as many ids as one URL carries (${MAX_IDS}, commas encoded), and refuses more naming the limit`, async () => {
    const many = [ids.old!, ...Array.from({ length: MAX_IDS - 1 }, () => newId())];
    expect(await list({ service_request_id: many.join(',') })).toEqual([ids.old]);
    expectErrors(await get(c, '/requests.json', { jurisdiction_id: 'chongqing', service_request_id: [...many, newId()].join(',') }), 400, new RegExp(`最多 ${MAX_IDS} 个`));
  });

  it('keeps jurisdictions apart', async () => {
    const cd = await get(c, '/requests.json', { jurisdiction_id: 'chengdu' });
    expect(cd.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([ids.chengdu]);
  });

  it.each([
    ['no jurisdiction_id', { jurisdiction_id: '' }, 400, /缺少 jurisdiction_id/],
    ['an unknown jurisdiction_id', { jurisdiction_id: 'x' }, 404, /没有这个辖区/],
    ['an unknown service_code', { service_code: 'manhole,graffiti' }, 400, /未知取值：graffiti/],
    ['an unknown status', { status: 'fixed' }, 400, /未知取值：fixed/],
    ['a date without a time zone', { start_date: '2026-11-01T00:00:00' }, 400, /须为带时区的 W3C 时间/],
    ['a span over 90 days', { start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-02T00:00:00Z' }, 400, /相隔不能超过 90 天/],
    ['an end before the start', { start_date: '2026-04-01T00:00:00Z', end_date: '2026-03-01T00:00:00Z' }, 400, /end_date 不能早于 start_date/],
    ['a parameter it does not take', { max_requests: '5' }, 400, /未知字段：max_requests/],
  ])('refuses %s', async (_what, query, status, description) => {
    const q = Object.fromEntries(Object.entries({ jurisdiction_id: 'chongqing', ...query }).filter(([, v]) => v !== ''));
    expectErrors(await get(c, '/requests.json', q), status, description);
  });

  it('refuses the xml format', async () => {
    expectErrors(await get(c, '/requests.xml'), 400, /只提供 JSON/);
  });

  it('answers at most 1,000 requests, the newest', async () => {
    const template = (await c.t.storage.hazards.get(ids.today!)) as HazardReport;
    const base = now().getTime() - 2 * DAY;
    for (let i = 0; i < 1001; i++) {
      const at = new Date(base + i * 60_000);
      await c.t.storage.hazards.create({ ...template, id: newId(), createdAt: at, updatedAt: at, statusSince: at });
    }
    const res = await get(c, '/requests.json', { jurisdiction_id: 'chongqing' });
    expect(res.body).toHaveLength(1000);
    expect(res.body[0].service_request_id).toBe(ids.today);
    const times = (res.body as Array<{ requested_datetime: string }>).map((r) => r.requested_datetime);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times).not.toContain(new Date(base).toISOString()); // the oldest of the 1,004 in the window are left out
  });
});

describe('Open311 keys and limits', () => {
  it('shows a key once, stores only its hash, and lists keys without it', async () => {
    const c = await setUp();
    try {
      const stored = await c.t.storage.open311Keys.get(c.keyId);
      expect(stored).toMatchObject({ city: 'chongqing', name: '重庆市12345热线', keyHash: sha256(c.key), riderId: c.riderId, revokedAt: null });
      expect(JSON.stringify(stored)).not.toContain(c.key);
      expect(c.key).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
      const listed = await c.t.http.get('/api/v1/open311-keys').set(c.t.admin);
      expect(listed.status).toBe(200);
      expect(listed.body.data).toEqual([expect.objectContaining({ id: c.keyId, status: 'active', riderId: c.riderId })]);
      expect(JSON.stringify(listed.body)).not.toContain(c.key);
      expect(JSON.stringify(listed.body)).not.toContain(sha256(c.key));
    } finally {
      await c.t.close();
    }
  });

  it('limits how fast one address and one key submit (429 in Open311\'s shape, with Retry-After)', async () => {
    const c = await setUp({ RATE_LIMIT_WRITE_PER_MINUTE: '20' });
    try {
      let res = await report(c);
      for (let i = 0; i < 25 && res.status === 201; i++) res = await report(c);
      expectErrors(res, 429, /请求过于频繁/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await c.t.close();
    }
  });

  it('links photos under the request\'s own host when PUBLIC_BASE_URL is unset', async () => {
    const c = await setUp({ PUBLIC_BASE_URL: '' });
    try {
      const photo = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
      const up = await c.t.http.post('/api/v1/hazards').set(await as(c, 'rider')).field('category', 'manhole').field('description', '井盖破裂')
        .field('lng', '106.5775').field('lat', '29.5594').field('coordSys', 'wgs84').attach('photos', photo, { filename: 'a.png', contentType: 'image/png' });
      const res = await c.t.http.get(`${V2}/requests/${up.body.data.id as string}.json?jurisdiction_id=chongqing`).set('Host', 'api.example.cn');
      expect(res.body[0].media_url).toBe(`http://api.example.cn/api/v1/hazards/${up.body.data.id as string}/photos/1`);
    } finally {
      await c.t.close();
    }
  });
});
