/**
 * 随手拍 with WeChat configured: a rider who logged in through WeChat (a real openid, not a demo one) reports as
 * JSON without photos; the text goes to msg_sec_check on a fake WeChat API on 127.0.0.1. 'pass' publishes the
 * report, 'review' stores it hidden until staff reveal it, 'risky' refuses it with the reason and stores nothing.
 */
import { buildTestApp, type TestApp } from '../helpers/app';
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat';

const JIEFANGBEI = { lng: 106.5775, lat: 29.5594, coordSys: 'wgs84' };
type Headers = { Authorization: string };

let wx: FakeWeChat;
let t: TestApp;
let rider: { headers: Headers; id: string; openid: string };
let other: Headers;

// A fresh fake per test, so what it received is that test's alone.
beforeEach(async () => {
  wx = await startFakeWeChat();
  wx.state.riskyWords = ['违禁词'];
  wx.state.reviewWords = ['待审词'];
  t = await buildTestApp({ WECHAT_API_BASE: wx.baseURL, WECHAT_APPID: wx.state.appId, WECHAT_SECRET: wx.state.appSecret });
  const openid = `o-hazard-${Math.random().toString(36).slice(2)}`;
  const code = `code-${openid}`;
  wx.state.jsCodes.set(code, { openid });
  const login = await t.http.post('/api/v1/auth/wechat').send({ code });
  expect(login.status).toBe(200);
  rider = { headers: { Authorization: `Bearer ${login.body.accessToken as string}` }, id: login.body.user.id as string, openid };
  other = (await t.login('rider')).headers;
});
afterEach(async () => {
  await t.close();
  await wx.close();
});

const report = (description: string, address = '民族路 188 号') =>
  t.http.post('/api/v1/hazards').set(rider.headers).send({ category: 'manhole', description, address, ...JIEFANGBEI });
const checks = () => wx.state.requestsTo('msg_sec_check');

describe('hazard reports through WeChat\'s content check', () => {
  it('sends the description and address of a JSON report (no photos) with the rider\'s openid, and publishes it on pass', async () => {
    const res = await report('井盖破裂，电动车差点掉进去');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'submitted', photos: [], description: '井盖破裂，电动车差点掉进去', address: '民族路 188 号' });
    expect(checks()).toHaveLength(1);
    expect(checks()[0]?.body).toMatchObject({ version: 2, openid: rider.openid, scene: 3, content: expect.stringContaining('井盖破裂') });
    expect(checks()[0]?.body.content).toContain('民族路 188 号');
    expect(await t.storage.hazards.get(res.body.data.id)).toMatchObject({ hidden: false, reporterId: rider.id, photos: [] });
    expect((await t.http.get(`/api/v1/hazards/${res.body.data.id as string}`)).status).toBe(200);
  });

  it('stores a report WeChat wants reviewed hidden: only the reporter and staff see it until staff reveal it', async () => {
    const res = await report('井盖破裂 待审词');
    expect(res.status).toBe(201);
    const id = res.body.data.id as string;
    expect(await t.storage.hazards.get(id)).toMatchObject({ hidden: true, status: 'submitted' });

    const anonymous = await t.http.get(`/api/v1/hazards/${id}`);
    expect(anonymous.status).toBe(404);
    const missing = await t.http.get('/api/v1/hazards/ffffffffffffffffffffffff');
    expect(anonymous.body.error.message).toBe(missing.body.error.message.replace('ffffffffffffffffffffffff', id)); // like one that does not exist
    expect((await t.http.get(`/api/v1/hazards/${id}`).set(other)).status).toBe(404);
    expect((await t.http.get(`/api/v1/hazards/${id}/photos/1`)).status).toBe(404);
    expect((await t.http.post(`/api/v1/hazards/${id}/support`).set(other)).status).toBe(404);
    const near = await t.http.get('/api/v1/hazards/nearby').query({ category: 'manhole', ...JIEFANGBEI });
    expect(near.body.data).toEqual([]);

    expect((await t.http.get(`/api/v1/hazards/${id}`).set(rider.headers)).status).toBe(200);
    const mine = await t.http.get('/api/v1/me/hazards').set(rider.headers);
    expect(mine.body.data.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await t.http.get(`/api/v1/hazards/${id}`).set(t.admin)).status).toBe(200);
    const queue = await t.http.get('/api/v1/hazards').set(t.admin);
    expect(queue.body.data).toEqual([expect.objectContaining({ id, hidden: true, reporterId: rider.id })]);
    // Staff of another city do not see it, nor staff of this city who do not work on it (found by probing).
    expect((await t.http.get(`/api/v1/hazards/${id}`).set(t.adminCd)).status).toBe(404);
    for (const role of ['station_operator', 'gate_guard', 'merchant_owner']) {
      expect([role, (await t.http.get(`/api/v1/hazards/${id}`).set((await t.login(role)).headers)).status]).toEqual([role, 404]);
    }

    const revealed = await t.http.post(`/api/v1/hazards/${id}/reveal`).set(t.admin);
    expect(revealed.status).toBe(200);
    expect(revealed.body.data).toMatchObject({ id, hidden: false });
    expect(revealed.body.data.updates.at(-1)).toMatchObject({ note: '内容已审核，公开显示', byRole: 'city_admin' });
    const shown = await t.http.get(`/api/v1/hazards/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.data).not.toHaveProperty('reporterId');
    const offered = await t.http.get('/api/v1/hazards/nearby').query({ category: 'manhole', ...JIEFANGBEI });
    expect(offered.body.data.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await t.http.post(`/api/v1/hazards/${id}/support`).set(other)).body.data.supportCount).toBe(1);
  });

  it.each([
    ['the description', '井盖旁边有违禁词', '民族路 188 号'],
    ['the address', '井盖破裂', '违禁词路 1 号'],
  ])('refuses a report WeChat calls risky in %s (422, with the reason) and stores nothing', async (_where, description, address) => {
    const res = await report(description, address);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ status: 422, message: expect.stringContaining('不适合发布'), details: [expect.objectContaining({ field: 'description', label: 20006 })] });
    expect(checks()).toHaveLength(1);
    expect(await t.storage.hazards.list({ limit: 10 })).toEqual([]);
    expect((await t.http.get('/api/v1/me/hazards').set(rider.headers)).body.data).toEqual([]);
    expect(await t.storage.outbox.pending(t.clock.now())).toEqual([]);
  });

  it('does not send a demo rider\'s text to WeChat (its openid is made up) and publishes the report', async () => {
    const res = await t.http.post('/api/v1/hazards').set(other).send({ category: 'manhole', description: '井盖破裂 待审词', ...JIEFANGBEI });
    expect(res.status).toBe(201);
    expect(checks()).toHaveLength(0);
    expect(await t.storage.hazards.get(res.body.data.id)).toMatchObject({ hidden: false });
  });

  it('answers 503 and stores nothing when WeChat stays busy (the check fails closed)', async () => {
    wx.state.failNext('msg_sec_check', -1, 5);
    const res = await report('井盖破裂');
    expect([res.status, res.body.error?.status]).toEqual([503, 503]);
    expect(await t.storage.hazards.list({ limit: 10 })).toEqual([]);
  });
});
