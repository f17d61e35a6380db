import pino from 'pino';
import { createApiClient } from './api-client';
import { createResponder, type Sender } from './responder';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';

describe('responder: engine + real api client + fake service', () => {
  let api: FakeApi;
  let now: Date;
  beforeEach(async () => {
    api = await startFakeApi();
    now = new Date('2025-06-01T12:00:00+08:00');
  });
  afterEach(() => api.close());

  const responder = (baseURL = api.baseURL) => createResponder({
    api: createApiClient({ baseURL, timeoutMs: 2000 }), log: pino({ level: 'silent' }), clock: () => now,
  });
  const text = (t: string) => ({ kind: 'text' as const, text: t });
  const dm = (contactId: string): Sender => ({ contactId, chat: 'private' });

  it('answers a location with stations, then "商户" with merchants at the same spot', async () => {
    const bot = responder();
    const [stations] = await bot.respond('rider-1', { kind: 'location', lng: 106.5775, lat: 29.5582 }, dm('rider-1'));
    expect(stations).toMatch(/^你附近1公里内的暖新驿站：\n1\. 【演示】解放碑暖新驿站 · 230米 · 营业至22:00 · 空位 3\/10\n/);
    expect(stations).toContain('2. 【演示】较场口暖新驿站 · 1.3公里 · 今日休息，明天8:00开门\n');
    now = new Date(now.getTime() + 5 * 60_000);
    const [merchants] = await bot.respond('rider-1', text('商户'), dm('rider-1'));
    expect(merchants).toMatch(/^你附近1公里内的优惠商户：\n1\. 【演示】老街小面/);
    expect(api.requests.map((r) => [r.path, r.query.lng, r.query.lat, r.query.limit])).toEqual([
      ['/api/v1/stations/nearby', '106.5775', '29.5582', '15'],
      ['/api/v1/stations/st-2', undefined, undefined, undefined],
      ['/api/v1/merchants/nearby', '106.5775', '29.5582', '5'],
    ]);
  });

  it('takes one turn at a time per conversation, so "商户" sent right after a location still finds it', async () => {
    const bot = responder();
    const [stations, merchants] = await Promise.all([
      bot.respond('rider-1', { kind: 'location', lng: 106.5775, lat: 29.5582 }, dm('rider-1')),
      bot.respond('rider-1', text('商户'), dm('rider-1')),
    ]);
    expect(stations?.[0]).toMatch(/^你附近1公里内的暖新驿站/);
    expect(merchants?.[0]).toMatch(/^你附近1公里内的优惠商户/);
  });

  it('keeps conversations apart', async () => {
    const bot = responder();
    await bot.respond('rider-1', { kind: 'location', lng: 106.5775, lat: 29.5582 }, dm('rider-1'));
    expect(await bot.respond('rider-2', text('商户'), dm('rider-2'))).toEqual(['请先发送你的位置（「+」→「位置」），或带上地名，如「春熙路 优惠」。']);
  });

  it('answers a mistyped place with suggestions and does not remember it', async () => {
    const bot = responder();
    const [reply] = await bot.respond('rider-1', text('驿站 沙平坝'), dm('rider-1'));
    expect(reply).toContain('你是不是要找：沙坪坝区（重庆）');
    expect(await bot.respond('rider-1', text('商户'), dm('rider-1'))).toEqual(['请先发送你的位置（「+」→「位置」），或带上地名，如「春熙路 优惠」。']);
  });

  it('answers with the hint when a bare word turns out not to be a place', async () => {
    const [reply] = await responder().respond('rider-1', text('天气真好啊'), dm('rider-1'));
    expect(reply).toMatch(/^没看懂呢/);
  });

  it('answers help without calling the service', async () => {
    const [reply] = await responder().respond('rider-1', text('帮助'), dm('rider-1'));
    expect(reply).toMatch(/^暖新助手/);
    expect(api.requests).toEqual([]);
  });

  it('says the service is unavailable when it cannot be reached', async () => {
    const baseURL = api.baseURL;
    await api.close();
    api = await startFakeApi();
    expect(await responder(baseURL).respond('rider-1', text('驿站 解放碑'), dm('rider-1'))).toEqual(['服务暂时不可用，请稍后再试']);
  });
});
