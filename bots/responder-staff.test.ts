import { createApiClient } from './api-client';
import type { BotLog } from './log';
import { createResponder, type Sender } from './responder';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';
import { BIND_CODE, BOT_TOKEN } from './testing/fixtures';

describe('responder: staff binding and recognition against the fake service', () => {
  let api: FakeApi;
  let logged: unknown[][];
  beforeEach(async () => {
    api = await startFakeApi();
    logged = [];
  });
  afterEach(() => api.close());

  const record = (...args: unknown[]) => void logged.push(args);
  const log = { debug: record, info: record, warn: record, error: record } as unknown as BotLog;
  const responder = (botToken: string | undefined = BOT_TOKEN, baseURL = api.baseURL) =>
    createResponder({ api: createApiClient({ baseURL, timeoutMs: 2000, botToken }), log });
  const text = (t: string) => ({ kind: 'text' as const, text: t });
  const dm: Sender = { contactId: 'wxid_zhang', chat: 'private' };
  const bindRequests = () => api.requests.filter((r) => r.path === '/api/v1/bot/bind');

  it('binds in a private chat with the talker as the contact, then recognises it', async () => {
    const bot = responder();
    expect(await bot.respond('wxid_zhang', text('绑定 k7m2-q9xa'), dm))
      .toEqual(['绑定成功：张师傅（驿站运营方，重庆）。以后在这里发消息，机器人会认出您。']);
    expect(await bot.respond('wxid_zhang', text('我是谁'), dm)).toEqual(['您是：张师傅（驿站运营方，重庆），管理 3 个驿站']);
    expect(bindRequests().map((r) => r.body)).toEqual([{ code: BIND_CODE, contactId: 'wxid_zhang' }]);
    expect(JSON.stringify(logged)).not.toContain(BIND_CODE);
  });

  it('says the code is used when it is sent again', async () => {
    const bot = responder();
    await bot.respond('wxid_zhang', text(`绑定 ${BIND_CODE}`), dm);
    expect(await bot.respond('wxid_wang', text(`绑定 ${BIND_CODE}`), { contactId: 'wxid_wang', chat: 'private' }))
      .toEqual(['绑定码已使用或已过期，请在小程序里重新生成']);
  });

  it('refuses a bind code in a room without calling the service', async () => {
    const reply = await responder().respond('room-1/wxid_zhang', text(`绑定 ${BIND_CODE}`), { contactId: 'wxid_zhang', chat: 'room' });
    expect(reply).toEqual(['请私聊机器人完成绑定，不要在群里发送绑定码']);
    expect(api.requests).toEqual([]);
  });

  it('tells an unbound contact that riders need no binding', async () => {
    expect(await responder().respond('wxid_rider', text('whoami'), { contactId: 'wxid_rider', chat: 'private' }))
      .toEqual(['您还没有绑定工作人员账号；骑手无需绑定，直接发送位置即可找驿站。']);
  });

  it('passes on the service message for an unknown code', async () => {
    expect(await responder().respond('wxid_zhang', text('绑定 ZZZZ9999'), dm)).toEqual(['绑定码不存在']);
  });

  it('blames the configuration when the service refuses the bot token, and logs it without the token', async () => {
    expect(await responder('wrong-token').respond('wxid_zhang', text(`绑定 ${BIND_CODE}`), dm)).toEqual(['机器人未正确配置，请联系管理员']);
    expect(logged).toEqual([[{ module: 'bot', status: 401, op: 'bind' }, 'service refused the bot token']]);
  });

  it('says staff binding is off when no bot token is configured', async () => {
    expect(await responder('').respond('wxid_zhang', text(`绑定 ${BIND_CODE}`), dm)).toEqual(['机器人暂未开通工作人员绑定，请联系管理员']);
    expect(api.requests).toEqual([]);
  });

  it('says the service is unavailable when it cannot be reached', async () => {
    const baseURL = api.baseURL;
    await api.close();
    api = await startFakeApi();
    expect(await responder(BOT_TOKEN, baseURL).respond('wxid_zhang', text('我是谁'), dm)).toEqual(['服务暂时不可用，请稍后再试']);
  });

  it('keeps the remembered location across a bind', async () => {
    const bot = responder();
    await bot.respond('wxid_zhang', { kind: 'location', lng: 106.5775, lat: 29.5582 }, dm);
    await bot.respond('wxid_zhang', text(`绑定 ${BIND_CODE}`), dm);
    expect((await bot.respond('wxid_zhang', text('商户'), dm))[0]).toMatch(/^你附近1公里内的优惠商户/);
  });
});
