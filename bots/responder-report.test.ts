import pino from 'pino';
import { createApiClient } from './api-client';
import { createResponder, type Sender } from './responder';
import type { BotInput } from './engine/types';
import { createCannedApi, startFakeApi, type FakeApi, type FakeMultipart } from './testing/fake-api-server';
import { createFakeWorld, type FakeWorld } from './testing/fake-world';
import { BOT_TOKEN } from './testing/fixtures';
import { JIEFANGBEI } from './testing/fixtures-flows';

describe('responder: 随手拍 against the fake service', () => {
  let api: FakeApi;
  let world: FakeWorld;
  beforeEach(async () => {
    world = createFakeWorld();
    api = await startFakeApi(createCannedApi(world));
  });
  afterEach(() => api.close());

  const now = new Date('2025-06-01T12:00:00+08:00');
  const bot = () => createResponder({
    api: createApiClient({ baseURL: api.baseURL, timeoutMs: 2000, botToken: BOT_TOKEN, clock: () => now }), log: pino({ level: 'silent' }), clock: () => now,
  });
  const dm: Sender = { contactId: 'wxid_rider', chat: 'private' };
  const send = (b: ReturnType<typeof bot>, input: BotInput | string) =>
    b.respond('wxid_rider', typeof input === 'string' ? { kind: 'text', text: input } : input, dm).then(([r]) => (typeof r === 'string' ? r : r?.text));
  const elsewhere = { kind: 'location' as const, lng: 106.5512, lat: 29.5633, address: '渝中区两路口' };

  it('files a report with its photo as multipart, as the rider', async () => {
    const b = bot();
    expect(await send(b, '上报')).toMatch(/^随手拍：这是什么隐患？/);
    expect(await send(b, '道路有个大坑')).toMatch(/^类别：道路坑洼。/);
    expect(await send(b, elsewhere)).toMatch(/^请拍一张照片/);
    expect(await send(b, { kind: 'image', bytes: Buffer.from('fake-jpeg-bytes'), mimeType: 'image/jpeg' })).toMatch(/^请确认上报：/);
    expect(await send(b, '确认')).toBe('已上报「道路坑洼」，已转给渝中区城管局。处理进展会发消息通知你；发「我的上报」查看。谢谢你！');
    const post = api.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/hazards');
    expect(post?.authorization).toBe('Bearer tok-wxid_rider-1');
    expect(post?.body).toEqual({
      multipart: true,
      fields: { category: 'pothole', description: '道路有个大坑', lng: '106.5512', lat: '29.5633', coordSys: 'gcj02', address: '渝中区两路口' },
      files: [{ field: 'photos', filename: 'photo.jpg', mimeType: 'image/jpeg', bytes: 15 }],
    } satisfies FakeMultipart);
    expect(api.requests.find((r) => r.path === '/api/v1/hazards/nearby')?.query).toEqual({ category: 'pothole', lng: '106.5512', lat: '29.5633', coordSys: 'gcj02' });
    expect(await send(b, '我的上报')).toMatch(/^你上报和关注的隐患：\n1\. 道路坑洼 · 已提交 · 0 人支持/);
  });

  it('sends a report without a photo as JSON', async () => {
    const b = bot();
    await send(b, '随手拍 路灯不亮');
    await send(b, elsewhere);
    await send(b, '跳过');
    await send(b, '确认');
    const post = api.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/hazards');
    expect(post?.body).toEqual({ category: 'streetlight', description: '路灯不亮', lng: 106.5512, lat: 29.5633, coordSys: 'gcj02', address: '渝中区两路口' });
  });

  it('supports the open report nearby instead of filing a duplicate', async () => {
    const b = bot();
    await send(b, '随手拍 井盖坏了');
    expect(await send(b, { kind: 'location', ...JIEFANGBEI })).toMatch(/^附近已有同类上报：「井盖缺失或破损」/);
    expect(await send(b, '1')).toBe('已支持这条上报（现在 3 人支持），处理进展会发消息通知你。');
    expect(world.hazards[0]?.supporters).toEqual(['rider-wxid_rider']);
    expect(api.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/hazards')).toBe(false);
  });

  it('reads the categories once and keeps them', async () => {
    const b = bot();
    await send(b, '上报');
    await send(b, '取消');
    await send(b, '上报');
    expect(api.requests.filter((r) => r.path === '/api/v1/hazard-categories')).toHaveLength(1);
  });

  it('lets the service refuse a report from a staff account', async () => {
    const b = bot();
    const staff: Sender = { contactId: 'wxid_op', chat: 'private' };
    const as = (input: BotInput | string) => b.respond('wxid_op', typeof input === 'string' ? { kind: 'text', text: input } : input, staff).then((r) => r[0]);
    await as('随手拍 路灯不亮');
    await as(elsewhere);
    await as('跳过');
    expect(await as('确认')).toBe('权限不足：需要骑手账号\n回复「确认」再试一次，或「取消」放弃。');
  });
});
