// npm run bench: nearby search vs a bare Koa route, measured in the same run, at 10k and 100k stations.
// A second baseline, bare-sized, is the same bare route answering a fixed body as large as a nearby answer (10
// results, ~4.5 KB): it shows how much of the gap is serialising and sending, which no search can remove.
import { fork, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { convert } from '../src/shared/geo';
import { createEmbeddedStorage } from '../src/storage/embedded';
import { generateDemoData } from '../src/modules/demo/demo-data';
import { seedGates } from './bench-gate';
import { seedHazards } from './bench-hazards';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function seed(n: number): Promise<{ dir: string; urls: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nuanxin-bench-${n}-`));
  const storage = createEmbeddedStorage({ dataDir: dir, sync: 'normal' });
  const { stations } = generateDemoData({ stations: n, merchants: 0, seed: 7, now: new Date() });
  const t0 = Date.now();
  await storage.stations.upsertMany(stations, new Date());
  console.log(`seeded ${n} stations in ${Date.now() - t0} ms`);
  // Query from points where riders are: near stations, in GCJ-02 as the mini-program sends them.
  const urls = stations.filter((_, i) => i % Math.max(1, Math.floor(n / 500)) === 0).map((s) => {
    const p = convert({ lng: s.location.lng + 0.002, lat: s.location.lat - 0.001 }, 'wgs84', 'gcj02');
    return `/api/v1/stations/nearby?lng=${p.lng.toFixed(6)}&lat=${p.lat.toFixed(6)}`;
  });
  await storage.close();
  return { dir, urls };
}

function start(mode: 'bare' | 'app', dir = ''): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, 'bench-server.ts'), [mode, dir], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF && mode === 'app' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/benchprof'] : [])] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

interface Run {
  rps: number;
  p99: number;
  errors: number;
}

type Req = { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string | Buffer };

async function load(port: number, paths: Array<string | Req>, warm: boolean): Promise<Run> {
  const requests = paths.map((p) => (typeof p === 'string' ? { method: 'GET' as const, path: p } : p));
  const opts = { url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, requests };
  if (warm) await autocannon({ ...opts, duration: 3 });
  const r = await autocannon({ ...opts, duration: DURATION });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Alternates bare and nearby runs so both see the same machine noise; reports the medians. */
async function compare(barePort: number, appPort: number, urls: string[]): Promise<{ bare: Run; sized: Run; near: Run }> {
  const bare: Run[] = [];
  const sized: Run[] = [];
  const near: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await load(barePort, ['/bare'], i === 0));
    sized.push(await load(barePort, ['/bare-sized'], i === 0));
    near.push(await load(appPort, urls, i === 0));
  }
  const pick = (runs: Run[]): Run => ({
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  });
  return { bare: pick(bare), sized: pick(sized), near: pick(near) };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores; ${CONNECTIONS} connections; median of ${ROUNDS} alternating ${DURATION}s runs`);
  const bare = await start('bare');
  const rows = [];
  for (const n of SIZES) {
    const { dir, urls } = await seed(n);
    const app = await start('app', dir);
    const { bare: base, sized, near } = await compare(bare.port, app.port, urls);
    app.child.kill('SIGINT');
    fs.rmSync(dir, { recursive: true, force: true });
    rows.push({
      stations: n,
      'bare req/s': Math.round(base.rps), 'bare p99 ms': base.p99,
      'sized req/s': Math.round(sized.rps),
      'nearby req/s': Math.round(near.rps), 'nearby p99 ms': near.p99,
      'nearby/bare': Number((near.rps / base.rps).toFixed(2)),
      'nearby/sized': Number((near.rps / sized.rps).toFixed(2)),
      errors: near.errors + base.errors + sized.errors,
    });
  }
  console.table(rows);
  if (process.env.BENCH_GATE !== '0') await gateBench(bare.port);
  if (process.env.BENCH_HAZARDS !== '0') await hazardBench(bare.port);
  bare.child.kill();
}

/** Multipart POST /api/v1/hazards with one ~1 MB photo, against a bare route reading the same upload. */
async function hazardBench(barePort: number): Promise<void> {
  const seeded = await seedHazards();
  const app = await start('app', seeded.dir);
  const bare: Run[] = [];
  const report: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await load(barePort, [seeded.bare], i === 0));
    report.push(await load(app.port, seeded.requests, i === 0));
  }
  app.child.kill('SIGINT');
  fs.rmSync(seeded.dir, { recursive: true, force: true });
  const b = { rps: median(bare.map((r) => r.rps)), p99: median(bare.map((r) => r.p99)) };
  const h = { rps: median(report.map((r) => r.rps)), p99: median(report.map((r) => r.p99)), errors: report.reduce((n, r) => n + r.errors, 0) };
  console.table([{
    'photo bytes': seeded.photoBytes, 'bare-upload req/s': Number(b.rps.toFixed(1)), 'bare p99 ms': b.p99,
    'report req/s': Number(h.rps.toFixed(1)), 'report p99 ms': h.p99, 'report/bare': Number((h.rps / b.rps).toFixed(3)), errors: h.errors,
  }]);
  console.log('where a report\'s time goes: `npx tsx scripts/bench-photo.ts` (decode, resize and encode, thumbnail, fsync)');
}

/** POST /api/v1/gates/verify with valid codes at 20k compounds and 200k passes, against the bare route answering its body. */
async function gateBench(barePort: number): Promise<void> {
  const seeded = await seedGates(Number(process.env.BENCH_COMPOUNDS ?? 20_000), 10);
  const app = await start('app', seeded.dir);
  const bare: Run[] = [];
  const gate: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await load(barePort, ['/bare-gate'], i === 0));
    // Codes are made just before each run: they stay valid for 30 to 60 s, longer than a run.
    gate.push(await load(app.port, seeded.requests(), i === 0));
  }
  app.child.kill('SIGINT');
  fs.rmSync(seeded.dir, { recursive: true, force: true });
  const b = { rps: median(bare.map((r) => r.rps)), p99: median(bare.map((r) => r.p99)) };
  const g = { rps: median(gate.map((r) => r.rps)), p99: median(gate.map((r) => r.p99)), errors: gate.reduce((n, r) => n + r.errors, 0) };
  console.table([{
    compounds: Number(process.env.BENCH_COMPOUNDS ?? 20_000), passes: Number(process.env.BENCH_COMPOUNDS ?? 20_000) * 10,
    'bare-gate req/s': Math.round(b.rps), 'verify req/s': Math.round(g.rps), 'verify p99 ms': g.p99,
    'verify/bare': Number((g.rps / b.rps).toFixed(2)), errors: g.errors,
  }]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
