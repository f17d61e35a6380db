import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { loadConfig, ConfigError } from './shared/config';
import { handleClientErrors } from './shared/client-error';
import { createLogger } from './shared/logger';
import { systemClock } from './shared/time';
import { openStorage } from './storage';
import { loadDemoData } from './modules/demo/demo.service';
import { startDemoOccupancy } from './modules/demo/demo-occupancy';
import { ensureBootstrapAdmin } from './modules/identity/bootstrap';
import { features } from './features';

/** Loads config, opens storage, seeds demo data on an empty embedded store and keeps its seat counts fresh, listens, and drains on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const storage = await openStorage(config);
  log.info({ module: 'server', driver: storage.driver, env: config.env }, 'storage open');
  let stopDemo = async () => {};
  if (config.demoData && storage.driver === 'embedded') {
    const demo = await loadDemoData(storage, systemClock.now());
    if (demo.loaded) log.info({ module: 'demo', stations: demo.stations, merchants: demo.merchants, compounds: demo.compounds, bodies: demo.bodies }, 'demo data loaded (labelled 【演示】)');
    stopDemo = startDemoOccupancy({ storage, clock: systemClock, freshnessMs: config.occupancyFreshnessMs, log });
  }
  await ensureBootstrapAdmin(storage, config.bootstrapAdmin, systemClock.now(), log);
  const app = createApp({ config, storage, clock: systemClock, log });
  // Background work of the features (the outbox's WeChat sender, pass-expiry notices), stopped before storage closes.
  const workers = features.flatMap((f) => f.workers?.({ config, storage, clock: systemClock, log }) ?? []);
  const server: Server = createServer(app.callback());
  handleClientErrors(server, log);
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    log.info({ module: 'server', host: config.host, port }, `listening on http://${config.host}:${port}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ module: 'server', signal }, 'shutting down');
    const force = setTimeout(() => {
      log.warn({ module: 'server' }, 'forced exit after shutdown timeout');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    server.close(async () => {
      await stopDemo();
      await Promise.all(workers.map((w) => w.stop()));
      await storage.close();
      clearTimeout(force);
      log.info({ module: 'server' }, 'stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('failed to start:', err);
  process.exit(1);
});
