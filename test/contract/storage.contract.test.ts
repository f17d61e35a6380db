import { ConflictError } from '../../src/shared/errors';
import { haversineM } from '../../src/shared/geo';
import type { Storage } from '../../src/features';
import { merchantInput, rng, stationInput } from '../helpers/fixtures';
import { drivers } from '../helpers/storage';

const T0 = new Date('2026-11-22T02:00:00Z');
const T1 = new Date('2026-11-22T03:00:00Z');
const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 };
const offset = (dx: number, dy: number) => ({ lng: JIEFANGBEI.lng + dx / 96_900, lat: JIEFANGBEI.lat + dy / 111_200 });

describe.each(drivers())('storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  it('answers ping while open', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  describe('stations', () => {
    it('creates a station with an id, timestamps and no occupancy yet, and reads it back', async () => {
      const s = await storage.stations.create(stationInput({ name: '解放碑驿站' }), T0);
      expect(s.id).toMatch(/^[0-9a-f]{24}$/);
      expect(s).toMatchObject({ name: '解放碑驿站', createdAt: T0, updatedAt: T0 });
      expect(s.occupancy).toEqual({ available: null, reportedAt: null, reportedBy: null });
      const got = await storage.stations.get(s.id);
      expect(got).toEqual(s);
      expect(got).not.toHaveProperty('_id');
    });

    it('returns null for unknown and malformed ids', async () => {
      await expect(storage.stations.get('0123456789abcdef01234567')).resolves.toBeNull();
      await expect(storage.stations.get('not-an-id')).resolves.toBeNull();
      await expect(storage.stations.update('0123456789abcdef01234567', { name: 'x' }, T1)).resolves.toBeNull();
      await expect(storage.stations.delete('not-an-id')).resolves.toBe(false);
    });

    it('updates only the given fields, keeps createdAt and moves updatedAt', async () => {
      const s = await storage.stations.create(stationInput({ capacity: 5 }), T0);
      const u = await storage.stations.update(s.id, { capacity: 8, location: offset(100, 0), name: undefined }, T1);
      expect(u).toMatchObject({ id: s.id, name: s.name, capacity: 8, createdAt: T0, updatedAt: T1 });
      expect(await storage.stations.get(s.id)).toEqual(u);
      const found = await storage.stations.nearby({ center: offset(100, 0), radiusM: 10, limit: 5 });
      expect(found.map((f) => f.id)).toEqual([s.id]);
    });

    it('deletes once and forgets the station everywhere', async () => {
      const s = await storage.stations.create(stationInput(), T0);
      await expect(storage.stations.delete(s.id)).resolves.toBe(true);
      await expect(storage.stations.delete(s.id)).resolves.toBe(false);
      await expect(storage.stations.get(s.id)).resolves.toBeNull();
      expect(await storage.stations.nearby({ center: JIEFANGBEI, radiusM: 1000, limit: 5 })).toEqual([]);
      expect(await storage.stations.count()).toBe(0);
    });

    it('lists in id order with keyset paging and a city filter, and counts', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await storage.stations.create(stationInput({ city: i % 2 ? 'chengdu' : 'chongqing' }), T0)).id);
      const first = await storage.stations.list({ limit: 3 });
      const rest = await storage.stations.list({ limit: 3, after: first[2]?.id });
      expect([...first, ...rest].map((s) => s.id)).toEqual([...ids].sort());
      expect((await storage.stations.list({ limit: 10, city: 'chengdu' })).map((s) => s.city)).toEqual(['chengdu', 'chengdu']);
      expect(await storage.stations.count()).toBe(5);
      expect(await storage.stations.count({ city: 'chongqing' })).toBe(3);
    });

    it('finds a station by its external id in any city, and nothing for an unknown one', async () => {
      const s = await storage.stations.create(stationInput({ externalId: 'cd-9', city: 'chengdu' }), T0);
      expect(await storage.stations.getByExternalId('cd-9')).toEqual(s);
      expect(await storage.stations.getByExternalId('nope')).toBeNull();
      const m = await storage.merchants.create(merchantInput({ externalId: 'm-9' }), T0);
      expect(await storage.merchants.getByExternalId('m-9')).toEqual(m);
    });

    it('refuses a second station with the same externalId as a conflict', async () => {
      await storage.stations.create(stationInput({ externalId: 'cq-001' }), T0);
      await storage.stations.create(stationInput({ externalId: null }), T0);
      await storage.stations.create(stationInput({ externalId: null }), T0);
      await expect(storage.stations.create(stationInput({ externalId: 'cq-001' }), T0)).rejects.toBeInstanceOf(ConflictError);
      expect(await storage.stations.count()).toBe(3);
    });

    it('finds nearest first within the radius and up to the limit', async () => {
      const far = await storage.stations.create(stationInput({ location: offset(900, 0) }), T0);
      const near = await storage.stations.create(stationInput({ location: offset(0, 100) }), T0);
      const mid = await storage.stations.create(stationInput({ location: offset(-400, 0) }), T0);
      await storage.stations.create(stationInput({ location: offset(3000, 0) }), T0);
      const found = await storage.stations.nearby({ center: JIEFANGBEI, radiusM: 1000, limit: 10 });
      expect(found.map((f) => f.id)).toEqual([near.id, mid.id, far.id]);
      expect(found[0]?.distanceM).toBeCloseTo(haversineM(JIEFANGBEI, near.location), 3);
      expect((await storage.stations.nearby({ center: JIEFANGBEI, radiusM: 1000, limit: 2 })).map((f) => f.id)).toEqual([near.id, mid.id]);
    });

    it('filters nearby by all listed amenities, by city, and never returns closed stations', async () => {
      const both = await storage.stations.create(stationInput({ amenities: ['toilet', 'wifi', 'seating'] }), T0);
      await storage.stations.create(stationInput({ amenities: ['toilet'] }), T0);
      await storage.stations.create(stationInput({ amenities: ['toilet', 'wifi'], status: 'closed' }), T0);
      const tmp = await storage.stations.create(stationInput({ status: 'temporarily_closed', city: 'chengdu' }), T0);
      const q = { center: JIEFANGBEI, radiusM: 500, limit: 10 };
      expect((await storage.stations.nearby({ ...q, amenities: ['toilet', 'wifi'] })).map((f) => f.id)).toEqual([both.id]);
      expect((await storage.stations.nearby({ ...q, city: 'chengdu' })).map((f) => f.id)).toEqual([tmp.id]);
      expect(await storage.stations.nearby(q)).toHaveLength(3);
    });

    it('records occupancy and filters on free seats reported since a time', async () => {
      const a = await storage.stations.create(stationInput(), T0);
      const b = await storage.stations.create(stationInput(), T0);
      const c = await storage.stations.create(stationInput(), T0);
      const set = await storage.stations.setOccupancy(a.id, { available: 3, reportedAt: T1, reportedBy: 'op-1' }, T1);
      expect(set?.occupancy).toEqual({ available: 3, reportedAt: T1, reportedBy: 'op-1' });
      expect(set?.updatedAt).toEqual(T1);
      await storage.stations.setOccupancy(b.id, { available: 0, reportedAt: T1, reportedBy: 'op-1' }, T1);
      await storage.stations.setOccupancy(c.id, { available: 5, reportedAt: T0, reportedBy: 'op-1' }, T0);
      const q = { center: JIEFANGBEI, radiusM: 500, limit: 10 };
      expect((await storage.stations.nearby({ ...q, freeSeatsSince: new Date(T1.getTime() - 60_000) })).map((f) => f.id)).toEqual([a.id]);
      await expect(storage.stations.setOccupancy('0123456789abcdef01234567', { available: 1, reportedAt: T1, reportedBy: null }, T1)).resolves.toBeNull();
    });

    it('upserts by externalId all at once: inserted, updated and unchanged, ids in input order', async () => {
      const first = await storage.stations.upsertMany([stationInput({ externalId: 'e1', name: 'A' }), stationInput({ externalId: 'e2', name: 'B' })], T0);
      expect(first).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
      const { id: _id, createdAt: _c, updatedAt: _u, occupancy: _o, ...storedB } = (await storage.stations.get(first.ids[1] as string))!;
      const again = await storage.stations.upsertMany([storedB, stationInput({ externalId: 'e1', name: 'A2' }), stationInput({ externalId: 'e3' })], T1);
      expect(again).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
      expect(again.ids[0]).toBe(first.ids[1]);
      expect(again.ids[1]).toBe(first.ids[0]);
      expect((await storage.stations.get(first.ids[0] as string))?.name).toBe('A2');
      expect(await storage.stations.count()).toBe(3);
    });

    it('matches a brute-force haversine scan on random stations (same ids, same order, same distances)', async () => {
      const rand = rng(42);
      const items = Array.from({ length: 400 }, (_, i) =>
        stationInput({ externalId: `r${i}`, location: offset((rand() - 0.5) * 8000, (rand() - 0.5) * 8000), amenities: rand() < 0.5 ? ['wifi'] : ['toilet'] }));
      await storage.stations.upsertMany(items, T0);
      const all = await storage.stations.list({ limit: 1000 });
      for (let k = 0; k < 10; k++) {
        const center = offset((rand() - 0.5) * 6000, (rand() - 0.5) * 6000);
        const radiusM = 200 + Math.floor(rand() * 2500);
        const expected = all
          .filter((s) => s.amenities.includes('wifi'))
          .map((s) => ({ id: s.id, d: haversineM(center, s.location) }))
          .filter((x) => x.d <= radiusM)
          .sort((a, b) => a.d - b.d)
          .slice(0, 15);
        const got = await storage.stations.nearby({ center, radiusM, limit: 15, amenities: ['wifi'] });
        expect(got.map((g) => g.id)).toEqual(expected.map((e) => e.id));
        got.forEach((g, i) => expect(Math.abs(g.distanceM - (expected[i]?.d ?? NaN))).toBeLessThan(1));
      }
    });
  });

  describe('merchants', () => {
    const CHUNXI = { lng: 104.0776, lat: 30.6546 };

    it('creates, reads, updates and deletes a merchant', async () => {
      const m = await storage.merchants.create(merchantInput({ validTo: T1 }), T0);
      expect(await storage.merchants.get(m.id)).toEqual(m);
      expect(m.validTo).toEqual(T1);
      const u = await storage.merchants.update(m.id, { category: '便利店' }, T1);
      expect(u).toMatchObject({ category: '便利店', createdAt: T0, updatedAt: T1, discount: m.discount });
      expect(await storage.merchants.delete(m.id)).toBe(true);
      expect(await storage.merchants.get(m.id)).toBeNull();
    });

    it('lists, counts and upserts merchants by externalId', async () => {
      const r1 = await storage.merchants.upsertMany([merchantInput({ externalId: 'm1' }), merchantInput({ externalId: 'm2', city: 'chongqing' })], T0);
      expect(r1).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
      const stored = await storage.merchants.list({ limit: 10 });
      const inputs = stored.map(({ id: _i, createdAt: _c, updatedAt: _u, ...rest }) => rest);
      expect(await storage.merchants.upsertMany(inputs, T1)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
      expect(await storage.merchants.count({ city: 'chongqing' })).toBe(1);
      await expect(storage.merchants.create(merchantInput({ externalId: 'm1' }), T0)).rejects.toBeInstanceOf(ConflictError);
    });

    it('finds only active merchants whose discount is valid now, by category, nearest first', async () => {
      const at = new Date('2026-11-22T04:00:00Z');
      const near = await storage.merchants.create(merchantInput({ location: { lng: CHUNXI.lng, lat: CHUNXI.lat + 0.001 } }), T0);
      const far = await storage.merchants.create(merchantInput({ location: { lng: CHUNXI.lng, lat: CHUNXI.lat + 0.004 }, validFrom: T0, validTo: at }), T0);
      await storage.merchants.create(merchantInput({ validTo: new Date(at.getTime() - 1) }), T0);
      await storage.merchants.create(merchantInput({ validFrom: new Date(at.getTime() + 1) }), T0);
      await storage.merchants.create(merchantInput({ status: 'inactive' }), T0);
      const shop = await storage.merchants.create(merchantInput({ category: '便利店', location: { lng: CHUNXI.lng + 0.002, lat: CHUNXI.lat } }), T0);
      const q = { center: CHUNXI, radiusM: 1000, limit: 10, validAt: at };
      expect((await storage.merchants.nearby(q)).map((m) => m.id)).toEqual([near.id, shop.id, far.id]);
      expect((await storage.merchants.nearby({ ...q, category: '便利店' })).map((m) => m.id)).toEqual([shop.id]);
      expect((await storage.merchants.nearby({ ...q, city: 'chongqing' }))).toEqual([]);
    });
  });
});
