import http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { fakeAccessRoutes, fakeCompoundRoutes } from './fake-access-routes';
import { createFakeBotRoutes } from './fake-bot-routes';
import { fakeHazardPublic, fakeHazardRoutes } from './fake-hazard-routes';
import { fakeStationDetail, fakeStationReports } from './fake-station-routes';
import { createFakeWorld, fakeError, fakeMe, type FakeWorld } from './fake-world';
import { MERCHANTS, STATIONS } from './fixtures';

export type { FakeHandler, FakeMultipart, FakeRequest, FakeResponse } from './fake-types';
import type { FakeHandler, FakeMultipart, FakeRequest, FakeResponse } from './fake-types';

export interface FakeApi {
  baseURL: string;
  /** Every request received, oldest first. */
  requests: FakeRequest[];
  /** Replaces the canned behaviour for the following requests. */
  respondWith(handler: FakeHandler): void;
  close(): Promise<void>;
}

/**
 * The canned nearby search: '沙平坝' is a typo with a suggestion, '火星' and bare words are unknown, '北京' lies outside
 * both cities, '荒郊' has nothing nearby; any other place or point gets the fixtures.
 */
export const cannedNearby: FakeHandler = ({ path, query }) => {
  const place = query.place;
  if (place === '沙平坝') return fakeError(404, '未找到地点「沙平坝」', { field: 'place', suggestions: ['沙坪坝区（重庆）', '沙坪坝（重庆）'] });
  if (place === '北京') return fakeError(404, '本服务目前只覆盖重庆和成都，「北京」不在服务范围内', { field: 'place', outside: '北京', suggestions: [] });
  if (place !== undefined && /火星|哈哈|天气/.test(place)) return fakeError(404, `未找到地点「${place}」`, { field: 'place', suggestions: [] });
  const meta = { coordSys: 'gcj02', radius: Number(query.radius ?? 1000), place: place ? { name: place, city: 'chongqing' } : null };
  const data = place === '荒郊' ? [] : path === '/api/v1/stations/nearby' ? STATIONS : path === '/api/v1/merchants/nearby' ? MERCHANTS : null;
  if (!data) return fakeError(404, '未找到');
  return { status: 200, body: { data, meta: { ...meta, count: data.length } } };
};

/** Routes that need a signed-in sender (a session's bearer token), tried in turn. */
function userRoutes(world: FakeWorld): FakeHandler | ((req: FakeRequest) => FakeResponse | null) {
  return (req) => {
    const needsUser = req.path === '/api/v1/me' || /^\/api\/v1\/(me\/|access-requests|place-codes|gates|hazards($|\/[^/]+\/support))/.test(req.path)
      || (req.method === 'PUT' && req.path.startsWith('/api/v1/stations/'));
    if (!needsUser) return null;
    const user = world.userOf(req);
    if ('status' in user) return user;
    if (req.path === '/api/v1/me') return fakeMe(user);
    return fakeAccessRoutes(world, req, user) ?? fakeHazardRoutes(world, req, user) ?? fakeStationReports(req, user) ?? fakeError(404, '未找到');
  };
}

/**
 * The whole canned service over one world (fake-world.ts): nearby search, compounds, stations, hazard categories and
 * nearby reports in public; the bot routes (binding, sessions); and the sender's own routes behind its session token.
 */
export function createCannedApi(world: FakeWorld = createFakeWorld()): FakeHandler {
  const bot = createFakeBotRoutes(world);
  const user = userRoutes(world);
  return (req) => {
    if (req.path.startsWith('/api/v1/bot/')) return bot(req);
    return user(req) ?? fakeCompoundRoutes(req) ?? fakeStationDetail(req) ?? fakeHazardPublic(world, req) ?? cannedNearby(req);
  };
}

function readMultipart(req: http.IncomingMessage): Promise<FakeMultipart> {
  return new Promise((resolve, reject) => {
    const out: FakeMultipart = { multipart: true, fields: {}, files: [] };
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => { out.fields[name] = value; });
    parser.on('file', (field, stream, info) => {
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      stream.on('end', () => out.files.push({ field, filename: info.filename ?? '', mimeType: info.mimeType, bytes }));
    });
    parser.on('close', () => resolve(out));
    parser.on('error', reject);
    req.pipe(parser);
  });
}

async function readRequest(req: http.IncomingMessage): Promise<FakeRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) };
  const token = req.headers['x-bot-token'];
  if (typeof token === 'string') request.botToken = token;
  if (typeof req.headers.authorization === 'string') request.authorization = req.headers.authorization;
  if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    request.body = await readMultipart(req);
    return request;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw) {
    try {
      request.body = JSON.parse(raw);
    } catch {
      request.body = raw;
    }
  }
  return request;
}

/** A stand-in for the service on 127.0.0.1 and a random port, reached by the real axios client. */
export async function startFakeApi(handler: FakeHandler = createCannedApi()): Promise<FakeApi> {
  let current = handler;
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    void readRequest(req).then((request) => {
      requests.push(request);
      const { status, body } = current(request);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    }, () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    respondWith: (h) => { current = h; },
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
