import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeBotRoutes } from './fake-bot-routes';
import { MERCHANTS, STATIONS } from './fixtures';

export type { FakeHandler, FakeRequest, FakeResponse } from './fake-types';
import type { FakeHandler, FakeRequest, FakeResponse } from './fake-types';

export interface FakeApi {
  baseURL: string;
  /** Every request received, oldest first. */
  requests: FakeRequest[];
  /** Replaces the canned behaviour for the following requests. */
  respondWith(handler: FakeHandler): void;
  close(): Promise<void>;
}

const error = (status: number, message: string, details?: unknown): FakeResponse =>
  ({ status, body: { error: { status, code: status === 404 ? 'not_found' : 'invalid_request', message, details } } });

/**
 * The canned nearby search: '沙平坝' is a typo with a suggestion, '火星' and bare words are unknown, '荒郊' has nothing
 * nearby; any other place or point gets the fixtures.
 */
export const cannedNearby: FakeHandler = ({ path, query }) => {
  const place = query.place;
  if (place === '沙平坝') return error(404, '未找到地点「沙平坝」', { field: 'place', suggestions: ['沙坪坝区（重庆）', '沙坪坝（重庆）'] });
  if (place !== undefined && /火星|哈哈|天气/.test(place)) return error(404, `未找到地点「${place}」`, { field: 'place', suggestions: [] });
  const meta = { coordSys: 'gcj02', radius: Number(query.radius ?? 1000), place: place ? { name: place, city: 'chongqing' } : null };
  const data = place === '荒郊' ? [] : path === '/api/v1/stations/nearby' ? STATIONS : path === '/api/v1/merchants/nearby' ? MERCHANTS : null;
  if (!data) return error(404, '未找到');
  return { status: 200, body: { data, meta: { ...meta, count: data.length } } };
};

/** The whole canned service, with its own staff-binding state: nearby search plus the bot routes (fake-bot-routes). */
export function createCannedApi(): FakeHandler {
  const bot = createFakeBotRoutes();
  return (req) => (req.path.startsWith('/api/v1/bot/') ? bot(req) : cannedNearby(req));
}

async function readRequest(req: http.IncomingMessage): Promise<FakeRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) };
  const token = req.headers['x-bot-token'];
  if (typeof token === 'string') request.botToken = token;
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
