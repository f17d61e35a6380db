/**
 * 小哥进小区 end to end over HTTP on the real app: a rider finds a compound, asks to enter, a manager approves, the
 * rider shows a typed code and a QR token, the guard checks both, the entry is recorded, the manager revokes and
 * the same code is refused with the reason. Then the clock-driven rules: rotation, allowed hours, expiry, replay,
 * brute force.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { accessServiceOf } from '../../src/modules/compounds';
import { createAudit } from '../../src/modules/identity/audit';
import { buildTestApp, type TestApp } from '../helpers/app';

const compoundBody = {
  name: '龙湖香醍漫步', city: 'chongqing', district: '渝北区', address: '金开大道 68 号', location: { lng: 106.5203, lat: 29.6312 },
  propertyCompany: '龙湖智慧服务',
  gates: [{ id: 'east', name: '东门', location: { lng: 106.5211, lat: 29.6313 } }, { id: 'south', name: '南门' }],
  policy: { mode: 'manual', rules: { hours: [{ open: '07:00', close: '23:00' }], maxPassDays: 30 } },
  notes: '走东门，电动车停东门外车棚。',
};

interface Ctx {
  t: TestApp;
  compoundId: string;
  rider: { Authorization: string };
  riderId: string;
  manager: { Authorization: string };
  guard: { Authorization: string };
}

async function setUp(overrides: Record<string, string> = {}, body: Record<string, unknown> = compoundBody): Promise<Ctx> {
  const t = await buildTestApp(overrides);
  const created = await t.http.post('/api/v1/compounds').set(t.admin).send(body);
  expect(created.status).toBe(201);
  const compoundId = created.body.data.id as string;
  // The development login's manager and guard hold the city's first compounds: this one.
  const manager = await t.login('property_manager');
  expect(manager.user.holdings).toEqual(expect.objectContaining({ compoundIds: [compoundId] }));
  const guard = await t.login('gate_guard');
  const rider = await t.login('rider');
  return { t, compoundId, rider: rider.headers, riderId: rider.user.id, manager: manager.headers, guard: guard.headers };
}

/** Moves the clock and logs everyone in again (access tokens live 15 minutes on the same clock). */
async function at(c: Ctx, time: string, advanceMs = 0): Promise<void> {
  c.t.clock.set(time);
  c.t.clock.advance(advanceMs);
  c.rider = (await c.t.login('rider')).headers;
  c.guard = (await c.t.login('gate_guard')).headers;
  c.manager = (await c.t.login('property_manager')).headers;
}

async function approvedPass(c: Ctx): Promise<string> {
  const req = await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId, reason: '送外卖', durationDays: 7 });
  expect(req.status).toBe(201);
  const ok = await c.t.http.post(`/api/v1/access-requests/${req.body.data.request.id as string}/approve`).set(c.manager).send({});
  expect(ok.status).toBe(200);
  return ok.body.data.pass.id as string;
}

const codeOf = async (c: Ctx, passId: string) => (await c.t.http.get(`/api/v1/me/passes/${passId}/code`).set(c.rider)).body.data as { code: string; display: string; expiresInSeconds: number };
const verify = (c: Ctx, body: Record<string, unknown>) => c.t.http.post('/api/v1/gates/verify').set(c.guard).send({ compoundId: c.compoundId, gateId: 'east', ...body });

describe('compound access journey', () => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setUp();
  });
  afterAll(() => c.t.close());

  it('runs from finding the compound to a refused code after revocation', async () => {
    const { t } = c;
    const found = await t.http.get('/api/v1/compounds').query({ q: '香醍' });
    expect(found.status).toBe(200);
    expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([c.compoundId]);
    const near = await t.http.get('/api/v1/compounds/nearby').query({ lng: 106.5203, lat: 29.6312, coordSys: 'wgs84' });
    expect(near.body.data[0]).toEqual(expect.objectContaining({ id: c.compoundId, accessMode: 'manual', notes: compoundBody.notes }));
    const detail = await t.http.get(`/api/v1/compounds/${c.compoundId}`);
    expect(detail.body.data.gates.map((g: { id: string }) => g.id)).toEqual(['east', 'south']);

    const asked = await t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId, reason: '每天午高峰送餐', durationDays: 60 });
    expect(asked.status).toBe(201);
    expect(asked.body.data.request).toEqual(expect.objectContaining({ status: 'pending', durationDays: 30 })); // capped by maxPassDays
    const again = await t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId, durationDays: 5 });
    expect(again.status).toBe(200);
    expect(again.body.data.request.id).toBe(asked.body.data.request.id);

    const pending = await t.http.get('/api/v1/access-requests').query({ status: 'pending' }).set(c.manager);
    expect(pending.body.data.map((r: { id: string }) => r.id)).toEqual([asked.body.data.request.id]);
    const requestId = asked.body.data.request.id as string;
    const approved = await t.http.post(`/api/v1/access-requests/${requestId}/approve`).set(c.manager).send({ durationDays: 7 });
    expect(approved.status).toBe(200);
    expect(approved.body.data.request.status).toBe('approved');
    const passId = approved.body.data.pass.id as string;
    const twice = await t.http.post(`/api/v1/access-requests/${requestId}/approve`).set(c.manager).send({});
    expect(twice.status).toBe(200);
    expect(twice.body.data.pass.id).toBe(passId); // idempotent
    const mine = await t.http.get('/api/v1/me/passes').set(c.rider);
    expect(mine.body.data).toEqual([expect.objectContaining({ id: passId, current: true, number: 1 })]);

    const code = await codeOf(c, passId);
    expect(code.code).toMatch(/^1\d{7}$/);
    const byCode = await verify(c, { code: code.display });
    expect(byCode.status).toBe(200);
    expect(byCode.body.data).toEqual(expect.objectContaining({ allowed: true, reason: 'ok', pass: expect.objectContaining({ id: passId }) }));
    expect(byCode.body.data.rider).toEqual(expect.objectContaining({ verificationLevel: 'none' }));

    const qr = await t.http.get(`/api/v1/me/passes/${passId}/qr`).set(c.rider);
    expect(qr.status).toBe(200);
    const byQr = await verify(c, { qr: qr.body.data.token });
    expect(byQr.body.data).toEqual(expect.objectContaining({ allowed: true, reason: 'ok' }));
    const replay = await verify(c, { qr: qr.body.data.token });
    expect(replay.body.data).toEqual(expect.objectContaining({ allowed: false, reason: 'replayed' }));

    const entries = await t.http.get(`/api/v1/compounds/${c.compoundId}/entries`).set(c.manager);
    expect(entries.body.data.map((e: { reason: string }) => e.reason)).toEqual(['replayed', 'ok', 'ok']);
    expect(entries.body.data[1]).toEqual(expect.objectContaining({ method: 'qr', passId, riderId: c.riderId, allowed: true }));

    const revoked = await t.http.post(`/api/v1/passes/${passId}/revoke`).set(c.manager).send({ reason: '在小区内骑快车' });
    expect(revoked.status).toBe(200);
    const refused = await verify(c, { code: code.code });
    expect(refused.body.data).toEqual(expect.objectContaining({ allowed: false, reason: 'revoked', message: '通行证已被物业撤销' }));
    const shown = await t.http.get(`/api/v1/me/passes/${passId}/code`).set(c.rider);
    expect(shown.status).toBe(409);
    expect(shown.body.error.message).toContain('在小区内骑快车');
  });
});

describe('compound access: time windows, replay and brute force with an injected clock', () => {
  let c: Ctx;
  let passId: string;
  beforeAll(async () => {
    c = await setUp();
    passId = await approvedPass(c);
  });
  afterAll(() => c.t.close());

  it('rotates the code every 30 s, accepts the previous one, refuses older ones', async () => {
    c.t.clock.set('2026-11-25T04:00:00Z');
    const first = await codeOf(c, passId);
    expect(first.expiresInSeconds).toBe(30);
    c.t.clock.advance(30_000);
    const second = await codeOf(c, passId);
    expect(second.code).not.toBe(first.code);
    expect((await verify(c, { code: first.code })).body.data.reason).toBe('ok'); // the previous step
    c.t.clock.advance(30_000);
    expect((await verify(c, { code: first.code })).body.data.reason).toBe('wrong_code');
    expect((await verify(c, { code: second.code })).body.data.reason).toBe('ok');
  });

  it('refuses outside the allowed hours (Asia/Shanghai) and after the pass ends', async () => {
    await at(c, '2026-11-25T15:30:00Z'); // 23:30 in Chongqing
    const late = await codeOf(c, passId);
    expect((await verify(c, { code: late.code })).body.data.reason).toBe('outside_hours');
    await at(c, '2026-12-03T04:00:00Z'); // the 7-day pass ended on 12-02 04:00
    expect((await c.t.http.get(`/api/v1/me/passes/${passId}/code`).set(c.rider)).status).toBe(409);
    await at(c, '2026-12-02T03:59:50Z');
    const last = await codeOf(c, passId);
    expect(last.expiresInSeconds).toBeLessThanOrEqual(10); // a code never outlives its pass
    c.t.clock.set('2026-12-02T04:00:05Z'); // tokens from 15 s ago still live
    expect((await verify(c, { code: last.code })).body.data.reason).toBe('expired');
  });

  it('refuses an expired QR token and one of another compound', async () => {
    await at(c, '2026-11-26T04:00:00Z');
    const qr = (await c.t.http.get(`/api/v1/me/passes/${passId}/qr`).set(c.rider)).body.data.token as string;
    c.t.clock.advance(70_000);
    expect((await verify(c, { qr })).body.data.reason).toBe('token_expired');
  });

  it('refuses codes of the wrong format with the reason and records them', async () => {
    for (const code of ['12', 'abc', '0123456789', '1'.repeat(20)]) {
      const res = await c.t.http.post('/api/v1/gates/verify').set((await c.t.login('gate_guard', 'chongqing')).headers).send({ compoundId: c.compoundId, gateId: 'south', code });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(expect.objectContaining({ allowed: false, reason: 'format' }));
    }
  });
});

describe('compound access: brute force at the gate', () => {
  let c: Ctx;
  let passId: string;
  beforeAll(async () => {
    c = await setUp();
    passId = await approvedPass(c);
  });
  afterAll(() => c.t.close());

  it('answers 429 after too many wrong codes from one guard, and records every attempt', async () => {
    for (let i = 0; i < 10; i++) expect((await verify(c, { code: `1${String(1000000 + i)}` })).body.data.reason).toBe('wrong_code');
    const good = await codeOf(c, passId);
    const limited = await verify(c, { code: good.code });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    c.t.clock.advance(61_000);
    // rate-limiter-flexible's memory store counts on the wall clock: the test cannot move it; a new gate is counted apart.
    const entries = await c.t.http.get(`/api/v1/compounds/${c.compoundId}/entries`).query({ limit: 200 }).set(c.manager);
    expect(entries.body.data.filter((e: { reason: string }) => e.reason === 'rate_limited')).toHaveLength(1);
  });

});

describe('compound access: authorization across compounds', () => {
  let c: Ctx;
  let otherId: string;
  let passId: string;
  beforeAll(async () => {
    c = await setUp();
    passId = await approvedPass(c);
    const other = await c.t.http.post('/api/v1/compounds').set(c.t.admin).send({ ...compoundBody, name: '另一个小区', location: { lng: 106.53, lat: 29.64 }, gates: [{ id: 'east', name: '东门' }] });
    otherId = other.body.data.id as string;
  });
  afterAll(() => c.t.close());

  it('a guard of compound A cannot verify at compound B', async () => {
    const code = await codeOf(c, passId);
    const res = await c.t.http.post('/api/v1/gates/verify').set(c.guard).send({ compoundId: otherId, gateId: 'east', code: code.code });
    expect(res.status).toBe(403);
  });

  it('a manager of A cannot approve, revoke or read entries at B', async () => {
    const other = await c.t.login('rider', 'chengdu');
    const req = await c.t.http.post('/api/v1/access-requests').set(other.headers).send({ compoundId: otherId });
    expect(req.status).toBe(201);
    expect((await c.t.http.post(`/api/v1/access-requests/${req.body.data.request.id as string}/approve`).set(c.manager).send({})).status).toBe(403);
    expect((await c.t.http.get(`/api/v1/compounds/${otherId}/entries`).set(c.manager)).status).toBe(403);
  });

  it("a rider cannot read another rider's pass", async () => {
    const other = await c.t.login('rider', 'chengdu');
    expect(other.user.id).not.toBe(c.riderId);
    expect((await c.t.http.get(`/api/v1/me/passes/${passId}/code`).set(other.headers)).status).toBe(404);
    expect((await c.t.http.get(`/api/v1/me/passes/${passId}/qr`).set(other.headers)).status).toBe(404);
  });

  it('a blocked rider is refused at the gate and when asking again', async () => {
    const code = await codeOf(c, passId);
    const blocked = await c.t.http.post(`/api/v1/compounds/${c.compoundId}/blocks`).set(c.manager).send({ riderId: c.riderId, reason: '与门岗发生冲突' });
    expect(blocked.status).toBe(201);
    expect(blocked.body.data.revokedPasses).toBe(1);
    expect((await verify(c, { code: code.code })).body.data.reason).toBe('revoked');
    const again = await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId });
    expect(again.body.data.request).toEqual(expect.objectContaining({ status: 'denied', decisionNote: expect.stringContaining('与门岗发生冲突') }));
  });
});

describe('compound access: policy modes and place codes', () => {
  it('approves at once in auto mode when the rules are met, refuses at once when closed', async () => {
    const c = await setUp({}, { ...compoundBody, policy: { mode: 'auto', rules: { minLevel: 'none' } } });
    try {
      const res = await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId });
      expect(res.body.data.request.status).toBe('approved');
      expect(res.body.data.pass).toEqual(expect.objectContaining({ current: true }));
      const closed = await c.t.http.post('/api/v1/compounds').set(c.t.admin).send({ ...compoundBody, name: '封闭小区', policy: { mode: 'closed' } });
      const no = await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: closed.body.data.id });
      expect(no.body.data.request).toEqual(expect.objectContaining({ status: 'denied', decisionNote: '本小区暂不对骑手开放' }));
    } finally {
      await c.t.close();
    }
  });

  it('queues an auto-mode request the rider does not qualify for, saying why', async () => {
    const c = await setUp({}, { ...compoundBody, policy: { mode: 'auto', rules: { minLevel: 'platform', minOnTimeRate: 0.95 } } });
    try {
      const res = await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId });
      expect(res.body.data.request.status).toBe('pending');
      expect(res.body.data.unmet).toEqual([expect.stringContaining('平台认证'), expect.stringContaining('95%')]);
    } finally {
      await c.t.close();
    }
  });

  it('a scanned place code starts a request, then shows the pass', async () => {
    const c = await setUp();
    try {
      const pc = await c.t.http.get(`/api/v1/compounds/${c.compoundId}/gates/east/place-code`).set(c.guard);
      expect(pc.status).toBe(200);
      expect(pc.body.data.code).toMatch(/^[0-9A-Z]{8}-EAST$/);
      const first = await c.t.http.post('/api/v1/place-codes/scan').set(c.rider).send({ code: pc.body.data.qrContent });
      expect(first.status).toBe(200);
      expect(first.body.data.request).toEqual(expect.objectContaining({ status: 'pending' }));
      await c.t.http.post(`/api/v1/access-requests/${first.body.data.request.id as string}/approve`).set(c.manager).send({});
      const second = await c.t.http.post('/api/v1/place-codes/scan').set(c.rider).send({ code: pc.body.data.code.toLowerCase() });
      expect(second.body.data.pass).toEqual(expect.objectContaining({ current: true }));
      expect((await c.t.http.post('/api/v1/place-codes/scan').set(c.rider).send({ code: 'hello' })).status).toBe(422);
      expect((await c.t.http.post('/api/v1/place-codes/scan').set(c.rider).send({ code: 'ZZZZZZZZ-EAST' })).status).toBe(404);
    } finally {
      await c.t.close();
    }
  });
});

describe('compound access: pass-expiring notices', () => {
  it('writes one pass.expiring notice per pass ending within the window, once', async () => {
    const c = await setUp();
    try {
      const passId = await approvedPass(c); // 7 days from 2026-11-25 04:00Z
      const access = accessServiceOf({ storage: c.t.storage, clock: c.t.clock, config: c.t.config, audit: createAudit(c.t.storage, c.t.clock) });
      expect(await access.noticeExpiring(c.t.config.access.expiryNoticeMs)).toBe(0);
      c.t.clock.set('2026-12-01T10:00:00Z'); // 18 h before the end
      expect(await access.noticeExpiring(c.t.config.access.expiryNoticeMs)).toBe(1);
      expect(await access.noticeExpiring(c.t.config.access.expiryNoticeMs)).toBe(0);
      const claimed = await c.t.storage.outbox.claim('bot', 100, 60_000, c.t.clock.now());
      const expiring = claimed.filter((e) => e.type === 'pass.expiring');
      expect(expiring).toEqual([expect.objectContaining({ recipient: { kind: 'rider', id: c.riderId }, payload: expect.objectContaining({ passId }) })]);
    } finally {
      await c.t.close();
    }
  });
});

describe('compound access: defects found by probing the running service', () => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setUp();
  });
  afterEach(() => c.t.close());

  it('a policy change keeps the rules it does not name', async () => {
    const res = await c.t.http.patch(`/api/v1/compounds/${c.compoundId}`).set(c.manager).send({ policy: { mode: 'auto' } });
    expect(res.status).toBe(200);
    expect(res.body.data.policy).toEqual({ mode: 'auto', rules: expect.objectContaining({ hours: [{ open: '07:00', close: '23:00' }], maxPassDays: 30 }) });
    const rules = await c.t.http.patch(`/api/v1/compounds/${c.compoundId}`).set(c.manager).send({ policy: { rules: { hours: null } } });
    expect(rules.body.data.policy).toEqual({ mode: 'auto', rules: expect.objectContaining({ hours: null, maxPassDays: 30 }) });
  });

  it('a re-import keeps the policy and notes the managers set, unless the row has those columns', async () => {
    const csv = (extra = '', values = '') => `externalId,name,city,district,address,lng,lat,gates${extra}\nIMP-1,导入小区,chongqing,渝中区,民族路1号,106.5775,29.5594,east:东门${values}\n`;
    const imp = (body: string) => c.t.http.post('/api/v1/admin/import/compounds').set(c.t.admin).set('Content-Type', 'text/csv').send(body);
    expect((await imp(csv())).status).toBe(200);
    const stored = await c.t.storage.compounds.getByExternalId('IMP-1');
    const admin = c.t.admin;
    await c.t.http.patch(`/api/v1/compounds/${stored!.id}`).set(admin).send({ policy: { mode: 'closed' }, notes: '物业写的提示' });
    expect((await imp(csv().replace('民族路1号', '民族路2号'))).status).toBe(200);
    const after = await c.t.storage.compounds.getByExternalId('IMP-1');
    expect(after).toEqual(expect.objectContaining({ address: '民族路2号', notes: '物业写的提示', policy: expect.objectContaining({ mode: 'closed' }) }));
    expect((await imp(csv(',mode', ',auto'))).status).toBe(200);
    expect((await c.t.storage.compounds.getByExternalId('IMP-1'))?.policy.mode).toBe('auto');
  });

  it('refuses to approve a blocked rider, and a block denies the pending request', async () => {
    const req = (await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId })).body.data.request;
    const blocked = await c.t.http.post(`/api/v1/compounds/${c.compoundId}/blocks`).set(c.manager).send({ riderId: c.riderId, reason: '多次违规' });
    expect(blocked.status).toBe(201);
    const now = await c.t.http.get('/api/v1/me/access-requests').set(c.rider);
    expect(now.body.data[0]).toEqual(expect.objectContaining({ id: req.id, status: 'denied', decisionNote: expect.stringContaining('多次违规') }));
    const again = await c.t.http.post('/api/v1/access-requests').set(c.rider).send({ compoundId: c.compoundId });
    expect(again.status).toBe(200); // the same denial, not a new request and notice for every tap
    expect(again.body.data.request.id).toBe(req.id);
  });

  it('a typed code lets one rider in once; a wrong guess names nobody', async () => {
    const passId = await approvedPass(c);
    const code = await codeOf(c, passId);
    expect((await verify(c, { code: code.code })).body.data.reason).toBe('ok');
    expect((await verify(c, { code: code.code })).body.data.reason).toBe('replayed');
    await verify(c, { code: `1${code.code.slice(1, -1)}${(Number(code.code.at(-1)) + 1) % 10}` });
    const entries = await c.t.http.get(`/api/v1/compounds/${c.compoundId}/entries`).set(c.manager);
    expect(entries.body.data[0]).toEqual(expect.objectContaining({ reason: 'wrong_code', riderId: null, passId: null }));
  });

  it('says what is wrong with a code of the wrong format', async () => {
    expect((await verify(c, { code: '0282007601' })).body.data.message).toContain('不以 0 开头');
    expect((await verify(c, { code: '82007' })).body.data.message).toContain('太短');
  });

  it('keeps a spent QR token spent past the moment it stops verifying (exp + leeway), so a purge cannot reopen it', async () => {
    const passId = await approvedPass(c);
    const qr = (await c.t.http.get(`/api/v1/me/passes/${passId}/qr`).set(c.rider)).body.data;
    expect((await verify(c, { qr: qr.token })).body.data.reason).toBe('ok');
    c.t.clock.advance((qr.expiresInSeconds + 3) * 1000); // past exp, inside the 5 s leeway: the token still verifies
    expect((await verify(c, { qr: qr.token })).body.data.reason).toBe('replayed');
    if (c.t.storage.driver !== 'embedded') return;
    // What the purge keys on: the spent record must outlive exp + 5 s (it was deleted at exp before the fix).
    const db = new Database(path.join(c.t.config.storage.dataDir, 'nuanxin.sqlite'), { readonly: true });
    const kept = db.prepare("SELECT json_extract(doc, '$.expiresAt') AS at FROM token_uses").all() as Array<{ at: string }>;
    db.close();
    const exp = JSON.parse(Buffer.from(String(qr.token).split('.')[1] ?? '', 'base64url').toString()).exp as number;
    expect(kept.map((k) => new Date(k.at).getTime() / 1000).some((at) => at >= exp + 5)).toBe(true);
  });

  it('refuses to delete a compound with live passes', async () => {
    await approvedPass(c);
    const res = await c.t.http.delete(`/api/v1/compounds/${c.compoundId}`).set(c.t.admin);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual(expect.objectContaining({ activePasses: 1 }));
  });

  it('refuses half characters (lone surrogates) in text', async () => {
    const res = await c.t.http.post('/api/v1/access-requests').set(c.rider).set('Content-Type', 'application/json')
      .send(`{"compoundId":"${c.compoundId}","reason":"\\ud800送餐"}`);
    expect(res.status).toBe(422);
  });
});
