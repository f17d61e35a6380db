import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/shared/logger';
import { MAX_MESSAGE_CHARS, shownMessage } from '../../src/shared/errors';
import { MAX_JSON_DEPTH } from '../../src/shared/body';
import { buildTestApp, TestApp } from '../helpers/app';
import { startServer } from '../helpers/server-process';
import { tempDir } from '../helpers/storage';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const errorShape = (status: number, code: string) => ({ error: { status, code, message: expect.any(String), details: expect.anything() } });

describe('methods', () => {
  it.each([
    ['TRACE', '/healthz'],
    ['PROPFIND', '/healthz'],
    ['SEARCH', '/api/v1/stations'],
    ['MKCOL', '/nope'],
  ])('answers %s %s with 501 in the error shape, logging no error', async (method, path) => {
    const logged: unknown[] = [];
    const onError = (err: unknown) => logged.push(err);
    t.app.on('error', onError);
    const res = await t.http[method.toLowerCase() as 'get'](path);
    t.app.off('error', onError);
    expect(res.status).toBe(501);
    expect(res.body).toEqual(errorShape(501, 'not_implemented'));
    expect(res.body.error.message).toBe(`不支持的请求方法 ${method}`);
    expect(logged).toEqual([]);
  });

  it.each([
    ['/healthz', 'GET, HEAD, OPTIONS'],
    ['/api/v1/stations', 'POST, OPTIONS'],
    ['/api/v1/stations/nearby', 'GET, HEAD, OPTIONS'],
    ['/api/v1/merchants/nearby', 'GET, HEAD, OPTIONS'],
    ['/api/v1/stations/0123456789abcdef01234567', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['/api/v1/stations/0123456789abcdef01234567/occupancy', 'PUT, OPTIONS'],
  ])('answers OPTIONS %s with 204 and only the methods the route takes', async (path, allow) => {
    const res = await t.http.options(path);
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe(allow);
  });

  it.each([
    ['put', '/api/v1/stations/nearby', 'GET、HEAD、OPTIONS'],
    ['delete', '/api/v1/stations/nearby', 'GET、HEAD、OPTIONS'],
    ['patch', '/healthz', 'GET、HEAD、OPTIONS'],
    ['get', '/api/v1/stations', 'POST、OPTIONS'],
  ])('answers %s %s with 405, a Chinese message and a true Allow, before authentication', async (method, path, listed) => {
    const res = await t.http[method as 'put'](path);
    expect(res.status).toBe(405);
    expect(res.body).toEqual(errorShape(405, 'method_not_allowed'));
    expect(res.body.error.message).toBe(`此接口不支持 ${method.toUpperCase()} 请求，可用：${listed}`);
    expect(res.headers.allow).toBe(listed.replace(/、/g, ', '));
  });

  it('still answers an unknown path with 404, whatever the method', async () => {
    expect((await t.http.options('/nope')).status).toBe(404);
    expect((await t.http.delete('/api/v1/nothing')).status).toBe(404);
  });
});

describe('JSON bodies', () => {
  // supertest would serialise a Buffer as JSON; these bytes must reach the server as they are.
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(t.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const postBytes = async (path: string, bytes: Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', body: bytes, headers: { 'Content-Type': 'application/json', ...headers } });
    return { status: res.status, body: (await res.json()) as { error: { message: string } } };
  };

  it('refuses invalid UTF-8 with 400 and stores nothing', async () => {
    const before = await t.storage.stations.count();
    const bad = Buffer.concat([
      Buffer.from('{"name":"观音桥'), Buffer.from([0xff, 0xfe]), Buffer.from('驿站","city":"chongqing","district":"江北区","address":"x路1号",'),
      Buffer.from('"location":{"lng":106.53,"lat":29.57},"hours":{"kind":"24h"},"amenities":[],"capacity":3}'),
    ]);
    const res = await postBytes('/api/v1/stations', bad, t.admin);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape(400, 'invalid_request'));
    expect(res.body.error.message).toContain('UTF-8');
    expect(await t.storage.stations.count()).toBe(before);
  });

  it('refuses JSON nested deeper than MAX_JSON_DEPTH levels by name, and takes brackets inside strings as text', async () => {
    const deep = `{"role":"rider","city":"chongqing","x":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`;
    const res = await postBytes('/api/v1/auth/dev', Buffer.from(deep));
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape(400, 'invalid_request'));
    expect(res.body.error.message).toBe(`请求体嵌套过深：数组和对象最多嵌套 ${MAX_JSON_DEPTH} 层`);
    const atLimit = `{"role":"rider","city":"chongqing","x":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    const strings = `{"role":"rider","city":"chongqing","name":"${'[{'.repeat(200)}\\"${'['.repeat(50)}"}`;
    for (const ok of [atLimit, strings]) {
      const r = await postBytes('/api/v1/auth/dev', Buffer.from(ok));
      expect([r.status, r.body.error?.message]).not.toEqual([400, expect.stringContaining('嵌套')]);
    }
  });

  it.each(['gzip', 'br', 'deflate'])('refuses a body sent with Content-Encoding: %s (415), and writes nothing', async (encoding) => {
    const before = await t.storage.stations.count();
    const body = Buffer.from('{"name":"压缩驿站","city":"chongqing","district":"渝中区","address":"x路1号","location":{"lng":106.57,"lat":29.56},"hours":{"kind":"24h"},"amenities":[],"capacity":3}');
    const res = await postBytes('/api/v1/stations', body, { ...t.admin, 'Content-Encoding': encoding });
    expect(res.status).toBe(415);
    expect(res.body).toEqual(errorShape(415, 'unsupported_content_encoding'));
    expect(await t.storage.stations.count()).toBe(before);
  });

  it('still accepts a UTF-8 body with a byte order mark', async () => {
    const res = await postBytes('/api/v1/auth/dev', Buffer.from('\uFEFF{"role":"rider","city":"chongqing"}'));
    expect(res.status).toBe(200);
  });
});

describe('text fields', () => {
  const station = (name: string, extra: Record<string, unknown> = {}) => ({
    name, city: 'chongqing', district: '渝中区', address: '民族路1号', location: { lng: 106.5816, lat: 29.5568 },
    hours: { kind: '24h' }, amenities: [], capacity: 4, ...extra,
  });

  it.each([
    ['a NUL', 'a\u0000b', '不能含有控制字符或文字方向控制符'],
    ['a bidi override', '驿站\u202Egnp.exe', '不能含有控制字符或文字方向控制符'],
    ['only zero-width spaces', '\u200B\u200B', '不能为空'],
  ])('refuses a station name with %s and stores nothing', async (_, name, message) => {
    const before = await t.storage.stations.count();
    const res = await t.http.post('/api/v1/stations').set(t.admin).send(station(name));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'name', message }]);
    expect(await t.storage.stations.count()).toBe(before);
  });

  it('refuses controls in nested and optional text too (operator name, status note)', async () => {
    const op = await t.http.post('/api/v1/stations').set(t.admin).send(station('好驿站', { operator: { name: '工会\u202E' } }));
    expect(op.body.error.details).toEqual([{ field: 'operator.name', message: '不能含有控制字符或文字方向控制符' }]);
    const created = await t.http.post('/api/v1/stations').set(t.admin).send(station('好驿站', { statusNote: '\u200B' }));
    expect(created.status).toBe(201);
    expect(created.body.data.statusNote).toBeNull();
    const note = await t.http.patch(`/api/v1/stations/${created.body.data.id}`).set(t.admin).send({ statusNote: '检修\u0007' });
    expect(note.status).toBe(422);
  });

  it('refuses a place query with a control character or only invisible characters', async () => {
    const nul = await t.http.get('/api/v1/stations/nearby').query({ place: '解放碑\u0000' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.details).toEqual([{ field: 'place', message: '不能含有控制字符或文字方向控制符' }]);
    const blank = await t.http.get('/api/v1/stations/nearby').query({ place: '\u200B' });
    expect(blank.body.error.details).toEqual([{ field: 'place', message: '不能为空' }]);
  });

  it('refuses an invisible-only display name', async () => {
    const rider = await t.login('rider');
    const res = await t.http.patch('/api/v1/me').set(rider.headers).send({ displayName: '\u200B\u3000' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'displayName', message: '不能为空' }]);
  });
});

/** Sends raw bytes to a server and resolves with everything it answers before closing. */
function rawRequest(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('requests Node itself refuses, on the real server process', () => {
  let child: ChildProcess;
  let port: number;
  beforeAll(async () => {
    const started = await startServer(tempDir());
    child = started.child;
    port = Number(new URL(started.base).port);
  }, 20_000);
  afterAll(() => {
    child.kill('SIGKILL');
  });

  const parse = (raw: string) => {
    const [head, body] = raw.split('\r\n\r\n');
    return { statusLine: head!.split('\r\n')[0], head: head!, body: JSON.parse(body!) as unknown };
  };

  it('answers a raw non-ASCII URL with a JSON 400 that says to URL-encode', async () => {
    const raw = await rawRequest(port, Buffer.from('GET /api/v1/stations/nearby?place=沙坪坝 HTTP/1.1\r\nHost: x\r\n\r\n'));
    const res = parse(raw);
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(res.head).toContain('Content-Type: application/json');
    expect(res.body).toEqual(errorShape(400, 'malformed_request'));
    expect(JSON.stringify(res.body)).toContain('URL 编码');
  });

  it('answers a 20 KB header with a JSON 431', async () => {
    const raw = await rawRequest(port, Buffer.from(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    const res = parse(raw);
    expect(res.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(res.body).toEqual(errorShape(431, 'headers_too_large'));
  });

  it.each([
    ['two Content-Length headers', 'POST /api/v1/auth/dev HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /长度或分块编码/],
    ['Content-Length with chunked', 'POST /api/v1/auth/dev HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', /长度或分块编码/],
    ['a bad chunk size', 'POST /api/v1/auth/dev HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', /长度或分块编码/],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /不是合法的 HTTP\/1\.1 请求/],
  ])('names what is wrong with %s, not the URL', async (_what, request, message) => {
    const res = parse(await rawRequest(port, Buffer.from(request)));
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(res.body).toEqual(errorShape(400, 'malformed_request'));
    expect((res.body as { error: { message: string } }).error.message).toMatch(message);
  });

  it('keeps serving after refusing them', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('a mutation and its audit entry', () => {
  it('are written together: when the audit entry cannot be written, the station is not created either', async () => {
    const broken = { ...t.storage, audit: { ...t.storage.audit, append: async () => { throw new Error('disk full'); } } };
    const app = createApp({ config: t.config, storage: broken, clock: t.clock, log: createLogger('silent') });
    const http = request(app.callback());
    const login = await http.post('/api/v1/auth/dev').send({ role: 'city_admin', city: 'chongqing' });
    const before = await t.storage.stations.count();
    const res = await http.post('/api/v1/stations').set({ Authorization: `Bearer ${login.body.accessToken}` }).send({
      name: '审计失败驿站', city: 'chongqing', district: '渝中区', address: '民族路1号', location: { lng: 106.5816, lat: 29.5568 },
      hours: { kind: '24h' }, amenities: [], capacity: 4,
    });
    expect(res.status).toBe(500);
    expect(await t.storage.stations.count()).toBe(before);
    expect((await t.storage.stations.list({ limit: 500 })).map((s) => s.name)).not.toContain('审计失败驿站');
  });
});

describe('single-use codes', () => {
  it('stay unspent when the work they pay for fails, and no half-made account is left', async () => {
    const inv = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'gate_guard' });
    expect(inv.status).toBe(201);
    const broken = { ...t.storage, audit: { ...t.storage.audit, append: async () => { throw new Error('disk full'); } } };
    const app = createApp({ config: t.config, storage: broken, clock: t.clock, log: createLogger('silent') });
    const accept = { code: inv.body.data.code, username: 'guard-crash', password: 'Passw0rd-long', displayName: '门岗' };
    expect((await request(app.callback()).post('/api/v1/auth/invitations/accept').send(accept)).status).toBe(500);
    expect(await t.storage.staff.findByUsername('guard-crash')).toBeNull();
    const again = await t.http.post('/api/v1/auth/invitations/accept').send(accept);
    expect(again.status).toBe(201);
    expect((await t.http.post('/api/v1/auth/invitations/accept').send({ ...accept, username: 'guard-twice' })).status).toBe(410);
  });
});

describe('numbers too large for a double', () => {
  it('are named as such, in a query and in a body', async () => {
    const q = await t.http.get('/api/v1/stations/nearby').query({ lng: `1${'0'.repeat(400)}`, lat: '29.56' });
    expect([q.status, q.body.error.message]).toEqual([400, '参数 lng 有误：必须是有限的数字（不能过大或过小）']);
    const b = await t.http.post('/api/v1/stations').set(t.admin).set('Content-Type', 'application/json')
      .send('{"name":"大数驿站","city":"chongqing","district":"渝中区","address":"x路1号","location":{"lng":1e400,"lat":29.57},"hours":{"kind":"24h"},"amenities":[],"capacity":3}');
    expect(b.status).toBe(422);
    expect(b.body.error.message).toBe('参数 location.lng 有误：必须是有限的数字（不能过大或过小）');
  });
});

describe('error messages that echo input', () => {
  it('cut a long echo at MAX_MESSAGE_CHARS characters, in the error shape', async () => {
    const id = 'x'.repeat(5000);
    const res = await t.http.get(`/api/v1/stations/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(errorShape(404, 'not_found'));
    expect(res.body.error.message.startsWith('驿站 xxx')).toBe(true);
    expect(Array.from(res.body.error.message as string)).toHaveLength(MAX_MESSAGE_CHARS);
    expect(res.body.error.message.endsWith('…')).toBe(true);
    const unknown = await t.http.get(`/${'y'.repeat(3000)}`);
    expect([unknown.status, Array.from(unknown.body.error.message as string).length]).toEqual([404, MAX_MESSAGE_CHARS]);
  });

  it('show controls and bidi overrides from the input as U+FFFD, so a rider reads what was sent', async () => {
    const res = await t.http.get(`/api/v1/stations/${encodeURIComponent('abc\u202Egpj.exe\u0007')}`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('驿站 abc\uFFFDgpj.exe\uFFFD 不存在');
  });

  it('leave messages that need no cutting as they are, and never split a character', () => {
    expect(shownMessage('参数 lng 有误：必须是数字')).toBe('参数 lng 有误：必须是数字');
    const emoji = shownMessage('😀'.repeat(MAX_MESSAGE_CHARS + 10));
    expect(Array.from(emoji)).toHaveLength(MAX_MESSAGE_CHARS);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
