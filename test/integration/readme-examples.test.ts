import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { refreshDemoOccupancy } from '../../src/modules/demo/demo-occupancy';
import { loadDemoData } from '../../src/modules/demo/demo.service';
import { buildTestApp, type TestApp } from '../helpers/app';
import { tempDir } from '../helpers/storage';

const README = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const BASE = 'http://127.0.0.1:3000';

/** sh blocks that are not run here, found by a piece of their text. Keep this list short. */
const SKIPPED: Array<{ contains: string; reason: string }> = [
  { contains: 'npm ci && npm start', reason: 'installs and starts the service itself; this test starts the app in-process' },
  { contains: 'MONGODB_URI=', reason: 'needs a MongoDB server' },
  { contains: 'docker compose', reason: 'needs a Docker engine' },
];

/** The files the import examples upload, for a Chongqing administrator. */
const FIXTURES: Record<string, string> = {
  'stations.csv': [
    'externalId,name,city,district,address,lng,lat,hours,amenities,capacity',
    'README-S-1,观音桥暖新驿站,chongqing,江北区,观音桥步行街1号,106.5313,29.5758,08:00-22:00,hot_water|seating,12',
  ].join('\n'),
  'merchants.geojson': JSON.stringify({
    type: 'FeatureCollection',
    features: [{
      type: 'Feature', id: 'README-M-1', geometry: { type: 'Point', coordinates: [106.5775, 29.5594] },
      properties: { name: '解放碑小面', city: 'chongqing', district: '渝中区', address: '民族路1号', category: '餐饮', discount: '骑手八八折', hours: '10:00-22:00' },
    }],
  }),
};

const blocks = [...README.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1] as string);
const skipOf = (b: string) => SKIPPED.find((s) => b.includes(s.contains));
const runnable = blocks.filter((b) => !skipOf(b));

// curl as a shell function: records each call's exit code and HTTP status, and passes the body through untouched.
// `date +%s` tells the app's fixed clock, so signed examples carry a timestamp the app accepts.
const PRELUDE = String.raw`
set -E -o pipefail
date() { if [ "$*" = "+%s" ]; then echo "$APP_NOW_S"; else command date "$@"; fi; }
trap 'printf "%s\t%s\t%s\n" "$BLOCK" "$?" "$BASH_COMMAND" >> "$FAILS"' ERR
curl() {
  local err rc
  { err=$(command curl -q -w '%{stderr}%{http_code}' "$@" 2>&1 1>&3 3>&-); } 3>&1
  rc=$?
  printf '%s\t%s\t%s\t%s\n' "$BLOCK" "$rc" "$(printf %s "$err" | tail -c 3)" "$(printf '%q ' "$@")" >> "$CALLS"
  return $rc
}
`;

interface Call { block: number; rc: number; status: number; args: string }

let a: TestApp;
let server: Server;
const calls: Call[] = [];
const failures: string[] = [];
let output = '';
let dir = '';
let attestedRiderId = '';

function run(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd, env: { ...process.env, ...env }, timeout: 15_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  a = await buildTestApp();
  await loadDemoData(a.storage, a.clock.now());
  await refreshDemoOccupancy({ storage: a.storage, now: a.clock.now(), freshnessMs: a.config.occupancyFreshnessMs });
  server = createServer(a.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // The operator of the dev login holds the first three Chongqing stations; the examples delete <id>, so it is another.
  const cq = await a.storage.stations.list({ city: 'chongqing', limit: 4 });
  const placeholders: Record<string, string> = { '<id>': cq[3]!.id, '<one of them>': cq[0]!.id };
  // The platform attestation example is for a Chongqing rider who bound 13800138000.
  const { rider } = await a.storage.riders.findOrCreateByOpenid('readme-rider', null, a.clock.now(), { city: 'chongqing' });
  await a.storage.riders.update(rider.id, { phone: '13800138000' }, a.clock.now());
  attestedRiderId = rider.id;

  dir = tempDir('nuanxin-readme-');
  for (const [name, text] of Object.entries(FIXTURES)) fs.writeFileSync(path.join(dir, name), text);
  const script = PRELUDE + runnable.map((b, i) => {
    let text = b.split(BASE).join(`http://127.0.0.1:${port}`);
    for (const [k, v] of Object.entries(placeholders)) text = text.split(k).join(v);
    const left = text.match(/<[a-z][a-z ]*>/);
    if (left) throw new Error(`README example has a placeholder this test does not fill: ${left[0]}`);
    return `BLOCK=${i}\n${text}\n`;
  }).join('');

  const env = {
    CALLS: path.join(dir, 'calls.tsv'), FAILS: path.join(dir, 'fails.tsv'), NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1',
    APP_NOW_S: String(Math.floor(a.clock.now().getTime() / 1000)),
  };
  const res = await run(script, dir, env);
  output = `exit ${res.code}\n--- stderr\n${res.stderr.slice(-2000)}`;
  if (res.code !== 0) failures.push(`bash exited ${res.code}`);
  const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
  for (const l of lines(env.CALLS)) {
    const [block, rc, status, args] = l.split('\t');
    calls.push({ block: Number(block), rc: Number(rc), status: Number(status), args: args ?? '' });
  }
  failures.push(...lines(env.FAILS));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await a?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('README examples', () => {
  it('runs every sh block that calls the service, and skips only the listed ones', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) if (!skipOf(b)) expect(b).toContain(BASE);
    for (const s of SKIPPED) expect(blocks.filter((b) => b.includes(s.contains))).toHaveLength(1);
  });

  it('runs the whole session without a failing command', () => {
    expect({ failures, output }).toEqual({ failures: [], output: expect.stringMatching(/^exit 0/) });
  });

  it.each(runnable.map((b, i) => [i, b.split('\n')[0]!.slice(0, 60)] as const))('block %i (%s): every curl exits 0 with a status below 400', (i) => {
    const mine = calls.filter((c) => c.block === i);
    expect(mine.length).toBeGreaterThanOrEqual(runnable[i]!.split('\n').filter((l) => l.startsWith('curl ')).length);
    expect(mine.length).toBeGreaterThan(0);
    const bad = mine.filter((c) => c.rc !== 0 || !(c.status >= 200 && c.status < 400));
    expect(bad).toEqual([]);
  });

  it('imported the fixture stations.csv and wrote the demo operator\'s seat report', async () => {
    expect(await a.storage.stations.getByExternalId('README-S-1')).toMatchObject({ name: '观音桥暖新驿站', capacity: 12 });
    const [held] = await a.storage.stations.list({ city: 'chongqing', limit: 1 });
    expect(held?.occupancy).toMatchObject({ available: 3, reportedBy: expect.not.stringMatching(/^demo$/) });
  });

  it('recorded the signed platform attestation for the rider who bound the phone', async () => {
    expect(await a.storage.attestations.latestFor(attestedRiderId)).toMatchObject({ platform: '美团', onTimeRate: 0.97 });
  });
});
