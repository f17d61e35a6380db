import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { types, WechatyBuilder, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createApiClient } from './api-client';
import { UNAVAILABLE_MESSAGE } from './api-error';
import type { Responder } from './responder';
import { createSendQueue, type SendQueue } from './send-queue';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';
import { BIND_CODE, BOT_TOKEN } from './testing/fixtures';
import { PRIVATE_ONLY_IN_ROOM, roomSafeText } from './reply';
import { attachBot, type AttachedBot, type AttachOptions } from './wechaty-adapter';

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
  let queue: SendQueue;

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

  async function until(done: () => boolean, ms = 3000) {
    const end = Date.now() + ms;
    while (!done()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Delivers a message the way a puppet does: payload stored, then a 'message' event with its id. */
  function deliver(payload: Record<string, unknown> & { id: string }) {
    mocker.MessageMock.create({ talkerId: rider.id, listenerId: me.id, timestamp: Date.now(), type: types.Message.Text, ...payload } as never);
    mocker.puppet.emit('message', { messageId: payload.id });
  }

  /** A Wechaty on the mock puppet with the bot attached (the real responder unless `options` names one). */
  async function start(options: Partial<AttachOptions> = {}) {
    mocker = new mock.Mocker();
    wechaty = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
    startedAt = new Date();
    queue = createSendQueue({ minGapMs: 0, perChat: 100, global: 100 });
    bot = attachBot(wechaty, {
      api: createApiClient({ baseURL: api.baseURL, timeoutMs: 300, botToken: BOT_TOKEN }),
      log: pino({ level: process.env.BOT_TEST_LOG ?? 'silent' }), startedAt, queue, ...options,
    });
    await wechaty.start();
    me = mocker.createContact({ name: '暖新助手' });
    rider = mocker.createContact({ name: '小王' });
    mocker.login(me);
  }

  beforeEach(async () => {
    api = await startFakeApi();
    await start();
  });

  afterEach(async () => {
    bot.detach();
    await bot.idle();
    await queue.close();
    await wechaty.stop();
    await api.close();
  });

  it('answers "驿站 解放碑" in a private chat with the nearest stations', async () => {
    const reply = nextReply(rider);
    rider.say('驿站 解放碑').to(me);
    // Today's hours depend on the time the test runs; their wording is the engine's own test (bots/engine/hours.test.ts).
    const text = (await reply).text() ?? '';
    expect(text.split('\n')[0]).toBe('解放碑附近1公里内的暖新驿站：');
    expect(text).toMatch(/^1\. 【演示】解放碑暖新驿站 · 230米 · .+ · 空位 3\/10\n {3}渝中区民族路1号 · 热水 充电 卫生间\n {3}地图 https:\/\/uri\.amap\.com\/marker\?position=106\.5781,29\.5576&/m);
    expect(text).toContain('3. 【演示】洪崖洞暖新驿站 · 480米 · 暂停开放：设备检修，6月3日恢复');
    expect(api.requests).toEqual([
      { method: 'GET', path: '/api/v1/stations/nearby', query: { coordSys: 'gcj02', place: '解放碑', limit: '15' } },
      { method: 'GET', path: '/api/v1/stations/st-2', query: { coordSys: 'gcj02' } },
    ]);
  });

  it('answers a location message with stations there, then "吃饭" with restaurants at the same spot', async () => {
    // PuppetMock.messageLocation() always answers one point in Beijing, which the bot refuses (outside both cities):
    // this puppet instance answers a point at 解放碑 instead.
    const mocked = { accuracy: 15, address: '重庆市渝中区民族路', latitude: 29.5582, longitude: 106.5775, name: '解放碑' };
    jest.spyOn(mocker.puppet, 'messageLocation').mockResolvedValue(mocked);
    let reply = nextReply(rider);
    deliver({ id: 'loc-1', type: types.Message.Location });
    expect((await reply).text()).toMatch(/^你附近1公里内的暖新驿站：\n1\. 【演示】解放碑暖新驿站/);

    reply = nextReply(rider);
    rider.say('吃饭').to(me);
    expect((await reply).text()).toMatch(/^你附近1公里内的餐饮优惠商户：\n1\. 【演示】老街小面 · 150米 · .+\n {3}【餐饮】骑手9折/);

    const point = { lng: String(mocked.longitude), lat: String(mocked.latitude), coordSys: 'gcj02' };
    expect(api.requests).toEqual([
      { method: 'GET', path: '/api/v1/stations/nearby', query: { ...point, limit: '15' } },
      { method: 'GET', path: '/api/v1/stations/st-2', query: { coordSys: 'gcj02' } },
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

  it('answers 服务暂时不可用 when the API is down or too slow, and keeps answering', async () => {
    await api.close();
    let reply = nextReply(rider);
    rider.say('驿站 解放碑').to(me);
    expect((await reply).text()).toBe(UNAVAILABLE_MESSAGE);

    // A service that accepts the connection and never answers: the client gives up after its timeout (300 ms here).
    api = await startFakeApi();
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    await restartWith({ api: createApiClient({ baseURL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, timeoutMs: 300 }) });
    reply = nextReply(rider);
    rider.say('驿站 沙坪坝').to(me);
    expect((await reply).text()).toBe(UNAVAILABLE_MESSAGE);
    reply = nextReply(rider);
    rider.say('帮助').to(me);
    expect((await reply).text()).toContain('驿站');
    hanging.closeAllConnections();
    hanging.close();
  });

  it('answers 服务暂时不可用 when the responder itself fails', async () => {
    await restartWith({ responder: { respond: () => Promise.reject(new Error('bug')) } });
    const reply = nextReply(rider);
    rider.say('驿站 解放碑').to(me);
    expect((await reply).text()).toBe(UNAVAILABLE_MESSAGE);
  });

  it('never sends a private-only reply to a room, and sends it in private', async () => {
    const responder: Responder = { respond: async () => ['公开的话', { text: '通行码 123456', privateOnly: true }] as never };
    await restartWith({ responder });
    const room = mocker.createRoom({ topic: '沙坪坝骑手群', memberIdList: [me.id, rider.id] });
    const inRoom: string[] = [];
    room.on('message', (m: MessageMock) => { if (m.payload.talkerId === me.id) inRoom.push(m.text() ?? ''); });
    rider.say(`@${me.payload.name} 我的通行码`, [me]).to(room);
    await until(() => inRoom.length === 2);
    expect(inRoom).toEqual(['@小王 公开的话', `@小王 ${PRIVATE_ONLY_IN_ROOM}`]);

    const reply = nextReply(rider);
    rider.say('我的通行码').to(me);
    expect((await reply).text()).toBe('公开的话');
    expect((await nextReply(rider)).text()).toBe('通行码 123456');
  });

  it('sends a notice to a contact by id through the queue, and says false for a contact it does not have', async () => {
    const reply = nextReply(rider);
    await expect(bot.sendToContact(rider.id, '您的进小区申请已通过')).resolves.toBe(true);
    expect((await reply).text()).toBe('您的进小区申请已通过');
    await expect(bot.sendToContact('wxid_nobody', '你好')).resolves.toBe(false);
  });

  it('hands the responder a private photo as its bytes, with the sender\'s id and WeChat name, and ignores a photo in a room', async () => {
    const seen: Array<{ input: unknown; sender: unknown }> = [];
    await restartWith({ responder: { respond: async (_id, input, sender) => { seen.push({ input, sender }); return ['收到照片']; } } });
    const reply = nextReply(rider);
    const room = mocker.createRoom({ topic: '沙坪坝骑手群', memberIdList: [me.id, rider.id] });
    mocker.MessageMock.create({ id: 'room-photo', talkerId: rider.id, roomId: room.id, timestamp: Date.now(), type: types.Message.Image } as never);
    mocker.puppet.emit('message', { messageId: 'room-photo' });
    deliver({ id: 'photo-1', type: types.Message.Image });
    expect((await reply).text()).toBe('收到照片');
    await bot.idle();
    expect(seen).toHaveLength(1);
    const { input, sender } = seen[0] as { input: { kind: string; bytes: Uint8Array; mimeType?: string }; sender: unknown };
    // The mock puppet's picture is a PNG it draws; a real puppet gives the photo the rider took.
    expect(input.kind).toBe('image');
    expect(Buffer.from(input.bytes).subarray(1, 4).toString()).toBe('PNG');
    expect(input.mimeType).toBe('image/png');
    expect(sender).toEqual({ contactId: rider.id, chat: 'private', name: '小王' });
  });

  /** Stops this test's bot and starts another on a fresh mock puppet with `options`. */
  async function restartWith(options: Partial<AttachOptions>) {
    bot.detach();
    await bot.idle();
    await queue.close();
    await wechaty.stop();
    await start(options);
  }
});

describe('roomSafeText', () => {
  it.each([
    ['plain text anywhere', '你好', true, '你好'],
    ['a private-only reply in private', { text: '通行码 1', privateOnly: true }, false, '通行码 1'],
    ['a private-only reply in a room', { text: '通行码 1', privateOnly: true }, true, PRIVATE_ONLY_IN_ROOM],
    ['a public reply object in a room', { text: '附近驿站' }, true, '附近驿站'],
  ])('%s', (_name, reply, inRoom, expected) => {
    expect(roomSafeText(reply, inRoom)).toBe(expected);
  });
});
