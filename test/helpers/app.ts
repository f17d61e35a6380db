import type Koa from 'koa';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/shared/config';
import { createLogger } from '../../src/shared/logger';
import { fixedClock } from '../../src/shared/time';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import type { Storage } from '../../src/storage/types';
import { tempDir } from './storage';

/** Wednesday 2026-11-25 12:00 in Chongqing. */
export const NOON_CST = '2026-11-25T04:00:00Z';

export interface TestApp {
  app: Koa;
  http: ReturnType<typeof request.agent>;
  storage: Storage;
  clock: ReturnType<typeof fixedClock>;
  config: Readonly<Config>;
  admin: { Authorization: string };
  close(): Promise<void>;
}

/** The real app on the embedded driver in a temp dir, with a fixed clock and config/test.json plus overrides. */
export function buildTestApp(overrides: Record<string, string> = {}): TestApp {
  const dataDir = tempDir();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...overrides });
  const storage = createEmbeddedStorage({ dataDir, sync: 'normal' });
  const clock = fixedClock(NOON_CST);
  const app = createApp({ config, storage, clock, log: createLogger('silent') });
  return {
    app,
    http: request.agent(app.callback()),
    storage,
    clock,
    config,
    admin: { Authorization: `Bearer ${config.adminToken}` },
    close: () => storage.close(),
  };
}
