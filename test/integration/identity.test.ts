import { SignJWT } from 'jose';
import { buildTestApp, TestApp } from '../helpers/app';
import { startFakeWeChat, FakeWeChat } from '../helpers/fake-wechat';
import { merchantInput, stationInput } from '../helpers/fixtures';

let wx: FakeWeChat;
let t: TestApp;
beforeAll(async () => {
  wx = await startFakeWeChat();
});
afterAll(() => wx.close());
beforeEach(async () => {
  wx.state.scripted.clear();
  t = await buildTestApp({ WECHAT_API_BASE: wx.baseURL, WECHAT_APPID: wx.state.appId, WECHAT_SECRET: wx.state.appSecret });
});
afterEach(() => t.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function riderLogin(code = `code-${Math.random()}`, openid = 'o-rider-1') {
  wx.state.jsCodes.set(code, { openid, unionid: 'u-1' });
  return t.http.post('/api/v1/auth/wechat').send({ code });
}

describe('rider login through WeChat', () => {
  it('creates the rider on first login, finds the same rider later, and returns tokens with the user', async () => {
    const first = await riderLogin();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(first.body.user).toMatchObject({ role: 'rider', verification: 'unverified', status: 'active', holdings: null });
    const second = await riderLogin();
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(await t.storage.riders.count()).toBe(1);
    const me = await t.http.get('/api/v1/me').set(bearer(first.body.accessToken));
    expect(me.body.data).toMatchObject({ id: first.body.user.id, role: 'rider' });
  });

  it.each([
    ['a used or invalid code', 40029, 400, 'wechat_invalid_code'],
    ['WeChat rate limiting', 45011, 429, 'wechat_rate_limited'],
    ['a high-risk user', 40226, 403, 'wechat_high_risk_user'],
  ])('answers %s with a clear error and creates nobody', async (_n, errcode, status, code) => {
    wx.state.failNext('jscode2session', errcode);
    const res = await riderLogin();
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await t.storage.riders.count()).toBe(0);
  });

  it('retries while WeChat is busy and gives 503 when it stays busy', async () => {
    wx.state.failNext('jscode2session', -1, 2);
    expect((await riderLogin()).status).toBe(200);
    wx.state.failNext('jscode2session', -1, 5);
    const res = await riderLogin('busy-code', 'o-other');
    expect(res.status).toBe(503);
    expect(await t.storage.riders.count()).toBe(1);
  });

  it('refuses a reused code', async () => {
    wx.state.jsCodes.set('once', { openid: 'o-x' });
    expect((await t.http.post('/api/v1/auth/wechat').send({ code: 'once' })).status).toBe(200);
    expect((await t.http.post('/api/v1/auth/wechat').send({ code: 'once' })).status).toBe(400);
  });
});

describe('tokens', () => {
  it('rotates the refresh token, and a reused one ends the whole session', async () => {
    const login = await riderLogin();
    const r1 = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await t.http.get('/api/v1/me').set(bearer(r1.body.accessToken))).status).toBe(200);
    const reuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.details.reason).toBe('refresh_reused');
    expect((await t.http.get('/api/v1/me').set(bearer(r1.body.accessToken))).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: r1.body.refreshToken })).status).toBe(401);
  });

  it('refuses a refresh token whose secret never belonged to the session, without ending the session', async () => {
    const login = await riderLogin();
    const sid = String(login.body.refreshToken).split('.')[0];
    for (const forged of [`${sid}.junk`, `${sid}.`, sid, `${sid}.${'A'.repeat(43)}`]) {
      const res = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: forged });
      expect(res.status).toBe(401);
      expect(res.body.error.details.reason).toBe('invalid');
    }
    expect((await t.http.get('/api/v1/me').set(bearer(login.body.accessToken))).status).toBe(200);
    expect((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken })).status).toBe(200);
  });

  it('ends the session when two clients race with the same refresh token', async () => {
    const login = await riderLogin();
    const [a, b] = await Promise.all([0, 1].map(() => t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken })));
    const statuses = [a!.status, b!.status].sort();
    expect(statuses).toEqual([200, 401]);
    const winner = a!.status === 200 ? a! : b!;
    expect((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: winner.body.refreshToken })).status).toBe(401);
  });

  it('ends the session when any earlier rotated-away token is replayed, not only the last one', async () => {
    const login = await riderLogin();
    const r1 = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    const r2 = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: r1.body.refreshToken });
    expect(r2.status).toBe(200);
    const replay = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(replay.body.error.details.reason).toBe('refresh_reused');
    expect((await t.http.post('/api/v1/auth/refresh').send({ refreshToken: r2.body.refreshToken })).status).toBe(401);
  });

  it('logs out: the access token stops working at once', async () => {
    const login = await riderLogin();
    expect((await t.http.post('/api/v1/auth/logout').set(bearer(login.body.accessToken))).status).toBe(204);
    expect((await t.http.get('/api/v1/me').set(bearer(login.body.accessToken))).status).toBe(401);
  });

  it('refuses an expired access token', async () => {
    const login = await riderLogin();
    t.clock.advance(16 * 60_000);
    const res = await t.http.get('/api/v1/me').set(bearer(login.body.accessToken));
    expect(res.status).toBe(401);
    expect(res.body.error.details.reason).toBe('expired');
  });

  it.each([
    ['a token signed with another key', async (tok: string) => {
      const [, payload] = tok.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('some-other-secret-0123456789abcdef'));
    }],
    ['a tampered payload', async (tok: string) => {
      const [h, p, s] = tok.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.sub = '0123456789abcdef01234567';
      return [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    }],
    ['alg=none', async (tok: string) => {
      const [, p] = tok.split('.');
      return [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), p, ''].join('.');
    }],
    ['garbage', async () => 'not.a.jwt'],
  ])('refuses %s with 401', async (_n, forge) => {
    const login = await riderLogin();
    const res = await t.http.get('/api/v1/me').set(bearer(await forge(login.body.accessToken)));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses a malformed Authorization header even on public routes', async () => {
    expect((await t.http.get('/api/v1/stations/nearby?place=%E8%A7%A3%E6%94%BE%E7%A2%91').set('Authorization', 'Basic abc')).status).toBe(401);
  });
});

describe('rider profile and phone', () => {
  it('binds the phone through WeChat: unmasked for its owner only', async () => {
    const login = await riderLogin();
    wx.state.phoneCodes.set('p1', '13812341234');
    const res = await t.http.post('/api/v1/me/phone').set(bearer(login.body.accessToken)).send({ code: 'p1' });
    expect(res.status).toBe(200);
    expect(res.body.data.phone).toBe('13812341234');
    await t.http.patch('/api/v1/me').set(bearer(login.body.accessToken)).send({ city: 'chongqing', platform: '美团', plate: '渝A12345', displayName: '小王' });
    const list = await t.http.get('/api/v1/admin/riders').set(t.admin);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ phone: '138****1234', platform: '美团', plate: '渝A12345' });
    expect(JSON.stringify(list.body)).not.toContain('13812341234');
  });

  it.each([
    [{ platform: '滴滴' }, 'platform'],
    [{ city: 'beijing' }, 'city'],
    [{ plate: '!!' }, 'plate'],
    [{ verification: 'admin_verified' }, 'verification'],
    [{}, '(body)'],
  ])('refuses a bad profile change %j', async (body, field) => {
    const login = await riderLogin();
    const res = await t.http.patch('/api/v1/me').set(bearer(login.body.accessToken)).send(body);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it('lets a city administrator verify and suspend a rider; a suspended rider is logged out', async () => {
    const login = await riderLogin();
    await t.http.patch('/api/v1/me').set(bearer(login.body.accessToken)).send({ city: 'chongqing' });
    const res = await t.http.patch(`/api/v1/admin/riders/${login.body.user.id}`).set(t.admin).send({ verification: 'admin_verified', status: 'suspended' });
    expect(res.status).toBe(200);
    expect((await t.http.get('/api/v1/me').set(bearer(login.body.accessToken))).status).toBe(401);
    const again = await riderLogin();
    expect(again.status).toBe(403);
    expect((await t.http.patch(`/api/v1/admin/riders/${login.body.user.id}`).set(t.adminCd).send({ status: 'active' })).status).toBe(404);
  });
});

describe('staff accounts', () => {
  async function invite(body: Record<string, unknown> = { role: 'station_operator' }) {
    const res = await t.http.post('/api/v1/admin/invitations').set(t.admin).send(body);
    expect(res.status).toBe(201);
    return res.body.data.code as string;
  }
  const accept = (code: string, username = 'op-zhang') =>
    t.http.post('/api/v1/auth/invitations/accept').send({ code, username, password: 'Passw0rd-long', displayName: '张师傅' });

  it('onboards by invitation with the invited holdings, then logs in by password', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    const code = await invite({ role: 'station_operator', stationIds: [s.id] });
    const res = await accept(code.toLowerCase());
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'station_operator', city: 'chongqing', holdings: { stationIds: [s.id] } });
    const login = await t.http.post('/api/v1/auth/staff/login').send({ username: 'OP-Zhang', password: 'Passw0rd-long' });
    expect(login.status).toBe(200);
    const seat = await t.http.put(`/api/v1/stations/${s.id}/occupancy`).set(bearer(login.body.accessToken)).send({ occupied: 4 });
    expect(seat.status).toBe(200);
    expect(seat.body.data).toMatchObject({ available: 6 });
  });

  it('refuses a reused (410), expired (410) or unknown (404) invitation, and a taken username (409) without using the code', async () => {
    const code = await invite();
    expect((await accept(code)).status).toBe(201);
    expect((await accept(code, 'op-li')).status).toBe(410);
    const late = await invite();
    t.clock.advance(73 * 3_600_000);
    expect((await accept(late, 'op-wu')).status).toBe(410);
    expect((await accept('NOSUCHCODE', 'op-wu')).status).toBe(404);
    t.clock.advance(-73 * 3_600_000);
    const fresh = await invite();
    expect((await accept(fresh, 'op-zhang')).status).toBe(409);
    expect((await accept(fresh, 'op-zhou')).status).toBe(201);
  });

  it('refuses holdings outside the administrator’s city', async () => {
    const cd = await t.storage.stations.create(stationInput({ city: 'chengdu' }), t.clock.now());
    const res = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'station_operator', stationIds: [cd.id] });
    expect(res.status).toBe(422);
  });

  it('refuses holdings the role has no work with, in an invitation and in a staff change, and stores nothing', async () => {
    const m = await t.storage.merchants.create(merchantInput({ city: 'chongqing', location: { lng: 106.5775, lat: 29.5594 } }), t.clock.now());
    const before = (await t.http.get('/api/v1/admin/invitations').set(t.admin)).body.data.length;
    const res = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'station_operator', merchantIds: [m.id] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ message: '角色 station_operator 不能持有 merchantIds', details: [{ field: 'merchantIds', message: '只有 merchant_owner 持有' }] });
    expect((await t.http.get('/api/v1/admin/invitations').set(t.admin)).body.data).toHaveLength(before);
    const staff = await accept(await invite());
    const patch = await t.http.patch(`/api/v1/admin/staff/${staff.body.user.id}`).set(t.admin).send({ merchantIds: [m.id] });
    expect(patch.status).toBe(422);
    expect((await t.storage.staff.get(staff.body.user.id))?.merchantIds).toEqual([]);
  });

  it('slows down after three wrong passwords and locks the account after five', async () => {
    await accept(await invite());
    const login = (password: string) => t.http.post('/api/v1/auth/staff/login').send({ username: 'op-zhang', password });
    expect((await login('wrong-1')).status).toBe(401);
    expect((await login('wrong-2')).status).toBe(401);
    expect((await login('wrong-3')).status).toBe(401);
    const slowed = await login('Passw0rd-long');
    expect(slowed.status).toBe(429);
    expect(slowed.headers['retry-after']).toBe('1');
    t.clock.advance(2000);
    expect((await login('wrong-4')).status).toBe(401);
    t.clock.advance(3000);
    expect((await login('wrong-5')).status).toBe(401);
    const locked = await login('Passw0rd-long');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('login_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    t.clock.advance(15 * 60_000);
    expect((await login('Passw0rd-long')).status).toBe(200);
  });

  it('binds WeChat to a staff account so the mini-program can log staff in', async () => {
    const created = await accept(await invite());
    wx.state.jsCodes.set('bind', { openid: 'o-staff' });
    const bind = await t.http.post('/api/v1/me/wechat').set(bearer(created.body.accessToken)).send({ code: 'bind' });
    expect(bind.body.data.wechatBound).toBe(true);
    wx.state.jsCodes.set('again', { openid: 'o-staff' });
    const login = await t.http.post('/api/v1/auth/wechat').send({ code: 'again', as: 'staff' });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: 'station_operator', username: 'op-zhang' });
  });

  it('binds a bot contact with a one-time code so the bot recognises the staff member', async () => {
    const created = await accept(await invite());
    const made = await t.http.post('/api/v1/me/bot-bind-code').set(bearer(created.body.accessToken));
    expect(made.status).toBe(201);
    const bot = { 'X-Bot-Token': t.config.botToken };
    expect((await t.http.post('/api/v1/bot/bind').send({ code: made.body.data.code, contactId: 'wxid_abc' })).status).toBe(401);
    expect((await t.http.post('/api/v1/bot/bind').set(bot).send({ code: made.body.data.code, contactId: 'wxid_abc' })).status).toBe(200);
    expect((await t.http.post('/api/v1/bot/bind').set(bot).send({ code: made.body.data.code, contactId: 'wxid_other' })).status).toBe(410);
    const who = await t.http.get('/api/v1/bot/contacts/wxid_abc').set(bot);
    expect(who.body.data).toMatchObject({ username: 'op-zhang', role: 'station_operator' });
    expect((await t.http.get('/api/v1/bot/contacts/wxid_nobody').set(bot)).status).toBe(404);
  });

  it('ends every session of a staff member an administrator disables', async () => {
    const created = await accept(await invite());
    expect((await t.http.patch(`/api/v1/admin/staff/${created.body.user.id}`).set(t.admin).send({ status: 'disabled' })).status).toBe(200);
    expect((await t.http.get('/api/v1/me').set(bearer(created.body.accessToken))).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/staff/login').send({ username: 'op-zhang', password: 'Passw0rd-long' })).status).toBe(403);
  });
});

describe('development login', () => {
  it.each(['rider', 'station_operator', 'merchant_owner', 'property_manager', 'gate_guard', 'body_staff', 'city_admin'])('logs in a demo %s and shows its role and holdings', async (role) => {
    await t.storage.stations.create(stationInput({ city: 'chengdu' }), t.clock.now());
    const res = await t.http.post('/api/v1/auth/dev').send({ role, city: 'chengdu' });
    expect(res.status).toBe(200);
    const me = await t.http.get('/api/v1/me').set(bearer(res.body.accessToken));
    expect(me.body.data.role).toBe(role);
    if (role === 'station_operator') expect(me.body.data.holdings.stationIds).toHaveLength(1);
    if (role !== 'rider') expect(me.body.data).toMatchObject({ city: 'chengdu', holdings: expect.any(Object) });
  });

  it('is refused when DEV_LOGIN is off, as production forces', async () => {
    const off = await buildTestApp({ DEV_LOGIN: 'false' }).catch((e: Error) => e);
    expect(off).toBeInstanceOf(Error);
    expect(String(off)).toContain('403');
  });

  it('rejects an unknown role', async () => {
    expect((await t.http.post('/api/v1/auth/dev').send({ role: 'mayor' })).status).toBe(400);
  });
});

describe('operators, owners and the audit log', () => {
  it('shows an operator’s seat report in nearby search and the GBFS feed at once, and audits it', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    const op = await t.login('station_operator');
    const res = await t.http.put(`/api/v1/stations/${s.id}/occupancy`).set(op.headers).send({ available: 3 });
    expect(res.status).toBe(200);
    const near = await t.http.get('/api/v1/stations/nearby').query({ lng: s.location.lng, lat: s.location.lat, coordSys: 'wgs84', hasSeats: 'true' });
    expect(near.body.data.map((x: { id: string; available: number }) => [x.id, x.available])).toEqual([[s.id, 3]]);
    const gbfs = await t.http.get('/gbfs/station_status.json');
    expect(gbfs.body.data.stations[0]).toMatchObject({ station_id: s.id, num_docks_available: 3 });
    const closed = await t.http.put(`/api/v1/stations/${s.id}/status`).set(op.headers).send({ status: 'temporarily_closed', note: '停电' });
    expect(closed.body.data).toMatchObject({ status: 'temporarily_closed', statusNote: '停电', openNow: false });
    const over = await t.http.put(`/api/v1/stations/${s.id}/occupancy`).set(op.headers).send({ available: 11 });
    expect(over.status).toBe(422);
    const audit = await t.http.get('/api/v1/admin/audit').set(t.admin).query({ objectId: s.id });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['station.status', 'station.occupancy']);
    expect(audit.body.data[1]).toMatchObject({ actorId: op.user.id, actorRole: 'station_operator', summary: { available: 3 }, requestId: expect.any(String) });
    expect((await t.http.get('/api/v1/admin/audit').set(t.adminCd)).body.data).toEqual([]);
    expect((await t.http.get('/api/v1/admin/audit').set(op.headers)).status).toBe(403);
  });

  it('pages the audit log newest first and filters it', async () => {
    for (let i = 0; i < 5; i++) await t.http.post('/api/v1/stations').set(t.admin).send({ ...stationInput(), isDemo: undefined, occupancy: undefined });
    const first = await t.http.get('/api/v1/admin/audit').set(t.admin).query({ limit: 3, action: 'station.create' });
    expect(first.body.data).toHaveLength(3);
    const rest = await t.http.get('/api/v1/admin/audit').set(t.admin).query({ limit: 3, action: 'station.create', before: first.body.meta.nextBefore });
    expect(rest.body.data).toHaveLength(2);
    expect(rest.body.meta.nextBefore).toBeNull();
    expect((await t.http.get('/api/v1/admin/audit').set(t.admin).query({ action: 'Station update' })).status).toBe(400);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the login budget', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_LOGIN_PER_MINUTE: '3', WECHAT_API_BASE: wx.baseURL, WECHAT_APPID: wx.state.appId, WECHAT_SECRET: wx.state.appSecret });
    const tries = [];
    for (let i = 0; i < 4; i++) tries.push(await limited.http.post('/api/v1/auth/staff/login').send({ username: 'nobody', password: 'x' }));
    expect(tries.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    expect(Number(tries[3]!.headers['retry-after'])).toBeGreaterThan(0);
    await limited.close();
  });

  it('answers 429 past the write budget', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_WRITE_PER_MINUTE: '4' });
    const s = await limited.storage.stations.create(stationInput(), limited.clock.now());
    // The two dev logins made by buildTestApp are writes from this IP too: 2 of the 4 are spent.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await limited.http.patch(`/api/v1/stations/${s.id}`).set(limited.admin).send({ capacity: i + 1 })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await limited.storage.stations.get(s.id))?.capacity).toBe(2);
    await limited.close();
  });
});

describe('client address behind a trusted proxy', () => {
  // supertest connects from 127.0.0.1; the header is what one proxy (nginx) forwards: whatever the client wrote,
  // then the address nginx saw.
  const viaProxy = (clientWrote: string, proxySaw: string) => ({ 'X-Forwarded-For': `${clientWrote}, ${proxySaw}` });

  // Each try uses another username, so only the per-IP budget can stop them.
  it('keeps the per-IP login limit when the client changes the X-Forwarded-For it writes', async () => {
    const limited = await buildTestApp({ TRUST_PROXY: 'true', RATE_LIMIT_LOGIN_PER_MINUTE: '3' });
    const tries = [];
    for (let i = 0; i < 5; i++) {
      tries.push((await limited.http.post('/api/v1/auth/staff/login').set(viaProxy(`10.9.8.${i}`, '203.0.113.7')).send({ username: `nobody${i}`, password: 'x' })).status);
    }
    expect(tries).toEqual([401, 401, 401, 429, 429]);
    // Another real client behind the same proxy still has its own budget.
    expect((await limited.http.post('/api/v1/auth/staff/login').set(viaProxy('10.9.8.1', '198.51.100.2')).send({ username: 'somebody', password: 'x' })).status).toBe(401);
    await limited.close();
  });

  it('takes the address TRUST_PROXY_HOPS entries from the right behind two proxies', async () => {
    const limited = await buildTestApp({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2', RATE_LIMIT_LOGIN_PER_MINUTE: '2' });
    const tries = [];
    for (let i = 0; i < 3; i++) {
      const xff = `1.1.1.${i}, 203.0.113.7, 192.0.2.${i}`; // spoof, client (seen by the CDN), CDN (seen by nginx)
      tries.push((await limited.http.post('/api/v1/auth/staff/login').set('X-Forwarded-For', xff).send({ username: `hop${i}`, password: 'x' })).status);
    }
    expect(tries).toEqual([401, 401, 429]);
    await limited.close();
  });
});

describe('order of checks', () => {
  it.each([
    ['POST', '/api/v1/stations'],
    ['POST', '/api/v1/merchants'],
  ])('answers an anonymous %s %s with 401 before looking at the body, and a rider with 403', async (method, path) => {
    const anon = await t.http.post(path).send({});
    expect(anon.status).toBe(401);
    const rider = await t.login('rider');
    expect((await t.http.post(path).set(rider.headers).send({})).status).toBe(403);
  });

  it('answers a PATCH from the wrong role with 403 even when the body is invalid', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    const op = await t.login('merchant_owner');
    expect((await t.http.patch(`/api/v1/stations/${s.id}`).set(op.headers).send({ capacity: -5 })).status).toBe(403);
    expect((await t.http.patch(`/api/v1/stations/${s.id}`).send({ capacity: -5 })).status).toBe(401);
  });
});

describe('authorisation before validation, on every write route', () => {
  // Each case: a caller who may not do it, sending an invalid body and query; the answer must be the refusal.
  type Case = [label: string, role: string, method: 'post' | 'patch' | 'put', path: (ids: { station: string; merchant: string; staff: string }) => string, body: object, status: number];
  const cases: Case[] = [
    ['an operator creating a station', 'station_operator', 'post', () => '/api/v1/stations?coordSys=utm', { capacity: -1 }, 403],
    ['a Chongqing admin creating a Chengdu station', 'city_admin', 'post', () => '/api/v1/stations', { city: 'chengdu', capacity: -1 }, 403],
    ['an operator creating a merchant', 'station_operator', 'post', () => '/api/v1/merchants', { name: '' }, 403],
    ['a Chongqing admin moving a station to Chengdu', 'city_admin', 'patch', (i) => `/api/v1/stations/${i.station}?coordSys=utm`, { city: 'chengdu', capacity: -1 }, 403],
    ['a merchant owner editing a station', 'merchant_owner', 'patch', (i) => `/api/v1/stations/${i.station}?coordSys=utm`, { capacity: -5 }, 403],
    ['an owner of no merchant editing one', 'merchant_owner', 'patch', (i) => `/api/v1/merchants/${i.merchant}?coordSys=utm`, { hours: 5 }, 403],
    ['an operator of another station reporting seats', 'station_operator', 'put', (i) => `/api/v1/stations/${i.station}/occupancy?coordSys=utm`, { available: 'x' }, 403],
    ['a rider setting a station status', 'rider', 'put', (i) => `/api/v1/stations/${i.station}/status?coordSys=utm`, { status: 'nope' }, 403],
    ['an operator importing', 'station_operator', 'post', () => '/api/v1/admin/import/stations?coordSys=utm&dryRun=maybe', {}, 403],
    ['an operator inviting staff', 'station_operator', 'post', () => '/api/v1/admin/invitations', { role: 'king' }, 403],
    ['an operator editing staff', 'station_operator', 'patch', (i) => `/api/v1/admin/staff/${i.staff}`, { status: 'gone' }, 404],
  ];
  it.each(cases)('refuses %s before looking at the invalid input', async (_, role, method, path, body, status) => {
    const caller = await t.login(role); // first: a dev-login operator or owner holds what exists at login
    const station = await t.storage.stations.create(stationInput(), t.clock.now());
    const merchant = await t.storage.merchants.create(merchantInput(), t.clock.now());
    const staff = (await t.login('gate_guard')).user.id;
    const res = await t.http[method](path({ station: station.id, merchant: merchant.id, staff })).set(caller.headers).send(body);
    expect(res.status).toBe(status);
  });
});

describe('audit of staff self-service', () => {
  it('records accepting an invitation, changing one’s name, and binding the bot', async () => {
    const inv = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'gate_guard' });
    const created = await t.http.post('/api/v1/auth/invitations/accept').send({ code: inv.body.data.code, username: 'guard-1', password: 'Passw0rd-long', displayName: '门岗' });
    const me = bearer(created.body.accessToken);
    await t.http.patch('/api/v1/me').set(me).send({ displayName: '门岗老李' });
    const code = (await t.http.post('/api/v1/me/bot-bind-code').set(me)).body.data.code;
    await t.http.post('/api/v1/bot/bind').set({ 'X-Bot-Token': t.config.botToken }).send({ code, contactId: 'wxid_guard' });
    const audit = await t.http.get('/api/v1/admin/audit').set(t.admin).query({ actorId: created.body.user.id });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['staff.bind_bot', 'staff.bot_bind_code', 'staff.update_self', 'invitation.accept']);
    expect(audit.body.data.every((e: { actorRole: string }) => e.actorRole === 'gate_guard')).toBe(true);
  });
});

describe('operator writes and query parameters', () => {
  it('answers in the requested coordSys, and a bad one writes nothing', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    const op = await t.login('station_operator');
    const bad = await t.http.put(`/api/v1/stations/${s.id}/occupancy?coordSys=utm`).set(op.headers).send({ available: 2 });
    expect(bad.status).toBe(400);
    expect((await t.storage.stations.get(s.id))?.occupancy.available).toBeNull();
    const ok = await t.http.put(`/api/v1/stations/${s.id}/occupancy?coordSys=wgs84`).set(op.headers).send({ available: 2 });
    expect(ok.body.data.location).toEqual({ lng: s.location.lng, lat: s.location.lat });
  });
});
