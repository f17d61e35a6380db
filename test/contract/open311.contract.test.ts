import { type Storage } from '../../src/features';
import { newId } from '../../src/storage/ids';
import { drivers } from '../helpers/storage';

const T0 = new Date('2096-11-22T02:00:00Z');
const T1 = new Date('2096-11-22T03:00:00Z');
const T2 = new Date('2096-11-22T04:00:00Z');
const UNKNOWN = '0123456789abcdef01234567';

const input = (over: Partial<{ id: string; city: 'chongqing' | 'chengdu'; keyHash: string }> = {}) => ({
  id: newId(), city: 'chongqing' as const, name: '重庆市12345热线', keyHash: `hash-${newId()}`, riderId: 'rider-1', createdBy: 'admin-1', createdAt: T0, ...over,
});

describe.each(drivers())('open311 storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  it('stores a key under its own id, unrevoked, and finds it by id and by hash', async () => {
    const k = input();
    const key = await storage.open311Keys.create(k);
    expect(key).toEqual({ ...k, revokedAt: null, revokedBy: null });
    expect(await storage.open311Keys.get(k.id)).toEqual(key);
    expect(await storage.open311Keys.findByHash(k.keyHash)).toEqual(key);
    await expect(storage.open311Keys.findByHash('no-such-hash')).resolves.toBeNull();
    await expect(storage.open311Keys.get(UNKNOWN)).resolves.toBeNull();
    await expect(storage.open311Keys.get('not-an-id')).resolves.toBeNull();
  });

  it('refuses a second key with the same id or the same hash as a conflict', async () => {
    const k = input();
    await storage.open311Keys.create(k);
    await expect(storage.open311Keys.create({ ...k, keyHash: 'other' })).rejects.toMatchObject({ status: 409 });
    await expect(storage.open311Keys.create(input({ keyHash: k.keyHash }))).rejects.toMatchObject({ status: 409, details: { field: 'keyHash' } });
  });

  it('revokes once: a second revocation keeps the first time and who; unknown ids give null', async () => {
    const k = input();
    await storage.open311Keys.create(k);
    const revoked = await storage.open311Keys.revoke(k.id, 'admin-2', T1);
    expect(revoked).toMatchObject({ id: k.id, revokedAt: T1, revokedBy: 'admin-2' });
    expect(await storage.open311Keys.revoke(k.id, 'admin-3', T2)).toEqual(revoked);
    expect(await storage.open311Keys.findByHash(k.keyHash)).toEqual(revoked);
    await expect(storage.open311Keys.revoke(UNKNOWN, 'x', T1)).resolves.toBeNull();
    await expect(storage.open311Keys.revoke('nope', 'x', T1)).resolves.toBeNull();
  });

  it('lists one city\'s keys by id with keyset paging', async () => {
    const ids = [newId(), newId(), newId()].sort();
    for (const id of ids) await storage.open311Keys.create(input({ id }));
    await storage.open311Keys.create(input({ city: 'chengdu' }));
    const first = await storage.open311Keys.list({ city: 'chongqing', limit: 2 });
    expect(first.map((k) => k.id)).toEqual(ids.slice(0, 2));
    const rest = await storage.open311Keys.list({ city: 'chongqing', limit: 2, after: ids[1] });
    expect(rest.map((k) => k.id)).toEqual(ids.slice(2));
    await expect(storage.open311Keys.list({ city: 'chongqing', limit: 2, after: 'not-an-id' })).resolves.toEqual([]);
  });
});
