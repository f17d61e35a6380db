/**
 * The responder against the real service: the app (embedded store, temp dir) listens on 127.0.0.1 and the bot's
 * real axios client calls it, so every flow here runs through the service's own sessions, schemas and authorization.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../test/helpers/app';
import { stationInput } from '../test/helpers/fixtures';
import { createApiClient } from './api-client';
import type { BotInput } from './engine/types';
import { createResponder, type Responder } from './responder';

const compoundBody = {
  name: '龙湖香醍漫步', city: 'chongqing', district: '渝北区', address: '金开大道 68 号', location: { lng: 106.5203, lat: 29.6312 },
  gates: [{ id: 'east', name: '东门' }, { id: 'south', name: '南门' }], policy: { mode: 'manual', rules: { maxPassDays: 30 } },
};

describe('responder against the real service', () => {
  let t: TestApp;
  let server: http.Server;
  let bot: Responder;

  /** The text of the bot's reply to one message from a contact, in a private chat. */
  const say = async (contactId: string, input: BotInput | string): Promise<string> => {
    const message: BotInput = typeof input === 'string' ? { kind: 'text', text: input } : input;
    const [reply] = await bot.respond(contactId, message, { contactId, chat: 'private', name: contactId === 'rider' ? '小王' : contactId });
    return typeof reply === 'string' ? reply : (reply?.text ?? '');
  };
  /** Binds a contact to a demo staff account of the role, as staff do with a code from the mini-program. */
  const bind = async (role: string, contactId: string) => {
    const staff = await t.login(role);
    const code = (await t.http.post('/api/v1/me/bot-bind-code').set(staff.headers).send({})).body.data.code as string;
    expect(await say(contactId, `绑定 ${code}`)).toMatch(/^绑定成功/);
    return staff;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    await t.http.post('/api/v1/compounds').set(t.admin).send(compoundBody).expect(201);
    await t.storage.stations.create(stationInput({ name: '解放碑测试驿站' }), t.clock.now());
    await t.storage.stations.create(stationInput({ name: '较场口测试驿站', location: { lng: 106.5741, lat: 29.5513 } }), t.clock.now());
    server = http.createServer(t.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clock = () => t.clock.now();
    bot = createResponder({ api: createApiClient({ baseURL, timeoutMs: 5000, botToken: t.config.botToken, clock }), log: pino({ level: 'silent' }), clock });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('a rider asks to enter, the manager approves in chat, the guard checks the rider\'s code at the gate', async () => {
    expect(await say('rider', '进小区 香醍')).toMatch(/^已向「龙湖香醍漫步」物业提交进入申请（30 天），审批后我会发消息通知你。/);
    const manager = await bind('property_manager', 'manager');
    expect(await say('manager', '待审批')).toMatch(/^待审批的进入申请：\n1\. 小王 申请进「龙湖香醍漫步」30 天/);
    expect(await say('manager', '同意 1')).toMatch(/^已批准 小王 进入「龙湖香醍漫步」，通行证 No\.\d+ 有效至12月25日。/);

    const codeReply = await say('rider', '我的通行码');
    expect(codeReply).toMatch(/^「龙湖香醍漫步」通行码：[\d ]+（\d+ 秒后换新码，旧码仍可再用 30 秒）/);
    const code = /通行码：([\d ]+)（/.exec(codeReply)?.[1] as string;

    await bind('gate_guard', 'guard');
    expect(await say('guard', `核验 ${code}`)).toMatch(/^您在「龙湖香醍漫步」的哪个门？/);
    expect(await say('guard', '2')).toMatch(/^龙湖香醍漫步 南门：【允许进入】小王/);
    expect(await say('guard', code)).toMatch(/^龙湖香醍漫步 南门：【不能进入】此码已使用过/);

    const compoundId = (await t.http.get('/api/v1/compounds').query({ q: '香醍' })).body.data[0].id as string;
    const place = (await t.http.get(`/api/v1/compounds/${compoundId}/gates/east/place-code`).set(manager.headers)).body.data.code as string;
    expect(await say('rider', place.toLowerCase())).toMatch(/^「龙湖香醍漫步」（EAST 门）\n你已有「龙湖香醍漫步」的通行证 No\.\d+/);
  });

  it('an operator reports seats for the station they pick, and riders see them', async () => {
    await bind('station_operator', 'operator');
    expect(await say('operator', '空位 4')).toMatch(/^您管理多个驿站，是哪一个？\n1\. (解放碑|较场口)测试驿站/);
    expect(await say('operator', '1')).toMatch(/^已更新：(解放碑|较场口)测试驿站 空位 4\/10，骑手查询时马上能看到。/);
    expect(await say('operator', '暂停开放 停水')).toMatch(/^您管理多个驿站/);
    expect(await say('operator', '2')).toMatch(/^已设为暂停开放：.*（停水）/);
    expect(await say('someone', '驿站 解放碑')).toMatch(/空位 4\/10/);
  });

  it('files a hazard report with a photo, and a second rider supports it instead of repeating it', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
    const spot = { kind: 'location' as const, lng: 106.5775, lat: 29.5582, address: '民族路 188 号' };
    expect(await say('reporter', '随手拍 井盖坏了')).toMatch(/^类别：井盖缺失或破损。/);
    expect(await say('reporter', spot)).toMatch(/^请拍一张照片/);
    expect(await say('reporter', { kind: 'image', bytes: jpeg, mimeType: 'image/jpeg' })).toMatch(/^请确认上报：[\s\S]*照片：1 张/);
    expect(await say('reporter', '确认')).toMatch(/^已上报「井盖缺失或破损」/);
    const mine = (await t.http.get('/api/v1/hazards/nearby').query({ category: 'manhole', lng: '106.5775', lat: '29.5582', coordSys: 'gcj02' })).body.data;
    expect(mine).toHaveLength(1);
    expect(mine[0].photos).toHaveLength(1);

    await say('second', '上报');
    await say('second', '1');
    expect(await say('second', spot)).toMatch(/^附近已有同类上报：「井盖缺失或破损」民族路 188 号/);
    expect(await say('second', '1')).toBe('已支持这条上报（现在 1 人支持），处理进展会发消息通知你。');
    expect(await say('second', '我的上报')).toMatch(/^你上报和关注的隐患：\n1\. 井盖缺失或破损 · 已提交 · 1 人支持/);
  });

  it('a rider\'s staff command is refused by what the service says the rider is', async () => {
    expect(await say('rider2', '空位 5')).toBe('这是工作人员的命令。工作人员请先在小程序生成绑定码，再私聊我发送「绑定 绑定码」。');
    expect(await say('rider2', '待审批')).toBe('只有小区物业或城市管理员可以审批进入申请。');
  });
});
