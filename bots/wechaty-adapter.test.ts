import pino from 'pino';
import { types, WechatyBuilder, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createApiClient } from './api-client';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';
import { BIND_CODE, BOT_TOKEN } from './testing/fixtures';
import { attachBot, type AttachedBot } from './wechaty-adapter';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type MessageMock = ReturnType<mock.Mocker['MessageMock']['load']>;

/**
 * End to end through a real Wechaty driven offline by wechaty-puppet-mock's Mocker: rider messages go in through the
 * puppet, the bot calls the real API client against a fake service on 127.0.0.1, and the replies the puppet was asked
 * to send are read back from the mock contacts.
 */
describe('wechaty bot, end to end with wechaty-puppet-mock', () => {
  let api: FakeApi;
  let mocker: mock.Mocker;
  let wechaty: Wechaty;
  let bot: AttachedBot;
  let me: ContactMock;
  let rider: ContactMock;
  let startedAt: Date;

  /** Resolves with the next message the bot sends that `who` receives (in a chat with the bot, or in a room). */
  function nextReply(who: { on(e: 'message', f: (m: MessageMock) => void): unknown; off(e: 'message', f: (m: MessageMock) => void): unknown }): Promise<MessageMock> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply from the bot within 5 s')), 5000);
      const listener = (m: MessageMock) => {
        if (m.payload.talkerId !== me.id) return;
        clearTimeout(timer);
        who.off('message', listener);
        resolve(m);
      };
      who.on('message', listener);
    });
  }

  /** Delivers a message the way a puppet does: payload stored, then a 'message' event with its id. */
  function deliver(payload: Record<string, unknown> & { id: string }) {
    mocker.MessageMock.create({ talkerId: rider.id, listenerId: me.id, timestamp: Date.now(), type: types.Message.Text, ...payload } as never);
    mocker.puppet.emit('message', { messageId: payload.id });
  }

  beforeEach(async () => {
    api = await startFakeApi();
    mocker = new mock.Mocker();
    wechaty = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
    startedAt = new Date();
    bot = attachBot(wechaty, {
      api: createApiClient({ baseURL: api.baseURL, timeoutMs: 2000, botToken: BOT_TOKEN }), log: pino({ level: process.env.BOT_TEST_LOG ?? 'silent' }), startedAt, sendGapMs: 0,
    });
    await wechaty.start();
    me = mocker.createContact({ name: '暖新助手' });
    rider = mocker.createContact({ name: '小王' });
    mocker.login(me);
  });

  afterEach(async () => {
    bot.detach();
    await bot.idle();
    await wechaty.stop();
    await api.close();
  });

  it('answers "驿站 解放碑" in a private chat with the nearest stations', async () => {
    const reply = nextReply(rider);
    rider.say('驿站 解放碑').to(me);
    expect((await reply).text()).toBe([
      '解放碑附近1公里内的暖新驿站：',
      '1. 【演示】解放碑暖新驿站 · 230米 · 营业中 · 空位 3/10',
      '   渝中区民族路1号 · 热水 充电 卫生间',
      '2. 【演示】较场口暖新驿站 · 1.3公里 · 现在未开放 · 空位未知',
      '   渝中区较场口88号',
      '3. 【演示】洪崖洞暖新驿站 · 480米 · 暂停开放：设备检修，6月3日恢复',
      '   渝中区嘉陵江滨江路88号 · 微波炉',
      '发送「商户」看附近的骑手优惠',
    ].join('\n'));
    expect(api.requests).toEqual([{ method: 'GET', path: '/api/v1/stations/nearby', query: { coordSys: 'gcj02', place: '解放碑', limit: '5' } }]);
  });

  it('answers a location message with stations there, then "吃饭" with restaurants at the same spot', async () => {
    // PuppetMock.messageLocation() always returns the same fixed point, so that is what the bot must send on.
    const mocked = await mocker.puppet.messageLocation('any');
    let reply = nextReply(rider);
    deliver({ id: 'loc-1', type: types.Message.Location });
    expect((await reply).text()).toMatch(/^你附近1公里内的暖新驿站：\n1\. 【演示】解放碑暖新驿站/);

    reply = nextReply(rider);
    rider.say('吃饭').to(me);
    expect((await reply).text()).toMatch(/^你附近1公里内的餐饮优惠商户：\n1\. 【演示】老街小面 · 150米 · 营业中\n {3}【餐饮】骑手9折/);

    const point = { lng: String(mocked.longitude), lat: String(mocked.latitude), coordSys: 'gcj02' };
    expect(api.requests).toEqual([
      { method: 'GET', path: '/api/v1/stations/nearby', query: { ...point, limit: '5' } },
      { method: 'GET', path: '/api/v1/merchants/nearby', query: { ...point, limit: '5', category: '餐饮' } },
    ]);
  });

  it('in a room answers only when mentioned, with an @ to the asker', async () => {
    const room = mocker.createRoom({ topic: '沙坪坝骑手群', memberIdList: [me.id, rider.id] });
    const reply = nextReply(room);
    rider.say('驿站 解放碑').to(room);
    rider.say(`@${me.payload.name} 驿站 沙坪坝`, [me]).to(room);
    const text = (await reply).text() ?? '';
    expect(text.startsWith('@小王 沙坪坝附近1公里内的暖新驿站：\n')).toBe(true);
    expect(api.requests.map((r) => r.query.place)).toEqual(['沙坪坝']);
  });

  it('refuses a bind code in a room without calling the service, then binds it in private with the talker id', async () => {
    const room = mocker.createRoom({ topic: '沙坪坝骑手群', memberIdList: [me.id, rider.id] });
    const refused = nextReply(room);
    rider.say(`@${me.payload.name} 绑定 ${BIND_CODE}`, [me]).to(room);
    expect((await refused).text()).toBe('@小王 请私聊机器人完成绑定，不要在群里发送绑定码');
    expect(api.requests).toEqual([]);

    let reply = nextReply(rider);
    rider.say(`绑定 ${BIND_CODE}`).to(me);
    expect((await reply).text()).toBe('绑定成功：张师傅（驿站运营方，重庆）。以后在这里发消息，机器人会认出您。');
    expect(api.requests).toEqual([
      { method: 'POST', path: '/api/v1/bot/bind', query: {}, body: { code: BIND_CODE, contactId: rider.id }, botToken: BOT_TOKEN },
    ]);

    reply = nextReply(rider);
    rider.say('我是谁').to(me);
    expect((await reply).text()).toBe('您是：张师傅（驿站运营方，重庆），管理 3 个驿站');
    expect(api.requests[1]).toMatchObject({ method: 'GET', path: `/api/v1/bot/contacts/${encodeURIComponent(rider.id)}` });
  });

  it('ignores its own messages, messages from before it started, and duplicates', async () => {
    me.say('驿站 洪崖洞').to(rider); // the bot account's own message, as when someone uses the phone it runs on
    const reply = nextReply(rider);
    deliver({ id: 'old-1', text: '驿站 朝天门', timestamp: startedAt.getTime() - 60_000 });
    deliver({ id: 'dup-1', text: '驿站 较场口' });
    mocker.puppet.emit('message', { messageId: 'dup-1' });
    await reply;
    rider.say('帮助').to(me); // answered without the API: proves the queue moved on past every ignored message
    await nextReply(rider);
    await bot.idle();
    expect(api.requests.map((r) => r.query.place)).toEqual(['较场口']);
  });
});
