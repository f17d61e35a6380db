// Cases where the two drivers used to answer differently (issue 8, item 5); each runs on every driver.
import { ConflictError } from '../../src/shared/errors';
import type { Storage } from '../../src/features';
import { merchantInput, stationInput } from '../helpers/fixtures';
import { drivers } from '../helpers/storage';

const T0 = new Date('2096-11-22T02:00:00Z');
const T1 = new Date('2096-11-22T03:00:00Z');
const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 };
const CHUNXI = { lng: 104.0776, lat: 30.6546 };
const offset = (dx: number, dy: number) => ({ lng: JIEFANGBEI.lng + dx / 96_900, lat: JIEFANGBEI.lat + dy / 111_200 });
const BAD_CURSORS = ['not-an-id', 'a', 'zzzzzzzzzzzzzzzzzzzzzzzz', '0123456789ABCDEF01234567', ''];
const BAD_LIMITS = [0, -1, -100, 0.5, Number.NaN];

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => null, (e: unknown) => e);
}

/** Mutates a returned object the way a careless caller might; a driver may refuse (frozen parts throw TypeError). */
function scribble(value: object | null | undefined): void {
  expect(value).toBeTruthy();
  const obj = value as Record<string, unknown>;
  const attempts: Array<() => void> = [
    () => { obj.name = '改过'; },
    () => { (obj.location as { lng: number }).lng = 0; },
    () => { (obj.hours as Record<string, unknown>).kind = 'closed'; },
    () => { if (Array.isArray(obj.amenities)) obj.amenities.push('toilet'); },
    () => { if (obj.occupancy) (obj.occupancy as { available: number }).available = 99; },
    () => { if (obj.discount) (obj.discount as { conditions: string[] }).conditions.push('改过'); },
    () => { delete obj.city; },
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
    }
  }
}

describe.each(drivers())('storage contract, parity cases: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  describe('upsertMany with a repeated externalId in one batch', () => {
    it('refuses the whole batch as a 409 naming the field and the externalId, and writes nothing', async () => {
      await storage.stations.create(stationInput({ externalId: 'keep', name: '原名' }), T0);
      const batch = [stationInput({ externalId: 'new-1' }), stationInput({ externalId: 'keep', name: '新名' }), stationInput({ externalId: 'new-1' })];
      const err = await rejection(storage.stations.upsertMany(batch, T1));
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).details).toEqual({ field: 'externalId', externalId: 'new-1' });
      expect(await storage.stations.count()).toBe(1);
      expect((await storage.stations.getByExternalId('keep'))?.name).toBe('原名');
      await expect(storage.stations.getByExternalId('new-1')).resolves.toBeNull();
    });

    it('refuses a repeated merchant externalId the same way', async () => {
      const err = await rejection(storage.merchants.upsertMany([merchantInput({ externalId: 'm-1' }), merchantInput({ externalId: 'm-1' })], T0));
      expect((err as ConflictError).details).toEqual({ field: 'externalId', externalId: 'm-1' });
      expect(await storage.merchants.count()).toBe(0);
    });

    it('lets hand-entered rows without an externalId repeat', async () => {
      const report = await storage.stations.upsertMany([stationInput({ externalId: null }), stationInput({ externalId: null })], T0);
      expect(report).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    });
  });

  describe('nearby with equal distances at the limit', () => {
    it('breaks ties by id before cutting, whatever order the store keeps them in', async () => {
      const nearest = await storage.stations.create(stationInput({ location: offset(0, 50) }), T0);
      const tied: string[] = [];
      // Twelve stations on one spot (a mall), mixed in status and city so no index order happens to be id order.
      for (let i = 0; i < 12; i++) {
        const input = stationInput({ location: offset(300, 0), status: i % 2 ? 'open' : 'temporarily_closed', city: i % 3 ? 'chongqing' : 'chengdu' });
        tied.push((await storage.stations.create(input, T0)).id);
      }
      await storage.stations.create(stationInput({ location: offset(900, 0) }), T0);
      const byId = [...tied].sort();
      const q = { center: JIEFANGBEI, radiusM: 2000 };
      for (const limit of [2, 4, 9, 13]) {
        const got = await storage.stations.nearby({ ...q, limit });
        expect(got.map((s) => s.id)).toEqual([nearest.id, ...byId].slice(0, limit));
      }
      const far = await storage.stations.nearby({ ...q, limit: 14 });
      expect(far).toHaveLength(14);
    });

    it('breaks merchant ties by id too', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await storage.merchants.create(merchantInput({ location: CHUNXI, category: i % 2 ? '餐饮' : '便利店' }), T0)).id);
      const got = await storage.merchants.nearby({ center: CHUNXI, radiusM: 100, limit: 3, validAt: T1 });
      expect(got.map((m) => m.id)).toEqual([...ids].sort().slice(0, 3));
    });
  });

  describe('list cursors and limits', () => {
    it('treats a cursor that is not an id as matching nothing, in every list', async () => {
      for (let i = 0; i < 3; i++) await storage.stations.create(stationInput(), T0);
      await storage.merchants.create(merchantInput(), T0);
      await storage.riders.findOrCreateByOpenid('o-1', null, T0);
      for (const after of BAD_CURSORS) {
        expect(await storage.stations.list({ limit: 10, after })).toEqual([]);
        expect(await storage.merchants.list({ limit: 10, after })).toEqual([]);
        expect(await storage.riders.list({ limit: 10, after })).toEqual([]);
      }
    });

    it('pages on from a well-formed id that names no row', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await storage.stations.create(stationInput(), T0)).id);
      expect((await storage.stations.list({ limit: 10, after: '000000000000000000000000' })).map((s) => s.id)).toEqual([...ids].sort());
      expect(await storage.stations.list({ limit: 10, after: 'ffffffffffffffffffffffff' })).toEqual([]);
    });

    it('refuses a limit below 1 (or not a number) with a RangeError instead of returning every row', async () => {
      await storage.stations.create(stationInput(), T0);
      await storage.riders.findOrCreateByOpenid('o-1', null, T0);
      for (const limit of BAD_LIMITS) {
        await expect(storage.stations.list({ limit })).rejects.toThrow(RangeError);
        await expect(storage.merchants.list({ limit })).rejects.toThrow(RangeError);
        await expect(storage.stations.nearby({ center: JIEFANGBEI, radiusM: 500, limit })).rejects.toThrow(RangeError);
        await expect(storage.riders.list({ limit })).rejects.toThrow(RangeError);
        await expect(storage.staff.list({ limit })).rejects.toThrow(RangeError);
        await expect(storage.codes.list({ kind: 'invitation', limit })).rejects.toThrow(RangeError);
        await expect(storage.audit.list({ limit })).rejects.toThrow(RangeError);
      }
      expect(await storage.stations.list({ limit: 1.9 })).toHaveLength(1);
    });
  });

  describe('returned objects are the caller’s own', () => {
    it('does not let a changed station (from create, get, update, list or nearby) change a later read', async () => {
      const created = await storage.stations.create(stationInput({ amenities: ['wifi'], externalId: 'alias-1' }), T0);
      const expected = structuredClone(created);
      scribble(created);
      const reads = [
        await storage.stations.get(expected.id),
        await storage.stations.getByExternalId('alias-1'),
        (await storage.stations.list({ limit: 10 }))[0],
        (await storage.stations.nearby({ center: JIEFANGBEI, radiusM: 500, limit: 5 }))[0],
      ];
      for (const read of reads) scribble(read);
      expect(await storage.stations.get(expected.id)).toEqual(expected);

      const updated = await storage.stations.update(expected.id, { capacity: 3 }, T1);
      const afterUpdate = structuredClone(updated);
      scribble(updated);
      const occupied = await storage.stations.setOccupancy(expected.id, { available: 2, reportedAt: T1, reportedBy: null }, T1);
      const afterOccupancy = structuredClone(occupied);
      scribble(occupied);
      expect(afterUpdate).toMatchObject({ capacity: 3, name: expected.name });
      expect(await storage.stations.get(expected.id)).toEqual(afterOccupancy);
      const found = await storage.stations.nearby({ center: JIEFANGBEI, radiusM: 500, limit: 5 });
      expect(found[0]).toEqual({ ...afterOccupancy, distanceM: expect.any(Number) });
    });

    it('does not let a changed merchant change a later read', async () => {
      const created = await storage.merchants.create(merchantInput(), T0);
      const expected = structuredClone(created);
      scribble(created);
      scribble((await storage.merchants.get(expected.id)));
      scribble((await storage.merchants.nearby({ center: CHUNXI, radiusM: 500, limit: 5, validAt: T1 }))[0]);
      expect(await storage.merchants.get(expected.id)).toEqual(expected);
    });

    it('does not keep a reference to the caller’s input', async () => {
      const input = stationInput({ amenities: ['wifi'] });
      const created = await storage.stations.create(input, T0);
      input.amenities.push('toilet');
      input.location.lng = 0;
      expect(await storage.stations.get(created.id)).toMatchObject({ amenities: ['wifi'], location: { lng: JIEFANGBEI.lng } });
    });
  });
});
