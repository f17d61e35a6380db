/**
 * 随手拍 over HTTP on the real app: report, the nearby offer and support, the lifecycle with its notices to the
 * reporter and followers, duplicates moving followers, feedback reopening, points, the staff queue and statistics.
 */
import { buildTestApp, type TestApp } from '../helpers/app';

const JIEFANGBEI = { lng: 106.5775, lat: 29.5594, coordSys: 'wgs84' };
// About 25 m north-east of it.
const NEAR = { lng: 106.57768, lat: 29.55957, coordSys: 'wgs84' };

interface Ctx {
  t: TestApp;
  a: { Authorization: string };
  b: { Authorization: string };
  aId: string;
  bId: string;
}

async function setUp(overrides: Record<string, string> = {}): Promise<Ctx> {
  const t = await buildTestApp(overrides);
  const a = await t.login('rider');
  const bRes = await t.http.post('/api/v1/auth/dev').send({ role: 'rider', city: 'chongqing', key: '2' });
  expect(bRes.status).toBe(200);
  expect(bRes.body.user.id).not.toBe(a.user.id);
  return { t, a: a.headers, b: { Authorization: `Bearer ${bRes.body.accessToken as string}` }, aId: a.user.id, bId: bRes.body.user.id };
}

const report = (c: Ctx, who: { Authorization: string }, body: Record<string, unknown> = {}) =>
  c.t.http.post('/api/v1/hazards').set(who).send({ category: 'manhole', description: '井盖破裂，电动车差点掉进去', address: '民族路 188 号', ...JIEFANGBEI, ...body });

async function drain(c: Ctx): Promise<Array<{ type: string; recipient: { id: string }; payload: Record<string, unknown> }>> {
  const out = [];
  for (;;) {
    const batch = await c.t.storage.outbox.claim('bot', 100, 60_000, c.t.clock.now());
    if (!batch.length) return out;
    for (const e of batch) await c.t.storage.outbox.ack('bot', e.id, e.claimToken, c.t.clock.now());
    out.push(...batch);
  }
}

describe('hazard reports', () => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setUp();
  });
  afterEach(() => c.t.close());

  it('takes a report, offers it to a second reporter 25 m away, who supports it instead', async () => {
    const first = await report(c, c.a);
    expect(first.status).toBe(201);
    expect(first.body.data).toEqual(expect.objectContaining({ status: 'submitted', category: 'manhole', class: '大事', city: 'chongqing', district: '渝中区', supportCount: 0 }));
    expect(first.body.data.route.why).toEqual(expect.any(String));
    expect(first.body.data).not.toHaveProperty('reporterId');
    const offered = await c.t.http.get('/api/v1/hazards/nearby').query({ category: 'manhole', ...NEAR });
    expect(offered.status).toBe(200);
    expect(offered.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.data.id]);
    expect(offered.body.data[0].distanceM).toBeLessThanOrEqual(50);
    const other = await c.t.http.get('/api/v1/hazards/nearby').query({ category: 'pothole', ...NEAR });
    expect(other.body.data).toEqual([]);
    const supported = await c.t.http.post(`/api/v1/hazards/${first.body.data.id as string}/support`).set(c.b);
    expect(supported.status).toBe(200);
    expect(supported.body.data.supportCount).toBe(1);
    const again = await c.t.http.post(`/api/v1/hazards/${first.body.data.id as string}/support`).set(c.b);
    expect(again.body.data.supportCount).toBe(1); // counted once
    const mine = await c.t.http.get('/api/v1/me/hazards').set(c.b);
    expect(mine.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.data.id]);
  });

  it('tells the reporter and followers of every status change, and awards points', async () => {
    const first = (await report(c, c.a)).body.data;
    await c.t.http.post(`/api/v1/hazards/${first.id as string}/support`).set(c.b);
    await drain(c);
    const admin = c.t.admin;
    const triaged = await c.t.http.post(`/api/v1/hazards/${first.id as string}/status`).set(admin).send({ status: 'triaged', note: '已派渝中区城管' });
    expect(triaged.status).toBe(200);
    const events = await drain(c);
    expect(events.filter((e) => e.type === 'hazard.updated').map((e) => e.recipient.id).sort()).toEqual([c.aId, c.bId].sort());
    expect(events[0]?.payload).toEqual(expect.objectContaining({ reportId: first.id, status: 'triaged', note: '已派渝中区城管' }));
    await c.t.http.post(`/api/v1/hazards/${first.id as string}/status`).set(admin).send({ status: 'in_progress' });
    const resolved = await c.t.http.post(`/api/v1/hazards/${first.id as string}/status`).set(admin).send({ status: 'resolved', note: '已更换井盖' });
    expect(resolved.body.data.status).toBe('resolved');
    const bad = await c.t.http.post(`/api/v1/hazards/${first.id as string}/status`).set(admin).send({ status: 'triaged' });
    expect(bad.status).toBe(409);
    expect((await c.t.http.post(`/api/v1/hazards/${first.id as string}/feedback`).set(c.b).send({ fixed: false })).status).toBe(403);
    const reopened = await c.t.http.post(`/api/v1/hazards/${first.id as string}/feedback`).set(c.a).send({ fixed: false, note: '还是松的' });
    expect(reopened.body.data.status).toBe('in_progress');
    expect(reopened.body.data.updates.at(-1)).toEqual(expect.objectContaining({ by: '上报人', note: '还是松的' }));
    const pa = await c.t.http.get('/api/v1/me/points').set(c.a);
    expect(pa.body.data.total).toBe(10);
    const pb = await c.t.http.get('/api/v1/me/points').set(c.b);
    expect(pb.body.data.total).toBe(3);
  });

  it('requires a reason to reject and shows who rejected it', async () => {
    const r = (await report(c, c.a)).body.data;
    const noReason = await c.t.http.post(`/api/v1/hazards/${r.id as string}/status`).set(c.t.admin).send({ status: 'rejected' });
    expect(noReason.status).toBe(422);
    const rejected = await c.t.http.post(`/api/v1/hazards/${r.id as string}/status`).set(c.t.admin).send({ status: 'rejected', note: '不属于公共区域' });
    expect(rejected.status).toBe(200);
    const seen = await c.t.http.get(`/api/v1/hazards/${r.id as string}`);
    expect(seen.body.data).toEqual(expect.objectContaining({ status: 'rejected', rejectReason: '不属于公共区域', rejectedBy: '市级管理员' }));
    expect((await c.t.http.get('/api/v1/me/points').set(c.a)).body.data.total).toBe(0);
  });

  it('marks a duplicate: its reporter follows the original', async () => {
    const original = (await report(c, c.a)).body.data;
    const dup = (await report(c, c.b, { ...NEAR, description: '这里井盖坏了' })).body.data;
    const marked = await c.t.http.post(`/api/v1/hazards/${dup.id as string}/duplicate`).set(c.t.admin).send({ originalId: original.id });
    expect(marked.status).toBe(200);
    expect(marked.body.data.report).toEqual(expect.objectContaining({ status: 'duplicate', duplicateOf: original.id }));
    expect(marked.body.data.original.supportCount).toBe(1);
    await drain(c);
    await c.t.http.post(`/api/v1/hazards/${original.id as string}/status`).set(c.t.admin).send({ status: 'triaged' });
    const told = (await drain(c)).map((e) => e.recipient.id).sort();
    expect(told).toEqual([c.aId, c.bId].sort());
  });

  it('refuses bad input with the field named', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ category: 'nope' }, 422, 'category'],
      [{ lng: undefined }, 422, 'lng'],
      [{ lng: 116.4, lat: 39.9 }, 422, 'location'], // Beijing
      [{ description: 'x'.repeat(1001) }, 422, 'description'],
      [{ description: '   ' }, 422, 'description'],
    ];
    for (const [body, status, field] of cases) {
      const res = await report(c, c.a, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      expect(JSON.stringify(res.body.error.details)).toContain(field);
    }
    const html = await report(c, c.a, { description: '<script>alert(1)</script>井盖' });
    expect(html.status).toBe(201);
    expect(html.body.data.description).toBe('<script>alert(1)</script>井盖'); // stored and returned as plain text, never rendered here
    const text = await c.t.http.post('/api/v1/hazards').set(c.a).set('Content-Type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
    expect((await c.t.http.post('/api/v1/hazards').send({ category: 'manhole' })).status).toBe(401);
    expect((await c.t.http.post('/api/v1/hazards').set(c.t.admin).send({ category: 'manhole' })).status).toBe(403);
  });

  it('gives staff a queue and statistics, as JSON and CSV without formulas', async () => {
    await report(c, c.a);
    await report(c, c.a, { category: 'flooding', description: '=HYPERLINK("http://x")下穿道积水', ...NEAR });
    const queue = await c.t.http.get('/api/v1/hazards').query({ status: 'submitted' }).set(c.t.admin);
    expect(queue.status).toBe(200);
    expect(queue.body.data).toHaveLength(2);
    expect(queue.body.data[0]).toHaveProperty('reporterId', c.aId);
    expect((await c.t.http.get('/api/v1/hazards').set(c.a)).status).toBe(403);
    c.t.clock.advance(3 * 3_600_000); // past flooding's 1 h in 'submitted'
    const overdue = await c.t.http.get('/api/v1/hazards').query({ overdue: 'true' }).set((await c.t.login('city_admin')).headers);
    expect(overdue.body.data.map((r: { category: string }) => r.category)).toEqual(['manhole', 'flooding']);
    const stats = await c.t.http.get('/api/v1/hazards/stats').set((await c.t.login('city_admin')).headers);
    expect(stats.body.data).toEqual(expect.objectContaining({ total: 2, byCategory: { manhole: 1, flooding: 1 }, byClass: { 大事: 2 } }));
    const csv = await c.t.http.get('/api/v1/hazards/stats').query({ format: 'csv' }).set((await c.t.login('city_admin')).headers);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('flooding');
  });

  it('limits how fast one rider reports', async () => {
    const limited = await setUp({ HAZARD_REPORTS_PER_MINUTE: '2' });
    try {
      expect((await report(limited, limited.a)).status).toBe(201);
      expect((await report(limited, limited.a)).status).toBe(201);
      const third = await report(limited, limited.a);
      expect(third.status).toBe(429);
      expect((await report(limited, limited.b)).status).toBe(201);
    } finally {
      await limited.t.close();
    }
  });
});

describe('hazard reports: defects found by probing the running service', () => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setUp();
  });
  afterEach(() => c.t.close());

  it('checks a named district against the city and stores its full name', async () => {
    expect((await report(c, c.a, { district: '火星区' })).status).toBe(422);
    expect((await report(c, c.a, { district: '锦江区' })).status).toBe(422); // Chengdu's
    const short = await report(c, c.a, { district: '渝中' });
    expect(short.body.data.district).toBe('渝中区');
  });

  it('takes a report\'s points back when it ends rejected after being taken up', async () => {
    const r = (await report(c, c.a)).body.data;
    await c.t.http.post(`/api/v1/hazards/${r.id as string}/status`).set(c.t.admin).send({ status: 'triaged' });
    expect((await c.t.http.get('/api/v1/me/points').set(c.a)).body.data.total).toBe(10);
    await c.t.http.post(`/api/v1/hazards/${r.id as string}/status`).set(c.t.admin).send({ status: 'rejected', note: '照片是网图' });
    const points = (await c.t.http.get('/api/v1/me/points').set(c.a)).body.data;
    expect(points.total).toBe(0);
    expect(points.entries.map((e: { reason: string }) => e.reason)).toEqual(['report', 'reversal']);
  });

  it('asks the reporter again after each resolution, and limits reopening', async () => {
    const r = (await report(c, c.a)).body.data;
    const status = (s: string) => c.t.http.post(`/api/v1/hazards/${r.id as string}/status`).set(c.t.admin).send({ status: s });
    await status('triaged');
    await status('resolved');
    await c.t.http.post(`/api/v1/hazards/${r.id as string}/feedback`).set(c.a).send({ fixed: false });
    const again = await status('resolved');
    expect(again.body.data.fixed).toBeNull();
    const fixed = await c.t.http.post(`/api/v1/hazards/${r.id as string}/feedback`).set(c.a).send({ fixed: true });
    expect(fixed.body.data.fixed).toBe(true);
    for (let i = 0; i < 2; i++) {
      await status('in_progress');
      await status('resolved');
    }
    const reopen = async () => c.t.http.post(`/api/v1/hazards/${r.id as string}/feedback`).set(c.a).send({ fixed: false });
    expect((await reopen()).status).toBe(200);
    await status('resolved');
    expect((await reopen()).status).toBe(200);
    await status('resolved');
    const limited = await reopen();
    expect(limited.status).toBe(409);
  });

  it('merges a duplicate only into a report of the same category that the caller may work on', async () => {
    const a = (await report(c, c.a)).body.data;
    const b = (await report(c, c.b, { category: 'pothole', description: '坑' })).body.data;
    const cross = await c.t.http.post(`/api/v1/hazards/${a.id as string}/duplicate`).set(c.t.admin).send({ originalId: b.id });
    expect(cross.status).toBe(422);
    const chengdu = await c.t.http.post(`/api/v1/hazards/${a.id as string}/duplicate`).set(c.t.adminCd).send({ originalId: b.id });
    expect(chengdu.status).toBe(403);
  });

  it('refuses multipart coordinates that are not decimal numbers', async () => {
    const res = await c.t.http.post('/api/v1/hazards').set(c.a)
      .field('category', 'manhole').field('description', '井盖').field('lng', '0x6A').field('lat', '29.5594').field('coordSys', 'wgs84');
    expect(res.status).toBe(422);
  });
});
