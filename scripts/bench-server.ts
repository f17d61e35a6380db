// Child process for the benchmark: serves either the real app on a seeded store or a bare Koa route.
import Koa from 'koa';
import Router from '@koa/router';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { systemClock } from '../src/shared/time';
import { createEmbeddedStorage } from '../src/storage/embedded';
import { generateDemoData } from '../src/modules/demo/demo-data';
import { stationSummary } from '../src/modules/stations/stations.view';
import { localTime } from '../src/shared/time';
import { BENCH_SECRETS_KEY, GATE_ANSWER } from './bench-gate';
import { BENCH_JWT_SECRET } from './bench-hazards';

/** About the size of a report's 201 answer. */
const REPORT_ANSWER = { data: { id: '6650a1b2c3d4e5f601234567', description: '压测：路面坑洼', route: { why: '「道路坑洼」属城管职责，由市级管理员分派'.repeat(4) }, updates: new Array(3).fill({ at: '2026-12-01T04:00:00.000Z', status: 'submitted', note: null }) } };

/** Ten station summaries shaped like a real nearby answer, for a baseline that pays the same serialisation. */
function sizedBody() {
  const now = new Date();
  const { stations } = generateDemoData({ stations: 10, merchants: 0, seed: 3, now });
  const v = { coordSys: 'gcj02' as const, now, local: localTime(now), freshnessMs: 1_800_000 };
  return {
    data: stations.map((s, i) => stationSummary({ ...s, id: `${i}`.padStart(24, '0'), occupancy: { available: null, reportedAt: null, reportedBy: null }, createdAt: now, updatedAt: now, distanceM: 100 * i }, v)),
    meta: { coordSys: 'gcj02', radius: 1000, count: 10, place: null },
  };
}

const [mode, dataDir] = process.argv.slice(2);

function bare(): Koa {
  const app = new Koa();
  const router = new Router();
  const sized = sizedBody();
  router.get('/bare', (ctx) => {
    ctx.body = { data: [] };
  });
  // The same bare route, but answering a fixed body of nearby-answer size: what serialising and sending costs.
  router.get('/bare-sized', (ctx) => {
    ctx.body = sized;
  });
  // A bare route that reads an upload whole (as a report's photo is) and answers a report-sized body.
  router.post('/bare-upload', async (ctx) => {
    let bytes = 0;
    for await (const chunk of ctx.req) bytes += (chunk as Buffer).length;
    ctx.status = 201;
    ctx.body = { ...REPORT_ANSWER, bytes };
  });
  // The same bare route answering a gate check's body.
  router.get('/bare-gate', (ctx) => {
    ctx.body = GATE_ANSWER;
  });
  app.use(router.routes());
  return app;
}

function real(): Koa {
  const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir as string, JWT_SECRET: BENCH_JWT_SECRET, SECRETS_KEY: BENCH_SECRETS_KEY, PUBLIC_BASE_URL: 'http://127.0.0.1', RATE_LIMIT_WRITE_PER_MINUTE: '1000000', HAZARD_REPORTS_PER_MINUTE: '1000', EMBEDDED_SYNC: process.env.BENCH_SYNC ?? 'full', LOG_LEVEL: 'warn', TRUST_PROXY: 'false' });
  const storage = createEmbeddedStorage({ dataDir: dataDir as string, sync: config.storage.embeddedSync });
  return createApp({ config, storage, clock: systemClock, log: createLogger('warn') });
}

const app = mode === 'bare' ? bare() : real();
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
