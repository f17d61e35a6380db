import type { Storage } from '../../src/features';
import { stationInput } from '../helpers/fixtures';
import { drivers } from '../helpers/storage';

const NOW = new Date('2026-11-22T04:00:00Z');
const entry = (objectId: string) => ({
  at: NOW, actorId: 'a1', actorRole: 'city_admin' as const, city: 'chongqing' as const, action: 'station.create',
  objectType: 'station', objectId, summary: {}, requestId: 'r1',
});
const tick = () => new Promise((r) => setTimeout(r, 5));

describe.each(drivers())('atomically: $name driver', ({ name, open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(() => storage.close());

  it('commits a mutation and its audit entry together', async () => {
    const s = await storage.atomically(async () => {
      const created = await storage.stations.create(stationInput(), NOW);
      await storage.audit.append(entry(created.id));
      return created;
    });
    expect(await storage.stations.get(s.id)).not.toBeNull();
    expect(await storage.audit.list({ objectId: s.id, limit: 5 })).toHaveLength(1);
  });

  it('writes neither when the unit fails after both, and nearby search never sees the station', async () => {
    if (!storage.transactions) return; // MongoDB without a replica set: documented, nothing to roll back with
    let id = '';
    await expect(storage.atomically(async () => {
      const created = await storage.stations.create(stationInput({ externalId: 'tx-1' }), NOW);
      id = created.id;
      await storage.audit.append(entry(created.id));
      throw new Error('audit sink refused');
    })).rejects.toThrow('audit sink refused');
    expect(await storage.stations.get(id)).toBeNull();
    expect(await storage.stations.getByExternalId('tx-1')).toBeNull();
    expect(await storage.audit.list({ objectId: id, limit: 5 })).toHaveLength(0);
    const near = await storage.stations.nearby({ center: stationInput().location, radiusM: 1000, limit: 10 });
    expect(near.map((x) => x.id)).not.toContain(id);
  });

  it('keeps a write from outside the unit, made while it awaited, when the unit rolls back', async () => {
    if (!storage.transactions) return;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const unit = storage.atomically(async () => {
      await storage.stations.create(stationInput({ externalId: 'in-unit' }), NOW);
      entered();
      await tick(); // another request runs here
      throw new Error('rolled back');
    }).catch((e: Error) => e.message);
    await inside;
    const outside = await storage.stations.create(stationInput({ externalId: 'outside' }), NOW);
    expect(await unit).toBe('rolled back');
    // Both the durable rows (list reads SQL) and the in-memory mirror (get) must agree.
    expect((await storage.stations.list({ limit: 10 })).map((x) => x.externalId)).toEqual(['outside']);
    expect(await storage.stations.get(outside.id)).not.toBeNull();
    expect(await storage.stations.getByExternalId('in-unit')).toBeNull();
  });

  it('keeps a write that waited for one unit when the next unit rolls back (it must not run inside that one)', async () => {
    if (!storage.transactions) return;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const a = storage.atomically(async () => {
      entered();
      await tick();
    });
    await inside;
    const waiting = storage.stations.create(stationInput({ externalId: 'waited' }), NOW); // waits for A
    const b = storage.atomically(async () => {
      await tick();
      throw new Error('b rolled back');
    }).catch((e: Error) => e.message);
    await a;
    const created = await waiting;
    expect(await b).toBe('b rolled back');
    expect((await storage.stations.list({ limit: 10 })).map((x) => x.externalId)).toEqual(['waited']);
    expect(await storage.stations.get(created.id)).not.toBeNull();
  });

  it('joins a nested unit to the outer one, and runs units one after another', async () => {
    const order: string[] = [];
    await Promise.all([
      storage.atomically(async () => {
        order.push('a1');
        await storage.atomically(async () => {
          await storage.stations.create(stationInput({ externalId: 'n-1' }), NOW);
        });
        await tick();
        order.push('a2');
      }),
      storage.atomically(async () => {
        order.push('b1');
        await storage.stations.create(stationInput({ externalId: 'n-2' }), NOW);
        order.push('b2');
      }),
    ]);
    if (name === 'embedded') expect(order).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(await storage.stations.getByExternalId('n-1')).not.toBeNull();
    expect(await storage.stations.getByExternalId('n-2')).not.toBeNull();
  });
});
