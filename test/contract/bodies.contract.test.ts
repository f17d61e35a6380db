import type { Storage } from '../../src/features';
import type { BodyInput } from '../../src/modules/bodies/bodies.types';
import { drivers } from '../helpers/storage';

const T0 = new Date('2096-11-22T02:00:00Z');
const T1 = new Date('2096-11-22T03:00:00Z');
const UNKNOWN = '0123456789abcdef01234567';
const ID = /^[0-9a-f]{24}$/;

let seq = 0;
const body = (over: Partial<BodyInput> = {}): BodyInput => ({
  city: 'chongqing', districts: ['渝中区'], name: `契约城管局${++seq}`, type: '城管', categories: ['manhole'],
  contact: { channel: 'email', value: 'cg@example.org' }, active: true, isDemo: false, ...over,
});

describe.each(drivers())('bodies storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  it('creates a body with an id and times, and gets it back as it was stored', async () => {
    const input = body({ districts: [], categories: [], contact: { channel: 'staff', value: '在本系统处理' } });
    const b = await storage.bodies.create(input, T0);
    expect(b).toEqual({ ...input, id: expect.stringMatching(ID), createdAt: T0, updatedAt: T0 });
    expect(await storage.bodies.get(b.id)).toEqual(b);
    await expect(storage.bodies.get(UNKNOWN)).resolves.toBeNull();
    await expect(storage.bodies.get('not-an-id')).resolves.toBeNull();
  });

  it('refuses a second body of the same name in the same city (409 naming name), allows it in the other city', async () => {
    const first = await storage.bodies.create(body({ name: '同名单位' }), T0);
    await expect(storage.bodies.create(body({ name: '同名单位' }), T0)).rejects.toMatchObject({ status: 409, details: { field: 'name' } });
    await expect(storage.bodies.create(body({ name: '同名单位', city: 'chengdu', districts: [] }), T0)).resolves.toMatchObject({ city: 'chengdu' });
    const other = await storage.bodies.create(body(), T0);
    await expect(storage.bodies.update(other.id, { name: '同名单位' }, T1)).rejects.toMatchObject({ status: 409, details: { field: 'name' } });
    expect(await storage.bodies.get(other.id)).toEqual(other);
    expect(await storage.bodies.get(first.id)).toEqual(first);
  });

  it('updates the given fields only, never id, city or createdAt; unknown ids give null', async () => {
    const b = await storage.bodies.create(body(), T0);
    const patch = { districts: ['渝中区', '江北区'], categories: [], active: false, contact: { channel: 'phone' as const, value: '023-63800000' } };
    const u = await storage.bodies.update(b.id, { ...patch, city: 'chengdu', id: UNKNOWN, createdAt: T1 } as never, T1);
    expect(u).toEqual({ ...b, ...patch, updatedAt: T1 });
    expect(await storage.bodies.get(b.id)).toEqual(u);
    expect(await storage.bodies.update(b.id, { name: undefined }, T1)).toEqual(u);
    await expect(storage.bodies.update(UNKNOWN, { active: true }, T1)).resolves.toBeNull();
    await expect(storage.bodies.update('nope', { active: true }, T1)).resolves.toBeNull();
  });

  it('deletes once; unknown and malformed ids delete nothing', async () => {
    const b = await storage.bodies.create(body(), T0);
    const kept = await storage.bodies.create(body(), T0);
    expect(await storage.bodies.delete(b.id)).toBe(true);
    expect(await storage.bodies.delete(b.id)).toBe(false);
    expect(await storage.bodies.delete(UNKNOWN)).toBe(false);
    expect(await storage.bodies.delete('nope')).toBe(false);
    expect(await storage.bodies.get(b.id)).toBeNull();
    expect(await storage.bodies.get(kept.id)).toEqual(kept);
  });

  it('lists by id with keyset paging, filtered by city, type and active, and counts per city', async () => {
    const a = await storage.bodies.create(body(), T0);
    const water = await storage.bodies.create(body({ type: '水务', categories: ['flooding'] }), T0);
    const off = await storage.bodies.create(body({ active: false }), T0);
    const cd = await storage.bodies.create(body({ city: 'chengdu', districts: ['锦江区'] }), T0);
    const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);
    expect(ids(await storage.bodies.list({ limit: 10 }))).toEqual([a.id, water.id, off.id, cd.id]);
    expect(ids(await storage.bodies.list({ city: 'chongqing', limit: 10 }))).toEqual([a.id, water.id, off.id]);
    expect(ids(await storage.bodies.list({ city: 'chongqing', type: '城管', limit: 10 }))).toEqual([a.id, off.id]);
    expect(ids(await storage.bodies.list({ city: 'chongqing', type: '城管', active: true, limit: 10 }))).toEqual([a.id]);
    expect(ids(await storage.bodies.list({ active: false, limit: 10 }))).toEqual([off.id]);
    const page1 = await storage.bodies.list({ city: 'chongqing', limit: 2 });
    expect(ids(page1)).toEqual([a.id, water.id]);
    expect(ids(await storage.bodies.list({ city: 'chongqing', limit: 2, after: water.id }))).toEqual([off.id]);
    expect(await storage.bodies.list({ limit: 10, after: 'not-an-id' })).toEqual([]);
    expect(await storage.bodies.count()).toBe(4);
    expect(await storage.bodies.count({ city: 'chengdu' })).toBe(1);
  });

  it('keeps a write made inside atomically only when the unit of work succeeds', async () => {
    await expect(storage.atomically(async () => {
      await storage.bodies.create(body({ name: '回滚单位' }), T0);
      throw new Error('after the write');
    })).rejects.toThrow('after the write');
    expect((await storage.bodies.list({ limit: 100 })).filter((b) => b.name === '回滚单位')).toEqual([]);
  });

  it('hands out copies: changing a returned body changes nothing stored', async () => {
    const b = await storage.bodies.create(body(), T0);
    const got = (await storage.bodies.get(b.id))!;
    got.districts.push('沙坪坝区');
    got.contact.value = 'changed@example.org';
    expect(await storage.bodies.get(b.id)).toEqual(b);
  });
});
