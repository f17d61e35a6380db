import { createHmac, randomBytes } from 'node:crypto';
import { createPlatformService } from '../../src/modules/platforms';
import { buildTestApp, type TestApp } from '../helpers/app';
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat';

const PHONE = '13800138000';
const DAY = 86_400_000;
const ATTEST = '/api/v1/platform/attestations';
const body = (over: Record<string, unknown> = {}) => ({
  riderPhone: PHONE, activeSince: '2026-09-01', onTimeRate: 0.97, atFaultAccidents: 0, complaints: 0, ...over,
});

interface Key { id: string; secret: string }
interface Signing { ts?: number; nonce?: string; signature?: string; type?: string; omit?: string }

let wx: FakeWeChat;
let t: TestApp;
beforeAll(async () => {
  wx = await startFakeWeChat();
});
afterAll(() => wx.close());
beforeEach(async () => {
  t = await buildTestApp({ WECHAT_API_BASE: wx.baseURL, WECHAT_APPID: wx.state.appId, WECHAT_SECRET: wx.state.appSecret });
});
afterEach(() => t.close());

const nowS = () => Math.floor(t.clock.now().getTime() / 1000);

async function registerKey(platform = '美团', admin = t.admin): Promise<Key> {
  const res = await t.http.post('/api/v1/platform/keys').set(admin).send({ platform });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, secret: res.body.data.secret };
}

/** Sends a body signed as a platform would: hex HMAC-SHA256 of `${ts}\n${nonce}\n${raw body}` under the key's secret. */
function attest(key: Key, payload: unknown, s: Signing = {}) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const ts = s.ts ?? nowS();
  const nonce = s.nonce ?? randomBytes(16).toString('base64url');
  const signature = s.signature ?? createHmac('sha256', key.secret).update(`${ts}\n${nonce}\n${raw}`).digest('hex');
  const headers: Record<string, string> = {
    'Content-Type': s.type ?? 'application/json', 'X-Platform-Key': key.id, 'X-Timestamp': String(ts), 'X-Nonce': nonce, 'X-Signature': signature,
  };
  if (s.omit) delete headers[s.omit];
  return t.http.post(ATTEST).set(headers).send(raw);
}

/** A rider of the city with a bound phone (stored directly; the WeChat binding has its own test below). */
async function riderWithPhone(phone = PHONE, extra: { city?: 'chongqing' | 'chengdu' | null; platform?: '饿了么' | null } = {}) {
  const { rider } = await t.storage.riders.findOrCreateByOpenid(`o-${phone}-${Math.random()}`, null, t.clock.now(), { city: extra.city === undefined ? 'chongqing' : extra.city ?? undefined });
  return (await t.storage.riders.update(rider.id, { phone, platform: extra.platform ?? null }, t.clock.now()))!;
}

const latest = (riderId: string) => t.storage.attestations.latestFor(riderId);

describe('platform keys', () => {
  it('shows the secret once, stores only its sealed form, lists keys without it and audits without it', async () => {
    const res = await t.http.post('/api/v1/platform/keys').set(t.admin).set('X-Request-Id', 'key-create-1').send({ platform: '美团' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), platform: '美团', city: 'chongqing', secret: expect.any(String), createdAt: t.clock.now().toISOString() });
    const { id, secret } = res.body.data;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
    const stored = await t.storage.platformKeys.get(id);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.sealedSecret).toMatch(/^v1\./);

    const list = await t.http.get('/api/v1/platform/keys').set(t.admin);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([{ id, platform: '美团', city: 'chongqing', status: 'active', createdBy: expect.any(String), createdAt: expect.any(String), revokedAt: null }]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain(stored!.sealedSecret);
    const audit = (await t.storage.audit.list({ limit: 100 })).filter((e) => e.requestId === 'key-create-1');
    expect(audit).toEqual([expect.objectContaining({ action: 'platform_key.create', objectType: 'platform_key', objectId: id, city: 'chongqing', summary: { platform: '美团' } })]);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect((await t.http.get('/api/v1/platform/keys').set(t.adminCd)).body.data).toEqual([]);
  });

  it.each([
    [{}, 'platform'],
    [{ platform: 'Uber' }, 'platform'],
    [{ platform: '美团', secret: 'mine' }, 'secret'],
  ])('refuses to register %j (422 naming %s)', async (payload, field) => {
    const res = await t.http.post('/api/v1/platform/keys').set(t.admin).send(payload);
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe(field);
  });

  it('revokes a key of its city, again without change, and another city\'s administrator cannot (404)', async () => {
    const key = await registerKey();
    const other = await t.http.post(`/api/v1/platform/keys/${key.id}/revoke`).set(t.adminCd);
    const missing = await t.http.post('/api/v1/platform/keys/ffffffffffffffffffffffff/revoke').set(t.adminCd);
    expect(other.status).toBe(404);
    expect(other.body).toEqual(missing.body);
    expect((await t.storage.platformKeys.get(key.id))?.revokedAt).toBeNull();
    expect((await attest(key, body())).status).toBe(404); // still live (no rider with that phone)

    const res = await t.http.post(`/api/v1/platform/keys/${key.id}/revoke`).set(t.admin);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: key.id, status: 'revoked', revokedAt: t.clock.now().toISOString() });
    t.clock.advance(60_000);
    const again = await t.http.post(`/api/v1/platform/keys/${key.id}/revoke`).set(t.admin);
    expect(again.body.data.revokedAt).toBe(res.body.data.revokedAt);
    expect((await t.storage.audit.list({ limit: 100, action: 'platform_key.revoke' }))).toHaveLength(1);
  });
});

describe('POST /api/v1/platform/attestations', () => {
  it('accepts a correctly signed attestation for the rider who bound the phone through WeChat, and the rider sees level platform', async () => {
    const rider = await t.login('rider');
    wx.state.phoneCodes.set('phone-code-1', PHONE);
    expect((await t.http.post('/api/v1/me/phone').set(rider.headers).send({ code: 'phone-code-1' })).status).toBe(200);
    expect((await t.http.get('/api/v1/me/verification').set(rider.headers)).body.data).toEqual({ level: 'phone', platform: null, phoneBound: true, attestedAt: null });

    const key = await registerKey('美团');
    const res = await attest(key, body({ observedAt: '2026-11-25T11:30:00+08:00' }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ data: { id: expect.stringMatching(/^[0-9a-f]{24}$/), receivedAt: t.clock.now().toISOString() } });
    expect(await latest(rider.user.id)).toEqual({
      id: res.body.data.id, riderId: rider.user.id, platform: '美团', keyId: key.id, activeSince: new Date('2026-08-31T16:00:00Z'),
      onTimeRate: 0.97, atFaultAccidents: 0, complaints: 0, observedAt: new Date('2026-11-25T03:30:00Z'), receivedAt: t.clock.now(),
    });
    expect((await t.storage.riders.get(rider.user.id))?.platform).toBe('美团'); // was empty: the key's platform is recorded
    const me = await t.http.get('/api/v1/me/verification').set(rider.headers);
    expect(me.status).toBe(200);
    expect(me.body.data).toEqual({ level: 'platform', platform: '美团', phoneBound: true, attestedAt: '2026-11-25T03:30:00.000Z' });
  });

  it('gives the compounds feature the facts, and lets an attestation lapse after the maximum age', async () => {
    const rider = await riderWithPhone();
    const key = await registerKey('达达');
    expect((await attest(key, body({ onTimeRate: 0.955, atFaultAccidents: 1, complaints: 2 }))).status).toBe(201);
    const facts = createPlatformService({ storage: t.storage, clock: t.clock, config: t.config });
    expect(await facts.riderFacts(rider.id, t.clock.now())).toEqual({
      level: 'platform', platform: '达达', phoneBound: true, activeSince: new Date('2026-08-31T16:00:00Z'), activeDays: 85,
      onTimeRate: 0.955, atFaultAccidents: 1, complaints: 2, attestedAt: t.clock.now(),
    });
    const later = new Date(t.clock.now().getTime() + 90 * DAY + 1);
    expect(await facts.riderFacts(rider.id, later)).toMatchObject({ level: 'phone', platform: '达达', attestedAt: null, onTimeRate: null, activeDays: null });
    await expect(facts.riderFacts('ffffffffffffffffffffffff', later)).rejects.toMatchObject({ status: 404, details: { reason: 'rider_not_found' } });
  });

  it('keeps the rider\'s own platform when another platform attests, and still stores the attestation', async () => {
    const rider = await riderWithPhone(PHONE, { platform: '饿了么' });
    const key = await registerKey('美团');
    expect((await attest(key, body())).status).toBe(201);
    expect((await t.storage.riders.get(rider.id))?.platform).toBe('饿了么');
    expect(await latest(rider.id)).toMatchObject({ platform: '美团', keyId: key.id });
  });

  it('checks the signature over the bytes sent, not over re-serialised JSON', async () => {
    const rider = await riderWithPhone();
    const key = await registerKey();
    const raw = `{ "complaints": 0,\n  "riderPhone": "${PHONE}", "activeSince": "2026-09-01", "onTimeRate": 1, "atFaultAccidents": 0 }`;
    expect((await attest(key, raw)).status).toBe(201);
    expect(await latest(rider.id)).toMatchObject({ onTimeRate: 1 });
  });

  describe('refusals, each with its reason, storing nothing', () => {
    let key: Key;
    let riderId: string;
    beforeEach(async () => {
      riderId = (await riderWithPhone()).id;
      key = await registerKey();
    });
    afterEach(async () => {
      expect(await latest(riderId)).toBeNull();
    });

    const refused = async (res: { status: number; body: { error: { details: Record<string, unknown> } } }, status: number, reason: string) => {
      expect({ status: res.status, reason: res.body.error.details.reason }).toEqual({ status, reason });
    };

    it('a bad signature (401 bad_signature)', async () => {
      await refused(await attest(key, body(), { signature: 'ab'.repeat(32) }), 401, 'bad_signature');
    });
    it('a body changed after signing (401 bad_signature)', async () => {
      const ts = nowS();
      const nonce = 'tampered-nonce-0001';
      const sig = createHmac('sha256', key.secret).update(`${ts}\n${nonce}\n${JSON.stringify(body())}`).digest('hex');
      await refused(await attest(key, body({ onTimeRate: 1 }), { ts, nonce, signature: sig }), 401, 'bad_signature');
    });
    it('a signature made with another key\'s secret (401 bad_signature)', async () => {
      const other = await registerKey('顺丰');
      await refused(await attest({ id: key.id, secret: other.secret }, body()), 401, 'bad_signature');
    });
    it('an old timestamp, 301 s ago (401 timestamp_out_of_window)', async () => {
      const res = await attest(key, body(), { ts: nowS() - 301 });
      await refused(res, 401, 'timestamp_out_of_window');
      expect(res.body.error.details.serverTime).toBe(nowS());
    });
    it('a future timestamp, 301 s ahead (401 timestamp_out_of_window)', async () => {
      await refused(await attest(key, body(), { ts: nowS() + 301 }), 401, 'timestamp_out_of_window');
    });
    it('an unknown key (401 unknown_key)', async () => {
      await refused(await attest({ id: 'ffffffffffffffffffffffff', secret: key.secret }, body()), 401, 'unknown_key');
    });
    it('a revoked key (401 key_revoked)', async () => {
      expect((await t.http.post(`/api/v1/platform/keys/${key.id}/revoke`).set(t.admin)).status).toBe(200);
      await refused(await attest(key, body()), 401, 'key_revoked');
    });
    it.each(['X-Platform-Key', 'X-Timestamp', 'X-Nonce', 'X-Signature'])('a request without %s (401 missing_header)', async (header) => {
      const res = await attest(key, body(), { omit: header });
      await refused(res, 401, 'missing_header');
      expect(res.body.error.details.header).toBe(header.toLowerCase());
    });
    it('a nonce of the wrong form (401 malformed_header)', async () => {
      await refused(await attest(key, body(), { nonce: 'short' }), 401, 'malformed_header');
    });
    it('a body that is not JSON (422 body_not_json)', async () => {
      await refused(await attest(key, '{"riderPhone":'), 422, 'body_not_json');
    });
    it('a body that is not JSON, as text/plain (415)', async () => {
      const res = await attest(key, body(), { type: 'text/plain' });
      expect(res.status).toBe(415);
    });
    it.each([
      [{ riderPhone: '+8613800138000' }, 'riderPhone'],
      [{ riderPhone: '12800138000' }, 'riderPhone'],
      [{ onTimeRate: 1.2 }, 'onTimeRate'],
      [{ onTimeRate: '0.97' }, 'onTimeRate'],
      [{ atFaultAccidents: -1 }, 'atFaultAccidents'],
      [{ complaints: 0.5 }, 'complaints'],
      [{ activeSince: '2026-02-30' }, 'activeSince'],
      [{ activeSince: '2026-12-01' }, 'activeSince'],
      [{ observedAt: '2026-11-25T12:00:00' }, 'observedAt'],
      [{ observedAt: '2026-12-25T12:00:00+08:00' }, 'observedAt'],
      [{ observedAt: '2026-06-01T12:00:00+08:00' }, 'observedAt'],
      [{ riderId: 'ffffffffffffffffffffffff' }, 'riderId'],
    ])('a body failing the schema: %j (422 invalid_body naming the field)', async (over, field) => {
      const res = await attest(key, body(over));
      await refused(res, 422, 'invalid_body');
      expect(res.body.error.details.fields[0].field).toBe(field);
    });
    it('an unknown phone, and a rider of another city, alike (404 rider_not_found)', async () => {
      const unknown = await attest(key, body({ riderPhone: '13900139000' }));
      await refused(unknown, 404, 'rider_not_found');
      const away = await riderWithPhone('13700137000', { city: 'chengdu' });
      const other = await attest(key, body({ riderPhone: '13700137000' }));
      expect(other.body).toEqual(unknown.body);
      expect(await latest(away.id)).toBeNull();
    });
  });

  it('refuses a reused nonce (409 nonce_reused), even with a new timestamp, and stores the attestation once', async () => {
    const rider = await riderWithPhone();
    const key = await registerKey();
    const nonce = 'once-only-nonce-0001';
    expect((await attest(key, body(), { nonce })).status).toBe(201);
    const replay = await attest(key, body(), { nonce });
    expect([replay.status, replay.body.error.details.reason]).toEqual([409, 'nonce_reused']);
    t.clock.advance(10_000);
    const later = await attest(key, body({ complaints: 9 }), { nonce });
    expect([later.status, later.body.error.details.reason]).toEqual([409, 'nonce_reused']);
    expect(await latest(rider.id)).toMatchObject({ complaints: 0 });
    const otherKey = await registerKey('京东');
    expect((await attest(otherKey, body(), { nonce })).status).toBe(201); // nonces are per key
  });

  it('limits each key to its requests per minute (429 with Retry-After), other keys unaffected', async () => {
    await t.close();
    t = await buildTestApp({ PLATFORM_ATTESTATIONS_PER_MINUTE: '2' });
    await riderWithPhone();
    const key = await registerKey();
    const other = await registerKey('闪送');
    expect((await attest(key, body())).status).toBe(201);
    expect((await attest(key, body())).status).toBe(201);
    const third = await attest(key, body());
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attest(other, body())).status).toBe(201);
  });

  it('needs no bearer token, and a user\'s token does not stand in for the signature', async () => {
    const key = await registerKey();
    const res = await t.http.post(ATTEST).set(t.admin).set('Content-Type', 'application/json').send(body());
    expect([res.status, res.body.error.details.reason]).toEqual([401, 'missing_header']);
    await riderWithPhone();
    expect((await attest(key, body())).status).toBe(201);
  });
});

describe('GET /api/v1/me/verification', () => {
  it('answers a rider without a phone with level none, and an admin-verified rider with platform', async () => {
    const rider = await t.login('rider');
    expect((await t.http.get('/api/v1/me/verification').set(rider.headers)).body.data).toEqual({ level: 'none', platform: null, phoneBound: false, attestedAt: null });
    await t.storage.riders.update(rider.user.id, { verification: 'admin_verified' }, t.clock.now());
    const again = await t.login('rider');
    expect((await t.http.get('/api/v1/me/verification').set(again.headers)).body.data).toMatchObject({ level: 'platform', attestedAt: null });
  });

  it('is for riders only: staff 403, anonymous 401', async () => {
    expect((await t.http.get('/api/v1/me/verification').set(t.admin)).status).toBe(403);
    expect((await t.http.get('/api/v1/me/verification')).status).toBe(401);
  });
});
