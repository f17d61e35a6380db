import pino from 'pino';
import { createApiClient } from './api-client';
import { createResponder } from './responder';
import { createCannedApi, startFakeApi, type FakeApi } from './testing/fake-api-server';
import { createFakeWorld, type FakeWorld } from './testing/fake-world';
import { BIND_CODE, BOT_TOKEN } from './testing/fixtures';
import { GUARD_CONTACT, MANAGER_CONTACT, ONE_STATION_CONTACT, OPERATOR_CONTACT } from './testing/fixtures-flows';

describe('responder: staff act through the API as themselves, against the fake service', () => {
  let api: FakeApi;
  let world: FakeWorld;
  beforeEach(async () => {
    world = createFakeWorld();
    api = await startFakeApi(createCannedApi(world));
  });
  afterEach(() => api.close());

  const now = new Date('2025-06-01T12:00:00+08:00');
  let responder: ReturnType<typeof createResponder>;
  beforeEach(() => {
    const api2 = createApiClient({ baseURL: api.baseURL, timeoutMs: 2000, botToken: BOT_TOKEN, clock: () => now });
    responder = createResponder({ api: api2, log: pino({ level: 'silent' }), clock: () => now });
  });
  /** The reply text; a private-only reply (a staff list, a check, a code) shows as 'private: …'. */
  const say = (contactId: string, text: string) => responder.respond(contactId, { kind: 'text', text }, { contactId, chat: 'private' })
    .then(([r]) => (typeof r === 'string' ? r : `${r?.privateOnly ? 'private: ' : ''}${r?.text}`));
  const calls = (path: RegExp) => api.requests.filter((r) => path.test(r.path)).map((r) => [r.method, r.path, r.authorization, r.body]);

  it('an operator with one station reports seats with their own token', async () => {
    expect(await say(ONE_STATION_CONTACT, '空位 5')).toBe('已更新：【演示】解放碑暖新驿站 空位 5/10，骑手查询时马上能看到。');
    expect(calls(/^\/api\/v1\/(me|stations)/)).toEqual([
      ['GET', '/api/v1/me', 'Bearer tok-wxid_op1-1', undefined],
      ['PUT', '/api/v1/stations/st-1/occupancy', 'Bearer tok-wxid_op1-1', { available: 5 }],
    ]);
  });

  it('an operator with three stations picks one by number', async () => {
    expect(await say(OPERATOR_CONTACT, '暂停开放 停电检修')).toMatch(/^您管理多个驿站，是哪一个？\n1\. 【演示】解放碑暖新驿站（空位 3\/10）\n2\. /);
    expect(await say(OPERATOR_CONTACT, '3')).toBe('已设为暂停开放：【演示】洪崖洞暖新驿站（停电检修）。恢复时发「恢复开放」。');
    expect(calls(/\/status$/)).toEqual([['PUT', '/api/v1/stations/st-3/status', 'Bearer tok-wxid_op-1', { status: 'temporarily_closed', note: '停电检修' }]]);
  });

  it('a rider approved by a manager through the API then has a pass', async () => {
    await say('wxid_rider', '进小区 幸福里');
    await say('wxid_rider', '1');
    const list = await say(MANAGER_CONTACT, '待审批');
    expect(list).toMatch(/^private: 待审批的进入申请：\n1\. 小王，美团 138\*\*\*\*1234 申请进「【演示】渝中区幸福里」30 天：每天午高峰送餐\n2\. 骑手 申请进「【演示】渝中区幸福里」30 天\n/);
    expect(await say(MANAGER_CONTACT, '同意 2')).toBe('private: 已批准 骑手 进入「【演示】渝中区幸福里」，通行证 No.129 有效至7月1日。骑手会收到通知。');
    expect(calls(/^\/api\/v1\/access-requests\/.+\/approve$/)).toEqual([['POST', '/api/v1/access-requests/req-1/approve', 'Bearer tok-wxid_li-2', {}]]);
    expect(await say('wxid_rider', '我的通行码')).toMatch(/^private: 「【演示】渝中区幸福里」通行码：128 405 9371/);
  });

  it('a contact that binds as staff acts with a new session from then on, not the rider session it had', async () => {
    expect(await say('wxid_zhang', '空位 5')).toMatch(/^这是工作人员的命令。/);
    expect(await say('wxid_zhang', `绑定 ${BIND_CODE}`)).toMatch(/^绑定成功/);
    expect(await say('wxid_zhang', '空位 5')).toMatch(/^您管理多个驿站，是哪一个？/);
    expect(calls(/^\/api\/v1\/me$/).map((c) => c[2])).toEqual(['Bearer tok-wxid_zhang-1', 'Bearer tok-wxid_zhang-2']);
  });

  it('a rider cannot approve: the service refuses the rider\'s token', async () => {
    expect(await say('wxid_rider', '待审批')).toBe('只有小区物业或城市管理员可以审批进入申请。');
    expect(calls(/^\/api\/v1\/access-requests/)).toEqual([['GET', '/api/v1/access-requests', 'Bearer tok-wxid_rider-1', undefined]]);
  });

  it('a guard checks a rider\'s code at the gate chosen once', async () => {
    expect(await say(GUARD_CONTACT, '核验 128 405 9371')).toMatch(/^您在「【演示】渝中区幸福里」的哪个门？/);
    expect(await say(GUARD_CONTACT, '1')).toBe('private: 【演示】渝中区幸福里 东门：【允许进入】小李 饿了么 139****5678，通行证 No.128');
    expect(await say(GUARD_CONTACT, '128 405 9370')).toBe('private: 【演示】渝中区幸福里 东门：【不能进入】动态码不对或已过期，请让骑手刷新后重试');
    expect(calls(/^\/api\/v1\/gates\/verify$/)).toEqual([
      ['POST', '/api/v1/gates/verify', 'Bearer tok-wxid_guard-1', { compoundId: 'cp-1', gateId: 'east', code: '1284059371' }],
      ['POST', '/api/v1/gates/verify', 'Bearer tok-wxid_guard-1', { compoundId: 'cp-1', gateId: 'east', code: '1284059370' }],
    ]);
  });
});
