import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { buildTestApp, TestApp } from '../helpers/app';
import { stationInput } from '../helpers/fixtures';

let t: TestApp;
let server: http.Server;
beforeEach(async () => {
  t = await buildTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

/** The bytes as they cross the wire (supertest would decode them), with the headers. */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode as number, headers: res.headers, bytes: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function seedStations(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await t.storage.stations.create(stationInput(), t.clock.now())).id);
  return ids;
}

const decoders: Record<string, (b: Buffer) => Buffer> = { gzip: zlib.gunzipSync, br: zlib.brotliDecompressSync };

describe('compression', () => {
  it.each(['gzip', 'br'])('sends a JSON answer over 1 KB %s-encoded when the client accepts it', async (encoding) => {
    await seedStations(20);
    const plain = await raw('/gbfs/station_information.json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024);

    const packed = await raw('/gbfs/station_information.json', { 'Accept-Encoding': encoding });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.headers.vary).toMatch(/accept-encoding/i);
    expect(packed.bytes.length).toBeLessThan(plain.bytes.length / 3);
    expect(JSON.parse(decoders[encoding]!(packed.bytes).toString())).toEqual(JSON.parse(plain.bytes.toString()));
  });

  // koa-compress threw on these (a 500): nothing it offers is acceptable and identity is refused.
  it.each(['identity;q=0', '*;q=0', 'deflate, identity;q=0'])('sends the answer uncompressed to a client that accepts none of our codings (%s)', async (accept) => {
    await seedStations(20);
    const res = await raw('/gbfs/station_information.json', { 'Accept-Encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.bytes.toString()).data.stations).toHaveLength(20);
  });

  it('sends a small JSON answer as it is', async () => {
    const res = await raw('/healthz', { 'Accept-Encoding': 'gzip, br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(res.bytes.toString())).toEqual({ status: 'ok' });
  });

  it('keeps the error shape and the request id on a compressed error', async () => {
    // Every field wrong: a 422 whose details run past 1 KB.
    const days = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
    const body = { city: 'chongqing', name: 1, district: 2, address: 3, location: 4, hours: { kind: 'weekly', days }, amenities: Array.from({ length: 30 }, (_, i) => `bad${i}`), capacity: 'x' };
    const res = await t.http.post('/api/v1/stations').set(t.admin).set('Accept-Encoding', 'gzip').set('X-Request-Id', 'req-42').send(body);
    expect(res.status).toBe(422);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.body.error).toEqual({ status: 422, code: 'unprocessable', message: expect.any(String), details: expect.any(Array) });
  });
});

describe('ETag and conditional GET', () => {
  it('answers a repeated station read 304 with no body, and a new ETag after an update', async () => {
    const [id] = await seedStations(1);
    const first = await t.http.get(`/api/v1/stations/${id}`);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/".+"$/);

    const again = await raw(`/api/v1/stations/${id}`, { 'If-None-Match': tag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers['content-type']).toBeUndefined();
    expect(again.headers.etag).toBe(tag);
    expect((await t.http.get('/metrics')).text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/stations\/:id",status="304"\} 1/);

    await t.http.put(`/api/v1/stations/${id}/occupancy`).set(t.admin).send({ available: 4 }).expect(200);
    const changed = await t.http.get(`/api/v1/stations/${id}`).set('If-None-Match', tag);
    expect(changed.status).toBe(200);
    expect(changed.body.data.available).toBe(4);
    expect(changed.headers.etag).not.toBe(tag);
  });

  it('answers HEAD with the ETag and no body, and 304 on a match', async () => {
    const [id] = await seedStations(1);
    const head = await t.http.head(`/api/v1/stations/${id}`);
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
    const tag = head.headers.etag as string;
    expect(tag).toBe((await t.http.get(`/api/v1/stations/${id}`)).headers.etag);
    expect((await t.http.head(`/api/v1/stations/${id}`).set('If-None-Match', tag)).status).toBe(304);
  });

  const changes: Array<[string, ((id: string) => Promise<unknown>) | null]> = [
    ['gbfs.json', null],
    ['station_information.json', async (id) => t.http.patch(`/api/v1/stations/${id}`).set(t.admin).send({ name: '改名后的驿站' }).expect(200)],
    ['station_status.json', async (id) => t.http.put(`/api/v1/stations/${id}/occupancy`).set(t.admin).send({ available: 2 }).expect(200)],
  ];
  it.each(changes)('tags the GBFS feed %s, answers 304 on a match and a new ETag after a change', async (feed, change) => {
    const [id] = await seedStations(3);
    const tag = (await raw(`/gbfs/${feed}`)).headers.etag as string; // same host as below: gbfs.json names it
    expect(tag).toMatch(/^W\/".+"$/);
    t.clock.advance(5_000); // a client polls again a little later: unchanged data keeps its tag
    const again = await raw(`/gbfs/${feed}`, { 'If-None-Match': tag, 'Accept-Encoding': 'gzip' });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers['content-encoding']).toBeUndefined();
    if (!change) return;
    await change(id as string);
    const changed = await t.http.get(`/gbfs/${feed}`).set('If-None-Match', tag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
  });

  it('dates each GBFS feed by its data\'s last change, not by the request', async () => {
    const [id] = await seedStations(2);
    const written = t.clock.now();
    t.clock.advance(10 * 60_000 + 7_000);
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    expect((await t.http.get('/gbfs/station_information.json')).body.last_updated).toBe(seconds(written));
    // Seats and opening hours follow the clock by the minute: the status feed is as of this minute.
    const minute = Math.floor(t.clock.now().getTime() / 60_000) * 60;
    expect((await t.http.get('/gbfs/station_status.json')).body.last_updated).toBe(minute);
    t.clock.advance(20_000);
    await t.http.put(`/api/v1/stations/${id}/occupancy`).set(t.admin).send({ available: 1 }).expect(200);
    expect((await t.http.get('/gbfs/station_status.json')).body.last_updated).toBe(seconds(t.clock.now()));
  });

  it('tags the paths the router also serves in another case or with a trailing slash', async () => {
    const [id] = await seedStations(1);
    expect((await t.http.get('/GBFS/station_status.json')).headers.etag).toMatch(/^W\//);
    const tag = (await t.http.get(`/api/v1/stations/${id}/`)).headers.etag as string;
    expect(tag).toBe((await t.http.get(`/api/v1/stations/${id}`)).headers.etag);
    expect((await t.http.get(`/API/v1/Stations/${id}`).set('If-None-Match', tag)).status).toBe(304);
  });

  it('puts no ETag on other routes, writes or errors', async () => {
    const [id] = await seedStations(1);
    expect((await t.http.get('/api/v1/stations/nearby?lng=106.5775&lat=29.5594')).headers.etag).toBeUndefined();
    expect((await t.http.get('/healthz')).headers.etag).toBeUndefined();
    expect((await t.http.patch(`/api/v1/stations/${id}`).set(t.admin).send({ capacity: 12 })).headers.etag).toBeUndefined();
    const missing = await t.http.get('/api/v1/stations/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });
});

describe('security headers', () => {
  it('sends a JSON-API content security policy, nosniff, no framing and HSTS outside development', async () => {
    const res = await t.http.get('/healthz');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toBe("default-src 'none';frame-ancestors 'none'"); // a JSON answer loads nothing
    const page = (await t.http.get('/docs')).headers['content-security-policy'] as string;
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) {
      expect(page).toContain(directive);
    }
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+$/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends them on errors too, with the error shape and request id intact', async () => {
    const res = await t.http.get('/nope').set('X-Request-Id', 'abc-123');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { status: 404, code: 'not_found', message: expect.any(String), details: null } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leaves HSTS off in development (plain http on 127.0.0.1)', async () => {
    const dev = await buildTestApp({ NODE_ENV: 'development' });
    try {
      const res = await dev.http.get('/healthz');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    } finally {
      await dev.close();
    }
  });
});
