import type { ChildProcess } from 'node:child_process';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { generateDemoData } from '../../src/modules/demo/demo-data';
import { startServer } from '../helpers/server-process';
import { tempDir } from '../helpers/storage';

const station = (i: number) => ({
  name: `持久性测试驿站${i}`, city: 'chongqing', district: '渝中区', address: `测试路${i}号`,
  location: { lng: 106.57 + i / 10_000, lat: 29.55 }, hours: { kind: '24h' }, amenities: ['seating'], capacity: 5, externalId: `dur-${i}`,
});

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function adminToken(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/dev`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'city_admin', city: 'chongqing' }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('embedded store durability', () => {
  it('keeps every acknowledged write across kill -9', async () => {
    const dataDir = tempDir();
    const first = await startServer(dataDir);
    children.push(first.child);
    const token = await adminToken(first.base);
    const statuses = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const res = await fetch(`${first.base}/api/v1/stations?coordSys=wgs84`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(station(i)),
      });
      return { status: res.status, id: ((await res.json()) as { data?: { id: string } }).data?.id };
    }));
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    expect(statuses.map((s) => s.status)).toEqual(Array(40).fill(201));
    const acked = statuses.map((s) => s.id as string);

    const second = await startServer(dataDir);
    children.push(second.child);
    try {
      for (const id of acked) expect((await fetch(`${second.base}/api/v1/stations/${id}`)).status).toBe(200);
      const near = await fetch(`${second.base}/api/v1/stations/nearby?lng=106.572&lat=29.55&coordSys=wgs84&radius=5000&limit=50`);
      expect(((await near.json()) as { data: unknown[] }).data).toHaveLength(40);
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 60_000);

  it('opens a city-sized store (10k stations, 5k merchants) in under 3 s', async () => {
    const dataDir = tempDir();
    const now = new Date('2026-11-22T04:00:00Z');
    const seeded = createEmbeddedStorage({ dataDir, sync: 'normal' });
    const { stations, merchants } = generateDemoData({ stations: 10_000, merchants: 5_000, now });
    await seeded.stations.upsertMany(stations, now);
    await seeded.merchants.upsertMany(merchants, now);
    await seeded.close();

    const t0 = Date.now();
    const reopened = createEmbeddedStorage({ dataDir, sync: 'full' });
    const openMs = Date.now() - t0;
    try {
      expect(openMs).toBeLessThan(3000);
      expect(await reopened.stations.count()).toBe(10_000);
      expect(await reopened.merchants.count()).toBe(5_000);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
