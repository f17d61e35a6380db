import { createApp } from '../../src/app';
import { createLogger } from '../../src/shared/logger';
import request from 'supertest';
import { buildTestApp, TestApp } from '../helpers/app';
import { stationInput } from '../helpers/fixtures';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

describe('health, readiness and metrics', () => {
  it('serves /healthz and /readyz with the storage driver', async () => {
    expect((await t.http.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/readyz')).body).toEqual({ status: 'ready', storage: 'embedded' });
  });

  it('answers 503 on /readyz when storage is gone', async () => {
    await t.storage.close();
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(503);
  });

  it('counts requests and latency per route template in Prometheus text', async () => {
    const s = await t.storage.stations.create(stationInput(), t.clock.now());
    await t.http.get(`/api/v1/stations/${s.id}`);
    const res = await t.http.get('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/stations\/:id",status="200"\} 1/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).not.toContain(s.id);
  });
});

describe('the error shape', () => {
  it('answers an unknown route with a JSON 404', async () => {
    const res = await t.http.get('/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { status: 404, code: 'not_found', message: expect.any(String), details: null } });
  });

  it('answers a wrong method with 405', async () => {
    const res = await t.http.put('/api/v1/stations/nearby');
    expect(res.status).toBe(405);
    expect(res.body.error.status).toBe(405);
  });

  it('echoes a sane request id and makes one otherwise', async () => {
    expect((await t.http.get('/healthz').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    expect((await t.http.get('/healthz').set('X-Request-Id', 'bad id <script>')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never leaks an internal error message', async () => {
    const broken = { ...t.storage, stations: { ...t.storage.stations, nearby: async () => { throw new Error('SQLITE_CORRUPT at /secret/path'); } } };
    const app = createApp({ config: t.config, storage: broken, clock: t.clock, log: createLogger('silent') });
    const res = await request(app.callback()).get('/api/v1/stations/nearby?lng=106.5&lat=29.5');
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ status: 500, code: 'internal', details: { requestId: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});

describe('request bodies', () => {
  const post = () => t.http.post('/api/v1/stations').set(t.admin);

  it.each([
    ['malformed JSON', '{"name": ', 400],
    ['a $-prefixed key', '{"name": {"$gt": ""}}', 400],
    ['a nested __proto__ key', '{"operator": {"__proto__": {"admin": true}}}', 400],
    ['a constructor key', '{"constructor": {"prototype": {}}}', 400],
  ])('refuses %s', async (_n, raw, status) => {
    const res = await post().set('Content-Type', 'application/json').send(raw);
    expect(res.status).toBe(status);
    expect(res.body.error.status).toBe(status);
    expect(await t.storage.stations.count()).toBe(0);
  });

  it('names the offending key', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"name": {"$ne": 1}}');
    expect(res.body.error.details).toEqual({ field: '$ne' });
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await post().set('Content-Type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 415 for a non-JSON body', async () => {
    const res = await post().set('Content-Type', 'text/plain').send('name=x');
    expect(res.status).toBe(415);
  });

  it('answers 422 for an empty body on create', async () => {
    const res = await post();
    expect(res.status).toBe(422);
  });
});
