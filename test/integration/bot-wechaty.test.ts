/**
 * The WeChat bot end to end against the real service: the app (embedded store, temp dir) listens on 127.0.0.1, a
 * real Wechaty on wechaty-puppet-mock runs the bot's runtime as bots/main.ts starts it (startRuntime: adapter,
 * responder, axios clients, send queue, notifier, sent-notices file), and Mocker contacts talk to it. Nothing
 * between the two is faked.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { types, WechatyBuilder, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { loadBotConfig } from '../../bots/config';
import { startRuntime, type BotRuntime } from '../../bots/runtime';
import { buildTestApp, type TestApp } from '../helpers/app';
import { stationInput } from '../helpers/fixtures';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type MessageMock = ReturnType<mock.Mocker['MessageMock']['load']>;

const compoundBody = {
  name: '龙湖香醍漫步', city: 'chongqing', district: '渝北区', address: '金开大道 68 号', location: { lng: 106.5203, lat: 29.6312 },
  gates: [{ id: 'east', name: '东门' }], policy: { mode: 'manual', rules: { maxPassDays: 30 } },
};

describe('the WeChat bot against the real service (wechaty-puppet-mock)', () => {
  let t: TestApp;
  let server: http.Server;
  let dir: string;
  let mocker: mock.Mocker;
  let wechaty: Wechaty;
  let runtime: BotRuntime;
  let me: ContactMock;

  /** A contact whose messages from the bot are all recorded, in order. */
  function contact(name: string): ContactMock & { fromBot: string[] } {
    const c = Object.assign(mocker.createContact({ name }), { fromBot: [] as string[] });
    c.on('message', (m: MessageMock) => { if (m.payload.talkerId === me.id) c.fromBot.push(m.text() ?? ''); });
    return c;
  }

  /** The next message the bot sends to `who`. */
  function nextFromBot(who: ContactMock, match: (text: string) => boolean = () => true): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message from the bot within 5 s')), 5000);
      const listener = (m: MessageMock) => {
        if (m.payload.talkerId !== me.id || !match(m.text() ?? '')) return;
        clearTimeout(timer);
        who.off('message', listener);
        resolve(m.text() ?? '');
      };
      who.on('message', listener);
    });
  }

  beforeEach(async () => {
    t = await buildTestApp();
    server = http.createServer(t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-e2e-'));
    const config = loadBotConfig({
      API_BASE_URL: baseURL, BOT_TOKEN: t.config.botToken, BOT_DATA_DIR: dir, BOT_NOTIFY_POLL_MS: '100',
      BOT_SEND_GAP_MS: '0', BOT_SEND_PER_CONTACT_PER_MINUTE: '600', BOT_SEND_GLOBAL_PER_MINUTE: '6000',
    });
    mocker = new mock.Mocker();
    wechaty = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
    runtime = await startRuntime(wechaty, config, pino({ level: process.env.BOT_TEST_LOG ?? 'silent' }));
    await wechaty.start();
    me = mocker.createContact({ name: '暖新助手' });
    mocker.login(me);
  });

  afterEach(async () => {
    await runtime.stop();
    await wechaty.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a rider\'s 「驿站 解放碑」 and a location message with the stations the service has there', async () => {
    await t.storage.stations.create(stationInput({ name: '解放碑测试驿站' }), t.clock.now());
    await t.storage.stations.create(stationInput({ name: '沙坪坝测试驿站', location: { lng: 106.4541, lat: 29.5412 } }), t.clock.now());
    const rider = mocker.createContact({ name: '小王' });
    const reply = nextFromBot(rider);
    rider.say('驿站 解放碑').to(me);
    const text = await reply;
    expect(text).toMatch(/^解放碑附近.*暖新驿站：\n1\. 解放碑测试驿站 · \d+米/);
    expect(text).not.toContain('沙坪坝测试驿站');

    // A WeChat location (GCJ-02) near 沙坪坝: the mock puppet answers a fixed point in Beijing, so this one is set.
    jest.spyOn(mocker.puppet, 'messageLocation').mockResolvedValue({ accuracy: 15, address: '重庆市沙坪坝区', latitude: 29.5387, longitude: 106.4585, name: '沙坪坝' });
    const near = nextFromBot(rider);
    mocker.MessageMock.create({ id: 'loc-1', talkerId: rider.id, listenerId: me.id, timestamp: Date.now(), type: types.Message.Location } as never);
    mocker.puppet.emit('message', { messageId: 'loc-1' });
    expect(await near).toMatch(/^你附近.*暖新驿站：\n1\. 沙坪坝测试驿站 · \d+米/);
  });

  it('takes a rider\'s request in chat, tells the manager, and tells the rider of the approval made through the API', async () => {
    await t.http.post('/api/v1/compounds').set(t.admin).send(compoundBody).expect(201);
    const rider = contact('小王');
    const managerContact = contact('李经理');

    // The manager binds their WeChat to their account with a one-time code from the mini-program.
    const manager = await t.login('property_manager');
    const code = (await t.http.post('/api/v1/me/bot-bind-code').set(manager.headers).send({})).body.data.code as string;
    const bound = nextFromBot(managerContact);
    managerContact.say(`绑定 ${code}`).to(me);
    expect(await bound).toMatch(/^绑定成功/);

    // The rider asks in chat; the bot opens the rider's own account for the contact and requests as the rider.
    const toManager = nextFromBot(managerContact);
    const asked = nextFromBot(rider);
    rider.say('进小区 香醍').to(me);
    expect(await asked).toMatch(/^已向「龙湖香醍漫步」物业提交进入申请（\d+ 天），审批后我会发消息通知你。/);
    // A rider known only by a WeChat contact has no verified phone, which this compound's default rules ask for.
    expect(await toManager).toMatch(/^新的进小区申请：骑手小王申请进入「龙湖香醍漫步」\d+天。未满足的条件：需要已绑定手机号（当前：未认证）。发送「待审批」查看并处理。$/);

    // The manager approves through the API.
    const pending = await t.http.get('/api/v1/access-requests').query({ status: 'pending' }).set(manager.headers).expect(200);
    expect(pending.body.data).toEqual([expect.objectContaining({ compoundName: '龙湖香醍漫步', status: 'pending' })]);
    const requestId = pending.body.data[0].id as string;
    const toRider = nextFromBot(rider);
    await t.http.post(`/api/v1/access-requests/${requestId}/approve`).set(manager.headers).send({ durationDays: 7 }).expect(200);
    // The clock of the test app stands at 2026-11-25 12:00 (Beijing): a 7-day pass ends on 12月2日 12:00.
    expect(await toRider).toBe('你进入「龙湖香醍漫步」的申请已通过，通行证有效至12月2日 12:00。发送「我的通行码」获取进门码。');

    // Acknowledged after the sends: soon the outbox has nothing left for the bot, and nobody got a notice twice.
    const pendingForBot = async () => {
      const stats = await t.http.get('/api/v1/outbox/stats').set('X-Bot-Token', t.config.botToken).expect(200);
      const row = (stats.body.data as Array<{ consumer: string; ready: number; leased: number }>).find((r) => r.consumer === 'bot');
      return (row?.ready ?? 0) + (row?.leased ?? 0);
    };
    const end = Date.now() + 3000;
    while ((await pendingForBot()) > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await pendingForBot()).toBe(0);
    expect(rider.fromBot).toHaveLength(2);
    expect(managerContact.fromBot).toEqual([expect.stringMatching(/^绑定成功/), expect.stringMatching(/^新的进小区申请/)]);
  });
});
