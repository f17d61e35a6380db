import { DEMO_REPORTER, refreshDemoOccupancy, startDemoOccupancy } from '../../src/modules/demo/demo-occupancy';
import { loadDemoData } from '../../src/modules/demo/demo.service';
import { createLogger } from '../../src/shared/logger';
import type { Station } from '../../src/modules/stations/stations.types';
import { buildTestApp, type TestApp } from '../helpers/app';
import { stationInput } from '../helpers/fixtures';

let a: TestApp;
let real: Station;
let centre: { lng: number; lat: number };

beforeAll(async () => {
  a = await buildTestApp();
  await loadDemoData(a.storage, a.clock.now(), { stations: 300, merchants: 0 });
  const [first] = await a.storage.stations.list({ city: 'chongqing', limit: 1 });
  centre = first!.location;
  real = await a.storage.stations.create(stationInput({ name: '真实驿站', location: centre, hours: { kind: '24h' } }), a.clock.now());
});

afterAll(() => a.close());

const nearby = (hasSeats: boolean) => a.http.get('/api/v1/stations/nearby')
  .query({ lng: centre.lng, lat: centre.lat, coordSys: 'wgs84', radius: 20000, limit: 50, hasSeats });
const freshness = () => a.config.occupancyFreshnessMs;

describe('demo seat counts', () => {
  it('lets hasSeats=true find demo stations after one refresh, while a real station stays unknown', async () => {
    expect((await nearby(true)).body.data).toEqual([]);

    const report = await refreshDemoOccupancy({ storage: a.storage, now: a.clock.now(), freshnessMs: freshness() });
    expect(report).toEqual({ updated: 300, skipped: 0 });

    const withSeats = await nearby(true);
    expect(withSeats.status).toBe(200);
    expect(withSeats.body.data.length).toBeGreaterThan(0);
    for (const s of withSeats.body.data) {
      expect(s).toMatchObject({ isDemo: true, available: expect.any(Number), occupancyReportedAt: a.clock.now().toISOString() });
      expect(s.available).toBeGreaterThan(0);
      expect(s.available).toBeLessThanOrEqual(s.capacity);
    }
    expect(withSeats.body.data.map((s: { id: string }) => s.id)).not.toContain(real.id);

    const all = await nearby(false);
    expect(all.body.data.find((s: { id: string }) => s.id === real.id)).toMatchObject({ isDemo: false, available: null, occupancyReportedAt: null });
    expect((await a.storage.stations.get(real.id))?.occupancy).toEqual({ available: null, reportedAt: null, reportedBy: null });
    const demo = all.body.data.find((s: { isDemo: boolean }) => s.isDemo);
    expect((await a.storage.stations.get(demo.id))?.occupancy.reportedBy).toBe(DEMO_REPORTER);
  });

  it("keeps an operator's fresh report on a demo station instead of overwriting it", async () => {
    const op = await a.login('station_operator');
    const [held] = (await a.http.get('/api/v1/me').set(op.headers)).body.data.holdings.stationIds as string[];
    await a.http.put(`/api/v1/stations/${held}/occupancy`).set(op.headers).send({ available: 1 }).expect(200);

    a.clock.advance(freshness() / 2);
    expect(await refreshDemoOccupancy({ storage: a.storage, now: a.clock.now(), freshnessMs: freshness() }))
      .toEqual({ updated: 299, skipped: 1 });
    expect((await a.storage.stations.get(held!))?.occupancy).toMatchObject({ available: 1, reportedBy: expect.not.stringMatching(DEMO_REPORTER) });
  });

  it('refreshes in the background once started, and stops before storage closes', async () => {
    a.clock.advance(freshness() + 60_000);
    expect((await nearby(true)).body.data).toEqual([]);

    const stop = startDemoOccupancy({ storage: a.storage, clock: a.clock, freshnessMs: freshness(), log: createLogger('silent') });
    const deadline = Date.now() + 5000;
    while ((await nearby(true)).body.data.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect((await nearby(true)).body.data.length).toBeGreaterThan(0);
  });
});
