import pino from 'pino';
import { createApiClient } from './api-client';
import { createResponder, type Sender } from './responder';
import { createCannedApi, startFakeApi, type FakeApi } from './testing/fake-api-server';
import { createFakeWorld, type FakeWorld } from './testing/fake-world';
import { BOT_TOKEN } from './testing/fixtures';
import { PASS_HOLDER_CONTACT } from './testing/fixtures-flows';

describe('responder: compound access as the sender, against the fake service', () => {
  let api: FakeApi;
  let world: FakeWorld;
  let now: Date;
  beforeEach(async () => {
    world = createFakeWorld();
    api = await startFakeApi(createCannedApi(world));
    now = new Date('2025-06-01T12:00:00+08:00');
  });
  afterEach(() => api.close());

  const clock = () => now;
  const responder = (botToken: string | undefined = BOT_TOKEN) => createResponder({
    api: createApiClient({ baseURL: api.baseURL, timeoutMs: 2000, botToken, clock }), log: pino({ level: 'silent' }), clock,
  });
  const dm = (contactId: string, name?: string): Sender => ({ contactId, chat: 'private', ...(name ? { name } : {}) });
  /** The reply texts; a private-only reply shows as 'private: …'. */
  const say = (bot: ReturnType<typeof responder>, contactId: string, text: string) => bot.respond(contactId, { kind: 'text', text }, dm(contactId, '小李'))
    .then((rs) => rs.map((r) => (typeof r === 'string' ? r : `${r.privateOnly ? 'private: ' : ''}${r.text}`)));
  const userCalls = () => api.requests.filter((r) => !r.path.startsWith('/api/v1/bot/') && r.authorization);

  it('finds the compound, asks which, and requests access with the rider\'s own token', async () => {
    const bot = responder();
    const [choices] = await say(bot, 'wxid_rider', '进小区 幸福里');
    expect(choices).toMatch(/^找到多个小区，是哪一个？\n1\. 【演示】渝中区幸福里/);
    expect(await say(bot, 'wxid_rider', '1')).toEqual(['private: 已向「【演示】渝中区幸福里」物业提交进入申请（30 天），审批后我会发消息通知你。']);
    const sessions = api.requests.filter((r) => r.path === '/api/v1/bot/sessions');
    expect(sessions).toEqual([{ method: 'POST', path: '/api/v1/bot/sessions', query: {}, body: { contactId: 'wxid_rider', name: '小李' }, botToken: BOT_TOKEN }]);
    // The bearer token is the rider's; X-Bot-Token rides along only for the service's rate-limit accounting.
    expect(userCalls().map((r) => [r.method, r.path, r.authorization, r.botToken, r.body])).toEqual([
      ['POST', '/api/v1/access-requests', 'Bearer tok-wxid_rider-1', BOT_TOKEN, { compoundId: 'cp-1' }],
    ]);
    expect(world.requests.at(-1)).toMatchObject({ compoundId: 'cp-1', riderId: 'rider-wxid_rider', status: 'pending' });
  });

  it('shows the current code of a pass holder, and the pass for the gate\'s place code', async () => {
    const bot = responder();
    expect(await say(bot, PASS_HOLDER_CONTACT, '我的通行码')).toEqual([
      'private: 「【演示】渝中区幸福里」通行码：128 405 9371（17 秒后换新码，旧码仍可再用 30 秒）\n请把通行码给门岗看；过期了再发「我的通行码」。',
    ]);
    const [scan] = await say(bot, PASS_HOLDER_CONTACT, 'K3M9P7QX-EAST');
    expect(scan).toMatch(/^private: 「【演示】渝中区幸福里」（EAST 门）\n你已有「【演示】渝中区幸福里」的通行证 No\.128，有效至7月1日。/);
    expect(userCalls().map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/me/passes', 'GET /api/v1/me/passes/pass-1/code', 'POST /api/v1/place-codes/scan',
    ]);
    expect(api.requests.filter((r) => r.path === '/api/v1/bot/sessions')).toHaveLength(1);
  });

  it('renews the session shortly before it expires, and not before', async () => {
    world.sessionTtlS = 100; // renewed 10 s before the end
    const bot = responder();
    await say(bot, PASS_HOLDER_CONTACT, '我的通行码');
    now = new Date(now.getTime() + 89_000);
    await say(bot, PASS_HOLDER_CONTACT, '我的通行码');
    expect(api.requests.filter((r) => r.path === '/api/v1/bot/sessions')).toHaveLength(1);
    now = new Date(now.getTime() + 2_000);
    await say(bot, PASS_HOLDER_CONTACT, '我的通行码');
    expect(api.requests.filter((r) => r.path === '/api/v1/bot/sessions')).toHaveLength(2);
    expect(userCalls().at(-1)?.authorization).toBe(`Bearer tok-${PASS_HOLDER_CONTACT}-2`);
  });

  it('opens a new session once when the service refuses a cached token', async () => {
    const bot = responder();
    await say(bot, PASS_HOLDER_CONTACT, '我的通行码');
    world.expireTokens();
    const [reply] = await say(bot, PASS_HOLDER_CONTACT, '我的通行码');
    expect(reply).toMatch(/^private: 「【演示】渝中区幸福里」通行码：128 405 9371/);
    expect(userCalls().map((r) => r.authorization)).toEqual([
      'Bearer tok-wxid_pass-1', 'Bearer tok-wxid_pass-1', 'Bearer tok-wxid_pass-1', 'Bearer tok-wxid_pass-2', 'Bearer tok-wxid_pass-2',
    ]);
  });

  it('keeps each contact\'s session apart', async () => {
    const bot = responder();
    await say(bot, 'wxid_a', '我的通行码');
    await say(bot, 'wxid_b', '我的通行码');
    expect(userCalls().map((r) => r.authorization)).toEqual(['Bearer tok-wxid_a-1', 'Bearer tok-wxid_b-2']);
  });

  it('never calls as a rider without the rider\'s own session, and says so when it has no bot token to open one', async () => {
    expect(await say(responder(''), 'wxid_rider', '我的通行码')).toEqual(['机器人暂未接入服务账号，现在只能查驿站和商户，请联系管理员']);
    expect(api.requests).toEqual([]);
  });

  it('lets the service refuse a staff account asking for access', async () => {
    expect(await say(responder(), 'wxid_op', '进小区 龙湖')).toEqual(['权限不足：需要骑手账号']);
    expect(userCalls()[0]).toMatchObject({ path: '/api/v1/access-requests', authorization: 'Bearer tok-wxid_op-1' });
  });
});
