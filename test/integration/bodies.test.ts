import { rulesSchema } from '../../src/modules/compounds/compounds.schema';
import { buildTestApp, type TestApp } from '../helpers/app';

const BASE = '/api/v1/hazard-bodies';
const ID = /^[0-9a-f]{24}$/;
/** 解放碑 as the mini-program sends it (GCJ-02), and the same point in WGS-84. */
const JFB_GCJ = { lng: 106.5816, lat: 29.5568 };
const JFB_WGS = { lng: 106.5775, lat: 29.5594 };

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

let seq = 0;
const input = (over: Record<string, unknown> = {}) => ({
  name: `渝中区城管局${++seq}`, type: '城管', districts: ['渝中区'], categories: ['manhole'], contact: { channel: 'email', value: 'yzcg@example.org' }, ...over,
});
async function create(over: Record<string, unknown> = {}, admin = t.admin) {
  const res = await t.http.post(BASE).set(admin).send(input(over));
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string; name: string; city: string };
}
const preview = (q: Record<string, string>, admin = t.admin) => t.http.get(`${BASE}/preview`).set(admin).query(q);

describe('city administrators manage their city\'s bodies', () => {
  it('registers a body in the administrator\'s city with full district names, and audits it', async () => {
    const res = await t.http.post(BASE).set(t.admin).set('X-Request-Id', 'body-create-1')
      .send(input({ name: '渝中区城管局', districts: ['渝中', '渝中区'], categories: ['manhole', 'pothole', 'manhole'] }));
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.stringMatching(ID), city: 'chongqing', name: '渝中区城管局', type: '城管', districts: ['渝中区'], categories: ['manhole', 'pothole'],
      contact: { channel: 'email', value: 'yzcg@example.org' }, active: true, isDemo: false,
      createdAt: t.clock.now().toISOString(), updatedAt: t.clock.now().toISOString(),
    });
    const [entry] = (await t.storage.audit.list({ limit: 10 })).filter((e) => e.requestId === 'body-create-1');
    expect(entry).toMatchObject({ action: 'hazard_body.create', objectType: 'hazard_body', objectId: res.body.data.id, city: 'chongqing', actorRole: 'city_admin' });
    expect(await t.storage.bodies.get(res.body.data.id)).toMatchObject({ name: '渝中区城管局', city: 'chongqing' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown type', { type: '环保' }, 'type'],
    ['an unknown category', { categories: ['volcano'] }, 'categories.0'],
    ['a category of another type', { categories: ['manhole', 'flooding'] }, 'categories'],
    ['a district of another city', { districts: ['锦江区'] }, 'districts'],
    ['a district that does not exist', { districts: ['月球区'] }, 'districts'],
    ['a bad email', { contact: { channel: 'email', value: 'not-an-address' } }, 'contact.value'],
    ['a bad phone', { contact: { channel: 'phone', value: '12345' } }, 'contact.value'],
    ['an Open311 endpoint that is not http(s)', { contact: { channel: 'open311', value: 'ftp://open311.example.org/v2' } }, 'contact.value'],
    ['an unknown channel', { contact: { channel: 'fax', value: '023-63800000' } }, 'contact.channel'],
    ['no contact', { contact: undefined }, 'contact'],
    ['an empty name', { name: ' \u200b ' }, 'name'],
    ['a name with a bidi override', { name: '渝中\u202e局' }, 'name'],
    ['a name over 100 characters', { name: '局'.repeat(101) }, 'name'],
    ['an unknown field', { city: 'chengdu' }, 'city'],
    ['active as text', { active: 'yes' }, 'active'],
  ])('refuses %s (422), naming the field, and stores nothing', async (_what, over, field) => {
    const res = await t.http.post(BASE).set(t.admin).send(input(over));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await t.storage.bodies.count()).toBe(0);
  });

  it('refuses a second body of the same name in the city (409), not in the other city', async () => {
    await create({ name: '重庆市城市管理局', districts: [] });
    const again = await t.http.post(BASE).set(t.admin).send(input({ name: '重庆市城市管理局', districts: [] }));
    expect([again.status, again.body.error.details]).toEqual([409, { field: 'name' }]);
    await create({ name: '重庆市城市管理局', districts: [] }, t.adminCd);
  });

  it('lists only its own city\'s bodies, filtered and paged', async () => {
    const a = await create();
    const water = await create({ type: '水务', categories: ['flooding'] });
    const off = await create({ active: false });
    await create({ districts: ['锦江区'] }, t.adminCd);
    const ids = async (q: string) => {
      const res = await t.http.get(`${BASE}${q}`).set(t.admin);
      expect(res.status).toBe(200);
      return { ids: res.body.data.map((b: { id: string }) => b.id), next: res.body.meta.next };
    };
    expect(await ids('')).toEqual({ ids: [a.id, water.id, off.id], next: null });
    expect(await ids('?type=城管'.replace('城管', encodeURIComponent('城管')))).toEqual({ ids: [a.id, off.id], next: null });
    expect(await ids('?active=false')).toEqual({ ids: [off.id], next: null });
    expect(await ids('?limit=2')).toEqual({ ids: [a.id, water.id], next: water.id });
    expect(await ids(`?limit=2&after=${water.id}`)).toEqual({ ids: [off.id], next: null });
    expect((await t.http.get(`${BASE}?type=${encodeURIComponent('环保')}`).set(t.admin)).status).toBe(400);
  });

  it('reads, changes and deletes its own bodies; another city\'s answer exactly like one that does not exist (404)', async () => {
    const mine = await create();
    const away = await create({ districts: ['锦江区'] }, t.adminCd);
    const missing = 'ffffffffffffffffffffffff';
    expect((await t.http.get(`${BASE}/${mine.id}`).set(t.admin)).body.data).toMatchObject({ id: mine.id });
    for (const [method, body] of [['get', undefined], ['patch', { active: false }], ['delete', undefined]] as const) {
      const other = await t.http[method](`${BASE}/${away.id}`).set(t.admin).send(body);
      const none = await t.http[method](`${BASE}/${missing}`).set(t.admin).send(body);
      expect([method, other.status, other.body]).toEqual([method, 404, none.body]);
    }
    expect(await t.storage.bodies.get(away.id)).toMatchObject({ active: true });

    const patched = await t.http.patch(`${BASE}/${mine.id}`).set(t.admin).set('X-Request-Id', 'body-patch-1')
      .send({ districts: ['江北', '渝中区'], active: false, contact: { channel: 'phone', value: '13800138000' } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ districts: ['江北区', '渝中区'], active: false, contact: { channel: 'phone', value: '13800138000' } });
    const [entry] = (await t.storage.audit.list({ limit: 10 })).filter((e) => e.requestId === 'body-patch-1');
    expect(entry).toMatchObject({ action: 'hazard_body.update', objectId: mine.id, summary: { active: false, contact: { value: '138****8000' } } }); // a mobile in a contact is masked in the log

    expect((await t.http.delete(`${BASE}/${mine.id}`).set(t.admin)).status).toBe(204);
    expect((await t.http.get(`${BASE}/${mine.id}`).set(t.admin)).status).toBe(404);
    expect(await t.storage.bodies.get(mine.id)).toBeNull();
  });

  it('keeps type and categories in step on a change (422 naming the categories kept)', async () => {
    const b = await create({ categories: ['manhole', 'pothole'] });
    const res = await t.http.patch(`${BASE}/${b.id}`).set(t.admin).send({ type: '水务' });
    expect([res.status, res.body.error.message]).toEqual([422, '类别与单位类型不符：「井盖缺失或破损」属城管、「道路坑洼」属城管，不属水务']);
    const both = await t.http.patch(`${BASE}/${b.id}`).set(t.admin).send({ type: '水务', categories: [] });
    expect(both.body.data).toMatchObject({ type: '水务', categories: [] });
    expect((await t.http.patch(`${BASE}/${b.id}`).set(t.admin).send({})).status).toBe(422);
    expect((await t.http.patch(`${BASE}/${b.id}`).set(t.admin).send({ city: 'chengdu' })).status).toBe(422);
  });
});

describe('routing preview', () => {
  it('estimates the district from the point and names the rule', async () => {
    const b = await create({ name: '渝中区城管局' });
    const res = await preview({ category: 'manhole', ...Object.fromEntries(Object.entries(JFB_GCJ).map(([k, v]) => [k, String(v)])) });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      district: '渝中区', districtSource: 'estimated',
      route: { bodyId: b.id, bodyName: '渝中区城管局', kind: 'body', compoundId: null, why: '「井盖缺失或破损」属城管职责，渝中区由 渝中区城管局 负责' },
    });
  });

  it('takes the district the report names, and sends a 物业 matter near a compound to it', async () => {
    await create({ name: '江北区城管局', districts: ['江北区'] });
    const given = await preview({ category: 'manhole', lng: '106.5816', lat: '29.5568', district: '江北' });
    expect(given.body.data).toMatchObject({ district: '江北区', districtSource: 'given', route: { bodyName: '江北区城管局' } });
    const compound = await t.storage.compounds.create({
      externalId: null, name: '幸福里', city: 'chongqing', district: '渝中区', address: '民族路1号', location: JFB_WGS, propertyCompany: null,
      gates: [{ id: 'east', name: '东门', location: null }], policy: { mode: 'manual', rules: rulesSchema.parse({}) }, notes: null, isDemo: false,
    }, t.clock.now());
    const near = await preview({ category: 'ebike_charging', lng: String(JFB_WGS.lng), lat: String(JFB_WGS.lat), coordSys: 'wgs84' });
    expect(near.body.data.route).toEqual({
      bodyId: null, bodyName: '幸福里物业', kind: 'compound', compoundId: compound.id, why: '「电动车违规充电」属物业职责，位置距小区 幸福里 0 米（100 米以内），由该小区物业负责',
    });
  });

  it('honours HAZARD_COMPOUND_DISTANCE_M', async () => {
    const far = await buildTestApp({ HAZARD_COMPOUND_DISTANCE_M: '0' });
    try {
      await far.storage.compounds.create({
        externalId: null, name: '幸福里', city: 'chongqing', district: '渝中区', address: '民族路1号', location: JFB_WGS, propertyCompany: null,
        gates: [], policy: { mode: 'manual', rules: rulesSchema.parse({}) }, notes: null, isDemo: false,
      }, far.clock.now());
      const res = await far.http.get(`${BASE}/preview`).set(far.admin).query({ category: 'ebike_charging', lng: JFB_WGS.lng, lat: JFB_WGS.lat, coordSys: 'wgs84' });
      expect(res.body.data.route).toMatchObject({ kind: 'unrouted', compoundId: null });
    } finally {
      await far.close();
    }
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['a point of the other city', { category: 'manhole', lng: '104.0776', lat: '30.6546' }, 422, 'location'],
    ['a district of the other city', { category: 'manhole', lng: '106.5816', lat: '29.5568', district: '锦江区' }, 422, 'districts'],
    ['an unknown category', { category: 'volcano', lng: '106.5816', lat: '29.5568' }, 400, 'category'],
    ['no point', { category: 'manhole' }, 400, 'lng'],
  ])('refuses %s', async (_what, q, status, field) => {
    const res = await preview(q);
    expect([res.status, res.body.error.details]).toEqual([status, expect.arrayContaining([expect.objectContaining({ field })])]);
  });
});

describe('body staff', () => {
  it('holds the city\'s first three bodies at the development login and reads only those', async () => {
    const [a, b, c, d] = [await create(), await create(), await create(), await create()];
    await create({ districts: [] }, t.adminCd);
    const staff = await t.login('body_staff');
    expect(staff.user).toMatchObject({ role: 'body_staff', city: 'chongqing', holdings: { bodyIds: [a.id, b.id, c.id], compoundIds: [] } });
    const list = await t.http.get(`${BASE}?limit=2`).set(staff.headers);
    expect([list.status, list.body.data.map((x: { id: string }) => x.id), list.body.meta.next]).toEqual([200, [a.id, b.id], b.id]);
    const rest = await t.http.get(`${BASE}?limit=2&after=${b.id}`).set(staff.headers);
    expect(rest.body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await t.http.get(`${BASE}/${a.id}`).set(staff.headers)).status).toBe(200);
    expect((await t.http.get(`${BASE}/${d.id}`).set(staff.headers)).status).toBe(404);
    expect((await t.http.patch(`${BASE}/${a.id}`).set(staff.headers).send({ active: false })).status).toBe(404);
    expect((await t.http.post(BASE).set(staff.headers).send(input())).status).toBe(403);
    expect((await preview({ category: 'manhole', lng: '106.5816', lat: '29.5568' }, staff.headers)).status).toBe(403);
  });

  it('are invited holding bodies of the city only', async () => {
    const mine = await create();
    const away = await create({ districts: [] }, t.adminCd);
    const bad = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'body_staff', bodyIds: [away.id] });
    expect([bad.status, bad.body.error.details]).toEqual([422, [{ field: 'bodyIds', id: away.id }]]);
    const inv = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'body_staff', bodyIds: [mine.id] });
    expect([inv.status, inv.body.data.bodyIds]).toEqual([201, [mine.id]]);
    const joined = await t.http.post('/api/v1/auth/invitations/accept')
      .send({ code: inv.body.data.code, username: 'yz-cg-staff', displayName: '渝中城管小李', password: 'Body-staff-2026' });
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({ role: 'body_staff', holdings: { bodyIds: [mine.id], stationIds: [] } });
    const read = await t.http.get(`${BASE}/${mine.id}`).set({ Authorization: `Bearer ${joined.body.accessToken}` });
    expect(read.status).toBe(200);
  });

  it.each(['rider', 'station_operator', 'property_manager'])('are the only staff besides administrators who list bodies (%s: 403)', async (role) => {
    await create();
    const res = await t.http.get(BASE).set((await t.login(role)).headers);
    expect(res.status).toBe(403);
  });
});
