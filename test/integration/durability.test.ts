// Durability of the embedded store across kill -9, with writes in flight.
//
// Several streams write at once (POST /api/v1/stations and PUT /api/v1/stations/:id/occupancy), the server process is
// SIGKILLed after a seeded short delay while requests are outstanding, and every write whose 2xx answer arrived
// before the kill must be there after a restart on the same data dir, occupancy with the acknowledged value (or the
// one write per stream still in flight at the kill, which may or may not have committed). Several rounds crash and
// reopen the same store. The seed (DURABILITY_SEED) fixes the streams' choices and the kill delay; the exact
// interleaving still depends on the machine, so a failing seed is likely but not certain to fail again.
//
// The test can fail. Checked by hand (and reverted, never committed) by breaking the embedded driver three ways:
// - station insert deferred: in geo-repository.ts `create` built the document, returned it at once and ran
//   `table.insert(doc)` in `setTimeout(…, 20)`. Failed 6 of 6 runs in round 1, e.g.
//   `lost: ["station 6b0e97ef05a5… (dur-51): acknowledged 201, now 404", … 4 more]`.
// - the same with `setImmediate(() => table.insert(doc))`: failed 5 of 5 runs (round 1 or 2), one or two creates lost.
// - occupancy write-behind: in stations.ts `setOccupancy` returned the new occupancy and ran the patch in
//   `setTimeout(…, 20)`. Failed 5 of 5 runs in round 1, e.g.
//   `"station 6b0e9811…: available 8694, acknowledged 7327 (in flight: none)"` (the older value survived).
//
// What it cannot catch: `synchronous=OFF` (or NORMAL) alone; with OFF it passed 3 of 3 runs. kill -9 ends the
// process, not the machine: data that SQLite handed to the kernel stays in the OS page cache and reaches the disk
// anyway, so only a power loss or a kernel crash would lose it. This test catches writes acknowledged before they reach the kernel (deferred or
// buffered in the process); the fsync itself is only proven by pulling the plug.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { generateDemoData } from '../../src/modules/demo/demo-data';
import { rng } from '../helpers/fixtures';
import { startServer } from '../helpers/server-process';
import { tempDir } from '../helpers/storage';

const SEED = Number(process.env.DURABILITY_SEED ?? 20_261_122);
const ROUNDS = 4;
const STREAMS = 6;
/** The kill comes this long after the round's first acknowledgements, drawn from the seed. */
const KILL_AFTER_MS: [number, number] = [40, 400];
const CAPACITY = 10_000;

const station = (i: number) => ({
  name: `持久性测试驿站${i}`, city: 'chongqing', district: '渝中区', address: `测试路${i}号`,
  location: { lng: 106.5 + (i % 100) / 1000, lat: 29.5 + Math.floor(i / 100) / 1000 },
  hours: { kind: '24h' }, amenities: ['seating'], capacity: CAPACITY, externalId: `dur-${i}`,
});

/** What the client knows of one station: created (acknowledged), last acknowledged seats, seats sent since. */
interface Known {
  externalId: string;
  acked: number | null;
  unsure: Set<number>;
}

interface Ledger {
  stations: Map<string, Known>;
  /** Creates sent, acknowledged or not. */
  sent: number;
  /** 4xx/5xx from a live server: never expected. */
  refused: string[];
  inFlight: number;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function start(dataDir: string) {
  const s = await startServer(dataDir);
  children.push(s.child);
  return s;
}

async function adminToken(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/dev`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'city_admin', city: 'chongqing' }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Sends one write; resolves with the parsed body of a 2xx, null when the connection died first. */
async function send(ledger: Ledger, url: string, method: string, token: string, body: unknown): Promise<{ data: { id: string } } | null> {
  ledger.inFlight++;
  try {
    const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const parsed = (await res.json()) as { data: { id: string } };
    if (res.ok) return parsed;
    ledger.refused.push(`${method} ${url} -> ${res.status}`);
    return null;
  } catch {
    return null; // killed mid-request: not acknowledged
  } finally {
    ledger.inFlight--;
  }
}

/** One stream: creates stations and reports seats on its own ones, one request at a time, until the server dies. */
async function stream(base: string, token: string, ledger: Ledger, next: () => number, alive: () => boolean): Promise<void> {
  const own: string[] = [];
  while (alive()) {
    if (own.length === 0 || next() < 0.35) {
      const i = ledger.sent++;
      const created = await send(ledger, `${base}/api/v1/stations?coordSys=wgs84`, 'POST', token, station(i));
      if (!created) continue;
      own.push(created.data.id);
      ledger.stations.set(created.data.id, { externalId: `dur-${i}`, acked: null, unsure: new Set() });
    } else {
      const id = own[Math.floor(next() * own.length)] as string;
      const known = ledger.stations.get(id) as Known;
      const available = Math.floor(next() * CAPACITY);
      known.unsure.add(available);
      if (await send(ledger, `${base}/api/v1/stations/${id}/occupancy`, 'PUT', token, { available })) {
        known.acked = available;
        known.unsure = new Set();
      }
    }
  }
}

const acksIn = (ledger: Ledger) => ledger.stations.size + [...ledger.stations.values()].filter((k) => k.acked !== null).length;

/** Runs the streams against a live server and SIGKILLs it after a seeded delay; returns how many requests were outstanding. */
async function writeAndKill(server: { child: ChildProcess; base: string }, ledger: Ledger, next: () => number): Promise<number> {
  const token = await adminToken(server.base);
  let alive = true;
  const before = acksIn(ledger);
  const streams = Array.from({ length: STREAMS }, () => stream(server.base, token, ledger, next, () => alive));
  while (acksIn(ledger) < before + STREAMS) await new Promise((r) => setTimeout(r, 5));
  const [lo, hi] = KILL_AFTER_MS;
  await new Promise((r) => setTimeout(r, lo + next() * (hi - lo)));
  const outstanding = ledger.inFlight;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  alive = false;
  await exited;
  await Promise.all(streams);
  return outstanding;
}

/** Every acknowledged write that the restarted server does not show, as readable lines. */
async function lostWrites(base: string, ledger: Ledger): Promise<string[]> {
  const lost: string[] = [];
  for (const [id, known] of ledger.stations) {
    const res = await fetch(`${base}/api/v1/stations/${id}`);
    if (res.status !== 200) {
      lost.push(`station ${id} (${known.externalId}): acknowledged 201, now ${res.status}`);
      continue;
    }
    const { data } = (await res.json()) as { data: { externalId: string; available: number | null } };
    const allowed = [known.acked, ...known.unsure];
    if (data.externalId !== known.externalId) lost.push(`station ${id}: externalId ${data.externalId}, expected ${known.externalId}`);
    if (!allowed.includes(data.available)) lost.push(`station ${id}: available ${data.available}, acknowledged ${known.acked} (in flight: ${[...known.unsure].join(',') || 'none'})`);
  }
  return lost;
}

async function stationCount(base: string): Promise<number> {
  const res = await fetch(`${base}/gbfs/station_information.json`);
  return ((await res.json()) as { data: { stations: unknown[] } }).data.stations.length;
}

describe('embedded store durability', () => {
  it(`keeps every acknowledged write across kill -9 with writes in flight (seed ${SEED})`, async () => {
    const dataDir = tempDir();
    const next = rng(SEED);
    const ledger: Ledger = { stations: new Map(), sent: 0, refused: [], inFlight: 0 };
    let server = await start(dataDir);
    for (let round = 1; round <= ROUNDS; round++) {
      const outstanding = await writeAndKill(server, ledger, next);
      expect(outstanding).toBeGreaterThan(0); // the kill really hit writes in flight
      server = await start(dataDir);
      expect({ round, lost: await lostWrites(server.base, ledger) }).toEqual({ round, lost: [] });
      const count = await stationCount(server.base);
      expect(count).toBeGreaterThanOrEqual(ledger.stations.size);
      expect(count).toBeLessThanOrEqual(ledger.sent);
    }
    // The store opens and serves after the crashes: reads, a new write, a clean shutdown, an intact file.
    expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
    const token = await adminToken(server.base);
    expect(await send(ledger, `${server.base}/api/v1/stations?coordSys=wgs84`, 'POST', token, station(ledger.sent++))).not.toBeNull();
    const near = await fetch(`${server.base}/api/v1/stations/nearby?lng=106.5&lat=29.5&coordSys=wgs84&radius=5000&limit=5`);
    expect(((await near.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const exit = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const db = new Database(path.join(dataDir, 'nuanxin.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    expect(ledger.refused).toEqual([]);
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
