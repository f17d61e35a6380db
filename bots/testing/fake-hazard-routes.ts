import fs from 'node:fs';
import path from 'node:path';
import type { FakeMultipart, FakeRequest, FakeResponse } from './fake-types';
import { fakeError, ok, type FakeUser, type FakeWorld } from './fake-world';
import { JIEFANGBEI } from './fixtures-flows';

// Read, not imported: a JSON import would make the build emit dist/config/, where the service would then look for its config.
const categories = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/hazard-categories.json'), 'utf8')) as Array<{ code: string; name: string }>;

type Row = FakeWorld['hazards'][number];
const view = ({ reporterId: _r, supporters: _s, ...h }: Row) => h;
const near = (lng: number, lat: number) => Math.abs(lng - JIEFANGBEI.lng) < 0.001 && Math.abs(lat - JIEFANGBEI.lat) < 0.001;

/** GET /api/v1/hazard-categories (the service's real configuration) and /api/v1/hazards/nearby, public. */
export function fakeHazardPublic(world: FakeWorld, req: FakeRequest): FakeResponse | null {
  if (req.method !== 'GET') return null;
  if (req.path === '/api/v1/hazard-categories') return ok(categories);
  if (req.path !== '/api/v1/hazards/nearby') return null;
  const { category, lng, lat } = req.query;
  const open = world.hazards.filter((h) => h.category === category && h.status === 'submitted' && near(Number(lng), Number(lat)));
  return ok(open.map(view));
}

function fieldsOf(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>;
  return b.multipart === true ? (b as unknown as FakeMultipart).fields : b;
}

function create(world: FakeWorld, req: FakeRequest, riderId: string): FakeResponse {
  const f = fieldsOf(req.body);
  const category = categories.find((c) => c.code === f.category);
  if (!category) return fakeError(422, '参数 category 有误：未知的类别');
  if (Number(f.lng) < 100) return fakeError(422, '位置（1, 2）不在重庆市服务范围内', [{ field: 'location' }]);
  const photos = (req.body as FakeMultipart | undefined)?.multipart ? (req.body as FakeMultipart).files.length : 0;
  const row: Row = {
    id: `hz-${world.hazards.length + 1}`, category: category.code, categoryName: category.name, description: String(f.description),
    address: typeof f.address === 'string' ? f.address : null, status: 'submitted', statusName: '已提交', supportCount: 0,
    route: { bodyName: '渝中区城管局', why: '' }, rejectReason: null, createdAt: '2025-06-01T04:00:00.000Z', reporterId: riderId, supporters: [],
  };
  world.hazards.push(row);
  return ok({ ...view(row), photos: Array.from({ length: photos }, (_, i) => ({ url: `/api/v1/hazards/${row.id}/photos/${i + 1}` })) }, 201);
}

/** A rider's report routes: create (JSON or multipart), support, and the rider's own list. */
export function fakeHazardRoutes(world: FakeWorld, req: FakeRequest, user: FakeUser): FakeResponse | null {
  const support = /^\/api\/v1\/hazards\/([^/]+)\/support$/.exec(req.path);
  const mine = req.method === 'GET' && req.path === '/api/v1/me/hazards';
  if (!(req.method === 'POST' && (req.path === '/api/v1/hazards' || support)) && !mine) return null;
  if (user.kind !== 'rider') return fakeError(403, '权限不足：需要骑手账号');
  if (mine) return { status: 200, body: { data: world.hazards.filter((h) => h.reporterId === user.id || h.supporters.includes(user.id)).map(view), meta: { next: null } } };
  if (!support) return create(world, req, user.id);
  const h = world.hazards.find((x) => x.id === support[1]);
  if (!h) return fakeError(404, '上报不存在');
  if (h.reporterId === user.id) return fakeError(409, '这是你自己的上报，不用再支持');
  if (!h.supporters.includes(user.id)) Object.assign(h, { supporters: [...h.supporters, user.id], supportCount: h.supportCount + 1 });
  return ok(view(h));
}
