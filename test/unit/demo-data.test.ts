import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PREFIX, generateDemoData } from '../../src/modules/demo/demo-data';
import { loadDemoData } from '../../src/modules/demo/demo.service';
import { GAZETTEER } from '../../src/modules/places/gazetteer';
import { toMinutes } from '../../src/shared/hours';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { MERCHANT_CATEGORIES } from '../../src/modules/merchants/merchants.types';
import { type City } from '../../src/shared/domain';
import { type Storage } from '../../src/features';

const NOW = new Date('2025-06-01T04:00:00Z');
const BOXES: Record<City, { minLng: number; maxLng: number; minLat: number; maxLat: number }> = {
  chongqing: { minLng: 105.2, maxLng: 110.2, minLat: 28.1, maxLat: 32.3 },
  chengdu: { minLng: 102.9, maxLng: 104.9, minLat: 30.0, maxLat: 31.5 },
};
const KNOWN_DISTRICTS = new Set(GAZETTEER.filter((p) => p.kind !== 'landmark').map((p) => p.name));

const { stations, merchants } = generateDemoData({ stations: 300, merchants: 200, seed: 7, now: NOW });
const items = [...stations, ...merchants];

describe('generateDemoData', () => {
  it('gives the same output for the same seed and a different one for another seed', () => {
    expect(generateDemoData({ stations: 300, merchants: 200, seed: 7, now: NOW })).toEqual({ stations, merchants });
    expect(generateDemoData({ stations: 300, merchants: 200, seed: 8, now: NOW }).stations).not.toEqual(stations);
  });

  it('keeps merchants the same when only the station count changes', () => {
    expect(generateDemoData({ stations: 5, merchants: 200, seed: 7, now: NOW }).merchants).toEqual(merchants);
  });

  it('labels every item as demo data with a numbered external id', () => {
    for (const x of items) {
      expect(x.name.startsWith(DEMO_PREFIX)).toBe(true);
      expect(x.isDemo).toBe(true);
      expect(x.address).toContain('（演示数据）');
      expect(KNOWN_DISTRICTS.has(x.district)).toBe(true);
    }
    expect(stations[0]?.externalId).toBe('demo-station-0001');
    expect(merchants[199]?.externalId).toBe('demo-merchant-0200');
    expect(new Set(items.map((x) => x.externalId)).size).toBe(items.length);
  });

  it('puts every point inside its city and spreads them over both cities', () => {
    for (const x of items) {
      const box = BOXES[x.city];
      expect(x.location.lng).toBeGreaterThan(box.minLng);
      expect(x.location.lng).toBeLessThan(box.maxLng);
      expect(x.location.lat).toBeGreaterThan(box.minLat);
      expect(x.location.lat).toBeLessThan(box.maxLat);
    }
    expect(new Set(items.map((x) => x.city))).toEqual(new Set(['chongqing', 'chengdu']));
    expect(new Set(items.map((x) => x.district)).size).toBeGreaterThanOrEqual(20);
  });

  it('mixes 24-hour, daytime, past-midnight and temporarily closed stations', () => {
    const allDay = stations.filter((s) => s.hours.kind === '24h');
    const ranges = stations.flatMap((s) => (s.hours.kind === 'weekly' ? Object.values(s.hours.days).flat() : []));
    expect(allDay.length / stations.length).toBeGreaterThan(0.1);
    expect(allDay.length / stations.length).toBeLessThan(0.3);
    expect(ranges).toContainEqual({ open: '08:00', close: '22:00' });
    expect(ranges.some((r) => toMinutes(r.close) <= toMinutes(r.open))).toBe(true);
    const closed = stations.filter((s) => s.status === 'temporarily_closed');
    expect(closed.length).toBeGreaterThan(0);
    for (const s of closed) expect(s.statusNote).toMatch(/暂停开放/);
  });

  it('gives stations realistic seats and amenities', () => {
    for (const s of stations) {
      expect(s.capacity).toBeGreaterThanOrEqual(4);
      expect(s.capacity).toBeLessThanOrEqual(20);
      expect(s.amenities).toContain('seating');
      expect(s.operator).toEqual({ name: '演示运营方', phone: null });
    }
    const share = (a: string) => stations.filter((s) => s.amenities.includes(a as never)).length / stations.length;
    expect(share('drinking_water')).toBeGreaterThan(0.6);
    expect(share('phone_charging')).toBeGreaterThan(0.6);
  });

  it('weights merchants to food and convenience stores and mixes discount kinds', () => {
    const count = (c: string) => merchants.filter((m) => m.category === c).length;
    for (const c of MERCHANT_CATEGORIES) expect(count('餐饮')).toBeGreaterThanOrEqual(count(c));
    expect(count('餐饮') + count('便利店')).toBeGreaterThan(merchants.length / 2);
    expect(new Set(merchants.map((m) => m.discount.kind))).toEqual(new Set(['percent', 'amount', 'other']));
    for (const m of merchants) {
      if (m.discount.kind === 'percent') expect(m.discount.percentOff).toBeGreaterThan(0);
      if (m.discount.kind === 'amount') expect(m.discount.amountOff).toBeGreaterThan(0);
      expect(m.discount.conditions.length).toBeGreaterThan(0);
      expect(m).toMatchObject({ status: 'active', phone: null, hours: { kind: 'weekly' } });
    }
    expect(merchants.map((m) => m.discount.text)).toContain('骑手八八折');
  });

  it('makes some discounts open-ended, some future-dated and a few already expired', () => {
    const expired = merchants.filter((m) => m.validTo && m.validTo < NOW);
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.length).toBeLessThan(merchants.length * 0.25);
    expect(merchants.some((m) => m.validTo === null)).toBe(true);
    expect(merchants.some((m) => m.validTo && m.validTo > NOW)).toBe(true);
    for (const m of merchants) {
      expect(m.validFrom && m.validFrom < NOW).toBe(true);
      if (m.validTo) expect((m.validFrom as Date) <= m.validTo).toBe(true);
    }
  });
});

describe('loadDemoData', () => {
  let dataDir: string;
  let storage: Storage;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-demo-'));
    storage = createEmbeddedStorage({ dataDir, sync: 'normal' });
  });

  afterEach(async () => {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the demo set into an empty store once and loads nothing the second time', async () => {
    expect(await loadDemoData(storage, NOW)).toEqual({ loaded: true, stations: 300, merchants: 200, compounds: 24, bodies: 23 });
    expect(await storage.stations.count()).toBe(300);
    expect(await storage.merchants.count()).toBe(200);

    expect(await loadDemoData(storage, NOW)).toEqual({ loaded: false, stations: 0, merchants: 0, compounds: 0, bodies: 0 });
    expect(await storage.bodies.count()).toBe(23);
    expect(await storage.compounds.count()).toBe(24);
    expect(await storage.stations.count()).toBe(300);
    expect(await storage.merchants.count()).toBe(200);
  });

  it('leaves a store alone when it already holds real stations', async () => {
    const [real] = generateDemoData({ stations: 1, merchants: 0, now: NOW }).stations;
    await storage.stations.create({ ...real!, name: '真实驿站', externalId: null, isDemo: false }, NOW);
    expect(await loadDemoData(storage, NOW, { stations: 10, merchants: 10 })).toEqual({ loaded: false, stations: 0, merchants: 0, compounds: 0, bodies: 0 });
    expect(await storage.merchants.count()).toBe(0);
    expect(await storage.compounds.count()).toBe(0);
    expect(await storage.bodies.count()).toBe(0);
  });

  it('adds demo compounds to a demo store from before compounds existed', async () => {
    const { stations } = generateDemoData({ stations: 5, merchants: 0, now: NOW });
    await storage.stations.upsertMany(stations, NOW);
    expect(await loadDemoData(storage, NOW, { stations: 10, merchants: 10, compounds: 2 })).toEqual({ loaded: true, stations: 0, merchants: 0, compounds: 4, bodies: 23 });
    const [first] = await storage.compounds.list({ city: 'chengdu', limit: 1 });
    expect(first).toEqual(expect.objectContaining({ isDemo: true, name: expect.stringMatching(/^【演示】/) }));
    expect(first?.gates.length).toBeGreaterThan(0);
  });
});
