import { buildTestApp, type TestApp } from '../helpers/app';
import { stationInput } from '../helpers/fixtures';

let t: TestApp;
let bot: { 'X-Bot-Token': string };
beforeEach(async () => {
  t = await buildTestApp();
  bot = { 'X-Bot-Token': t.config.botToken };
});
afterEach(() => t.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const session = (body: unknown, headers: Record<string, string> = bot) => t.http.post('/api/v1/bot/sessions').set(headers).send(body as object);
const recipient = (kind: string, id: string, headers: Record<string, string> = bot) => t.http.get(`/api/v1/bot/recipients/${kind}/${id}`).set(headers);

/** A demo staff member of the role, bound to the contact the way staff do it: a bind code sent to the bot. */
async function boundStaff(role: string, contactId: string) {
  const staff = await t.login(role);
  const code = (await t.http.post('/api/v1/me/bot-bind-code').set(staff.headers).send({})).body.data.code;
  expect((await t.http.post('/api/v1/bot/bind').set(bot).send({ code, contactId })).status).toBe(200);
  return staff;
}

describe('POST /api/v1/bot/sessions for a staff member\'s bound contact', () => {
  it('gives a token of the staff member\'s own session: GET /me shows the same role, city and holdings as a login', async () => {
    for (let i = 0; i < 4; i++) await t.storage.stations.create(stationInput(), t.clock.now());
    const op = await boundStaff('station_operator', 'wxid_op');
    const res = await session({ contactId: 'wxid_op', name: '别的昵称' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      data: {
        kind: 'staff', accessToken: expect.any(String), expiresIn: 900,
        user: { id: op.user.id, displayName: op.user.displayName, role: 'station_operator', city: 'chongqing' },
      },
    });
    const viaBot = await t.http.get('/api/v1/me').set(bearer(res.body.data.accessToken));
    const viaLogin = await t.http.get('/api/v1/me').set(op.headers);
    expect(viaBot.status).toBe(200);
    expect(viaBot.body).toEqual(viaLogin.body);
    expect(viaBot.body.data.holdings.stationIds).toHaveLength(3);
    expect(await t.storage.riders.count()).toBe(0); // a staff contact never becomes a rider
  });

  it('leaves the authorization to the API: the operator\'s own station is writable, another is 403', async () => {
    const stations = [];
    for (let i = 0; i < 4; i++) stations.push(await t.storage.stations.create(stationInput(), t.clock.now()));
    await boundStaff('station_operator', 'wxid_op');
    const token = bearer((await session({ contactId: 'wxid_op' })).body.data.accessToken);
    const own = await t.http.put(`/api/v1/stations/${stations[0]!.id}/occupancy`).set(token).send({ available: 2 });
    const other = await t.http.put(`/api/v1/stations/${stations[3]!.id}/occupancy`).set(token).send({ available: 2 });
    expect([own.status, other.status]).toEqual([200, 403]);
    const audit = await t.storage.audit.list({ action: 'station.occupancy', limit: 10 });
    expect(audit).toEqual([expect.objectContaining({ actorRole: 'station_operator', objectId: stations[0]!.id })]);
  });

  it('refuses a disabled staff member (403, reason disabled), and does not fall back to a rider', async () => {
    const guard = await boundStaff('gate_guard', 'wxid_guard');
    expect((await t.http.patch(`/api/v1/admin/staff/${guard.user.id}`).set(t.admin).send({ status: 'disabled' })).status).toBe(200);
    const res = await session({ contactId: 'wxid_guard' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ status: 403, details: { reason: 'disabled' } });
    expect(await t.storage.riders.count()).toBe(0);
  });
});

describe('POST /api/v1/bot/sessions for any other contact (a rider)', () => {
  it('creates the rider on first contact with the nickname, and finds the same rider on the next call', async () => {
    const first = await session({ contactId: 'wxid_rider', name: '  小王  ' });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({
      kind: 'rider', accessToken: expect.any(String), expiresIn: 900,
      user: { id: expect.stringMatching(/^[0-9a-f]{24}$/), displayName: '小王', role: 'rider', city: null },
    });
    const stored = await t.storage.riders.get(first.body.data.user.id);
    expect(stored).toMatchObject({ botContactId: 'wxid_rider', openid: null, isDemo: false, displayName: '小王', status: 'active' });
    const again = await session({ contactId: 'wxid_rider', name: '改了昵称' });
    expect(again.body.data.user).toEqual(first.body.data.user); // the name is taken only on creation
    expect(again.body.data.accessToken).not.toBe(first.body.data.accessToken);
    expect(await t.storage.riders.count()).toBe(1);
    const me = await t.http.get('/api/v1/me').set(bearer(again.body.data.accessToken));
    expect(me.body.data).toMatchObject({ id: first.body.data.user.id, role: 'rider', displayName: '小王', holdings: null });
  });

  it('gives a rider without a nickname displayName null', async () => {
    const res = await session({ contactId: 'wxid_quiet', name: '   ' });
    expect(res.body.data.user).toMatchObject({ displayName: null, role: 'rider' });
  });

  it('makes one rider when several first messages of one contact arrive at once', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => session({ contactId: 'wxid_burst' })));
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(all.map((r) => r.body.data.user.id)).size).toBe(1);
    expect(await t.storage.riders.count()).toBe(1);
  });

  it('refuses a suspended rider (403, reason suspended)', async () => {
    const first = await session({ contactId: 'wxid_bad' });
    expect((await t.http.patch(`/api/v1/admin/riders/${first.body.data.user.id}`).set(t.admin).send({ status: 'suspended' })).status).toBe(200);
    const res = await session({ contactId: 'wxid_bad' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ details: { reason: 'suspended' } });
  });

  it('issues a token that ends with its session, with no refresh token to outlive it', async () => {
    const res = await session({ contactId: 'wxid_short' });
    expect(res.body.data).not.toHaveProperty('refreshToken');
    const token = bearer(res.body.data.accessToken);
    t.clock.advance(899_000);
    expect((await t.http.get('/api/v1/me').set(token)).status).toBe(200);
    t.clock.advance(2_000);
    expect((await t.http.get('/api/v1/me').set(token)).status).toBe(401);
    expect((await session({ contactId: 'wxid_short' })).status).toBe(200); // the bot simply asks again
  });

  it('limits sessions per contact (30 a minute, then 429 with Retry-After), other contacts unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await session({ contactId: 'wxid_loop' })).status);
    expect(statuses).toEqual([...Array(30).fill(200), 429]);
    const last = await session({ contactId: 'wxid_loop' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await session({ contactId: 'wxid_calm' })).status).toBe(200);
  });
});

describe('the bot\'s credential and its input', () => {
  it.each<[string, () => Record<string, string>]>([
    ['no X-Bot-Token', () => ({})],
    ['a wrong X-Bot-Token', () => ({ 'X-Bot-Token': `${t.config.botToken}x` })],
    ['a user\'s bearer token instead', () => t.admin],
  ])('refuses %s (401) and creates nobody', async (_name, headers) => {
    const res = await session({ contactId: 'wxid_x' }, headers());
    expect(res.status).toBe(401);
    expect(await t.storage.riders.count()).toBe(0);
    const rider = (await t.storage.riders.findOrCreateByBotContact('wxid_y', t.clock.now())).rider;
    expect((await recipient('rider', rider.id, headers())).status).toBe(401);
  });

  it.each<[string, unknown, string]>([
    ['no contactId', {}, 'contactId'],
    ['an empty contactId', { contactId: '  ' }, 'contactId'],
    ['a contactId over 128 characters', { contactId: 'w'.repeat(129) }, 'contactId'],
    ['a contactId that is not text', { contactId: 42 }, 'contactId'],
    ['a name over 50 characters', { contactId: 'wxid_n', name: '名'.repeat(51) }, 'name'],
    ['a name with a control character', { contactId: 'wxid_n', name: '小\u0007王' }, 'name'],
    ['an unknown field', { contactId: 'wxid_n', openid: 'o-1' }, 'openid'],
  ])('answers %s with 422 naming the field, and creates nobody', async (_name, body, field) => {
    const res = await session(body);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await t.storage.riders.count()).toBe(0);
  });
});

describe('GET /api/v1/bot/recipients/:kind/:id', () => {
  it('maps a rider and a staff member to their WeChat contacts', async () => {
    const rider = (await session({ contactId: 'wxid_r1' })).body.data.user;
    const staff = await boundStaff('property_manager', 'wxid_pm');
    expect((await recipient('rider', rider.id)).body).toEqual({ data: { contactId: 'wxid_r1' } });
    expect((await recipient('staff', staff.user.id)).body).toEqual({ data: { contactId: 'wxid_pm' } });
  });

  it('answers null for a mini-program rider, an unbound staff member and a disabled one', async () => {
    const appRider = (await t.storage.riders.findOrCreateByOpenid('o-app', null, t.clock.now())).rider;
    const unbound = await t.login('merchant_owner');
    const gone = await boundStaff('gate_guard', 'wxid_gone');
    await t.http.patch(`/api/v1/admin/staff/${gone.user.id}`).set(t.admin).send({ status: 'disabled' });
    expect((await recipient('rider', appRider.id)).body).toEqual({ data: { contactId: null } });
    expect((await recipient('staff', unbound.user.id)).body).toEqual({ data: { contactId: null } });
    expect((await recipient('staff', gone.user.id)).body).toEqual({ data: { contactId: null } });
  });

  it('answers 404 for an unknown or malformed id, and for the id of the other kind', async () => {
    const rider = (await session({ contactId: 'wxid_r2' })).body.data.user;
    expect((await recipient('rider', '0123456789abcdef01234567')).status).toBe(404);
    expect((await recipient('staff', 'not-an-id')).status).toBe(404);
    expect((await recipient('staff', rider.id)).status).toBe(404);
  });

  it('answers 422 naming kind for a kind other than rider or staff', async () => {
    const res = await recipient('merchant', '0123456789abcdef01234567');
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'kind' })]);
  });
});
