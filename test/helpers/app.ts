import type Koa from 'koa';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/shared/config';
import { createLogger } from '../../src/shared/logger';
import { fixedClock } from '../../src/shared/time';
import type { Storage } from '../../src/features';
import { openTestStorage, tempDir } from './storage';

/** Wednesday 2026-11-25 12:00 in Chongqing. */
export const NOON_CST = '2026-11-25T04:00:00Z';

export interface TestApp {
  app: Koa;
  http: ReturnType<typeof request.agent>;
  storage: Storage;
  clock: ReturnType<typeof fixedClock>;
  config: Readonly<Config>;
  /** A Chongqing city administrator (dev login); adminCd is Chengdu's. */
  admin: { Authorization: string };
  adminCd: { Authorization: string };
  /** Logs in a demo user of a role through POST /api/v1/auth/dev and returns its auth header and user. */
  login(role: string, city?: string): Promise<{ headers: { Authorization: string }; user: { id: string } & Record<string, unknown>; refreshToken: string }>;
  close(): Promise<void>;
}

/** The real app on the embedded driver in a temp dir (MongoDB when MONGODB_URI is set), with a fixed clock and config/test.json plus overrides. */
export async function buildTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = tempDir();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...overrides });
  const storage = await openTestStorage(dataDir);
  const clock = fixedClock(NOON_CST);
  const app = createApp({ config, storage, clock, log: createLogger('silent') });
  const http = request.agent(app.callback());
  const login: TestApp['login'] = async (role, city = 'chongqing') => {
    const res = await http.post('/api/v1/auth/dev').send({ role, city });
    if (res.status !== 200) throw new Error(`dev login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { headers: { Authorization: `Bearer ${res.body.accessToken}` }, user: res.body.user, refreshToken: res.body.refreshToken };
  };
  const admin = (await login('city_admin', 'chongqing')).headers;
  const adminCd = (await login('city_admin', 'chengdu')).headers;
  return { app, http, storage, clock, config, admin, adminCd, login, close: () => storage.close() };
}
