import fs from 'node:fs';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import type { Storage } from '../../src/features';
import { generateDemoData } from '../../src/modules/demo/demo-data';
import { listEntries } from '../../src/modules/nearby/list-entries';
import { stationSummary, stationSummaryKey } from '../../src/modules/stations/stations.view';
import { merchantSummary, merchantSummaryKey } from '../../src/modules/merchants/merchants.view';
import type { Station } from '../../src/modules/stations/stations.types';
import { COORD_SYSTEMS, CoordSys, convert, fromWgs84, isSealed, sealLocation } from '../../src/shared/geo';
import type { Located } from '../../src/shared/domain';
import { localTime } from '../../src/shared/time';
import type { ViewContext } from '../../src/shared/view';
import { tempDir } from '../helpers/storage';

const FRESH_MS = 30 * 60_000;
const at = (iso: string, coordSys: CoordSys = 'gcj02'): ViewContext => {
  const now = new Date(iso);
  return { coordSys, now, local: localTime(now), freshnessMs: FRESH_MS };
};
const NOON = '2026-11-25T04:00:00.000Z'; // Wednesday 12:00 in Chongqing

describe('sealLocation', () => {
  it('keeps the converted forms a plain location would give, out of sight, and freezes the location', () => {
    const p = { lng: 106.5775, lat: 29.5594 };
    const sealed = { ...p };
    sealLocation(sealed);
    expect(isSealed(sealed) && !isSealed({ ...sealed })).toBe(true);
    for (const sys of COORD_SYSTEMS) expect(fromWgs84(sealed, sys)).toEqual(fromWgs84(p, sys));
    expect(fromWgs84(sealed, 'gcj02')).toEqual(convert(p, 'wgs84', 'gcj02'));
    expect(sealed).toEqual(p);
    expect(JSON.stringify(sealed)).toBe(JSON.stringify(p));
    expect(Object.isFrozen(sealed)).toBe(true);
  });

  it('converts a location that is not sealed afresh each time, so changing it never gives a stale answer', () => {
    const p = { lng: 106.5775, lat: 29.5594 };
    const before = fromWgs84(p, 'gcj02');
    p.lng = 104.0665;
    expect(fromWgs84(p, 'gcj02')).not.toEqual(before);
    expect(fromWgs84(p, 'gcj02')).toEqual(convert(p, 'wgs84', 'gcj02'));
  });
});

describe('listEntries on the embedded mirror', () => {
  let dir: string;
  let storage: Storage;
  let stations: Station[];
  beforeAll(async () => {
    dir = tempDir();
    storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
    const now = new Date(NOON);
    const demo = generateDemoData({ stations: 60, merchants: 40, seed: 11, now });
    await storage.stations.upsertMany(demo.stations, now);
    await storage.merchants.upsertMany(demo.merchants, now);
    const all = await storage.stations.list({ limit: 100 });
    // Some fresh, some stale occupancy reports, so both forms of `available` are rendered.
    for (const [i, s] of all.entries()) {
      if (i % 3) await storage.stations.setOccupancy(s.id, { available: i % 7, reportedAt: new Date(now.getTime() - (i % 2 ? 5 : 40) * 60_000), reportedBy: null }, now);
    }
    stations = await Promise.all(all.map(async (s) => (await storage.stations.get(s.id)) as Station));
  });
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const located = <D>(d: D, distanceM: number): Located<D> => Object.assign({}, d, { distanceM });
  const counting = <D, V>(render: (d: D, v: V) => unknown) => {
    const calls = { n: 0 };
    return { calls, render: (d: D, v: V) => ((calls.n += 1), render(d, v)) };
  };

  // Every coordinate system, across the day (opening hours), and on two weekdays.
  const times = ['2026-11-25T04:00:00.000Z', '2026-11-24T23:30:00.000Z', '2026-11-25T15:59:00.000Z', '2026-11-28T01:00:00.000Z'];

  it('renders each station exactly as its summary serialises, from the cache as when fresh', () => {
    const entry = listEntries(stationSummary, stationSummaryKey);
    for (const iso of times) {
      for (const sys of COORD_SYSTEMS) {
        const v = at(iso, sys);
        for (const [i, s] of stations.entries()) {
          const d = located(s, 12.4 * i + 0.5);
          const expected = JSON.stringify(stationSummary(d, v));
          expect(entry(d, v)).toBe(expected);
          expect(entry(d, v)).toBe(expected); // the second read comes from the cache
        }
      }
    }
  });

  it('renders each merchant exactly as its summary serialises', async () => {
    const entry = listEntries(merchantSummary, merchantSummaryKey);
    const merchants = await storage.merchants.list({ limit: 100 });
    for (const iso of times) {
      const v = at(iso);
      for (const m of merchants) {
        const d = located((await storage.merchants.get(m.id))!, 300.7);
        expect(entry(d, v)).toBe(JSON.stringify(merchantSummary(d, v)));
        expect(entry(d, v)).toBe(JSON.stringify(merchantSummary(d, v)));
      }
    }
  });

  it('renders a stored version once per minute and key, and only the distance differs between reads', () => {
    const { calls, render } = counting(stationSummary);
    const entry = listEntries(render, stationSummaryKey);
    const s = stations[0] as Station;
    const v = at(NOON);
    const first = entry(located(s, 10), v);
    const second = entry(located(s, 250), v);
    expect(calls.n).toBe(1);
    expect(JSON.parse(second)).toEqual({ ...JSON.parse(first), distanceM: 250 });
    // Clients in different coordinate systems, alternating, each keep their own entry.
    for (let i = 0; i < 3; i++) for (const sys of COORD_SYSTEMS) entry(located(s, 10), at(NOON, sys));
    expect(calls.n).toBe(3);
    // A new minute starts afresh (open now and today's hours may have changed).
    entry(located(s, 10), at('2026-11-25T04:01:00.000Z'));
    entry(located(s, 10), at('2026-11-25T04:01:30.000Z'));
    expect(calls.n).toBe(4);
  });

  it('writes a distance that is not a number as null, keeping the answer valid JSON', () => {
    const entry = listEntries(stationSummary, stationSummaryKey);
    expect(JSON.parse(entry(located(stations[0] as Station, Number.NaN), at(NOON))).distanceM).toBeNull();
  });

  it('renders again after a write: the next read is the new version', async () => {
    const entry = listEntries(stationSummary, stationSummaryKey);
    const v = at(NOON);
    const s = stations[1] as Station;
    const before = JSON.parse(entry(located(s, 5), v));
    await storage.stations.setOccupancy(s.id, { available: 3, reportedAt: new Date(NOON), reportedBy: null }, new Date(NOON));
    await storage.stations.update(s.id, { name: `${s.name}（新）` }, new Date(NOON)); // same millisecond as the last write
    const after = JSON.parse(entry(located((await storage.stations.get(s.id))!, 5), v));
    expect(after).toMatchObject({ available: 3, name: `${s.name}（新）` });
    expect(after).not.toEqual(before);
  });

  it('shows occupancy as unknown from the moment its report stops being fresh, inside one minute', async () => {
    const entry = listEntries(stationSummary, stationSummaryKey);
    const s = stations[2] as Station;
    const reportedAt = new Date('2026-11-25T03:30:10.000Z');
    await storage.stations.setOccupancy(s.id, { available: 4, reportedAt, reportedBy: null }, reportedAt);
    const stored = (await storage.stations.get(s.id))!;
    const justFresh = at(new Date(reportedAt.getTime() + FRESH_MS).toISOString());
    const justStale = at(new Date(reportedAt.getTime() + FRESH_MS + 1).toISOString());
    expect(justFresh.local).toEqual(justStale.local);
    expect(JSON.parse(entry(located(stored, 1), justFresh)).available).toBe(4);
    expect(JSON.parse(entry(located(stored, 1), justStale)).available).toBeNull();
  });

  it('renders documents that are not the mirror\'s (other drivers make new ones per read) every time', () => {
    const { calls, render } = counting(stationSummary);
    const entry = listEntries(render, stationSummaryKey);
    const plain = JSON.parse(JSON.stringify(stations[3])) as Station;
    const doc = { ...plain, createdAt: new Date(plain.createdAt), updatedAt: new Date(plain.updatedAt), occupancy: { ...plain.occupancy, reportedAt: null } };
    expect(isSealed(doc.location)).toBe(false);
    const v = at(NOON);
    expect(entry(located(doc, 7), v)).toBe(JSON.stringify(stationSummary(located(doc, 7), v)));
    doc.name = '改过的名字';
    expect(JSON.parse(entry(located(doc, 7), v)).name).toBe('改过的名字');
    expect(calls.n).toBe(2);
  });
});
