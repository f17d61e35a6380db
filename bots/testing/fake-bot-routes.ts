import type { Staff } from '../api-contract';
import type { FakeHandler, FakeRequest, FakeResponse } from './fake-types';
import { createFakeWorld, fakeError, fakeSessions, type FakeWorld } from './fake-world';
import { BIND_CODE, BOT_TOKEN, STAFF, USED_BIND_CODE } from './fixtures';

/** The service's staff view: the fixture plus fields the bot does not read, to prove the contract is lenient. */
const view = (s: Staff): FakeResponse => ({ status: 200, body: { data: { ...s, wechatBound: false, botBound: true, isDemo: true } } });

function bodyOf(req: FakeRequest): { code: string; contactId: string } | null {
  const b = req.body as { code?: unknown; contactId?: unknown } | undefined;
  return typeof b?.code === 'string' && typeof b.contactId === 'string' ? { code: b.code, contactId: b.contactId } : null;
}

/**
 * The service's /api/v1/bot routes behind X-Bot-Token (BOT_TOKEN): BIND_CODE binds STAFF to the sending contact once
 * (then 410), USED_BIND_CODE is 410, other codes 404; contacts the world binds already answer 409 on bind. Sessions:
 * see fakeSessions.
 */
export function createFakeBotRoutes(world: FakeWorld = createFakeWorld()): FakeHandler {
  const { bound } = world;
  let used = false;
  return (req) => {
    if (req.botToken !== BOT_TOKEN) return fakeError(401, '需要服务凭证（x-bot-token）');
    if (req.method === 'POST' && req.path === '/api/v1/bot/sessions') return fakeSessions(world, req);
    if (req.method === 'GET' && req.path.startsWith('/api/v1/bot/contacts/')) {
      const staff = bound.get(decodeURIComponent(req.path.slice('/api/v1/bot/contacts/'.length)));
      return staff ? view(staff) : fakeError(404, '该联系人未绑定工作人员账号');
    }
    if (req.method !== 'POST' || req.path !== '/api/v1/bot/bind') return fakeError(404, '未找到');
    const body = bodyOf(req);
    if (!body) return fakeError(400, '请求参数有误');
    if (body.code === USED_BIND_CODE || (body.code === BIND_CODE && used)) return fakeError(410, '绑定码已使用或已过期，请重新生成');
    if (body.code !== BIND_CODE) return fakeError(404, '绑定码不存在');
    if (bound.has(body.contactId)) return fakeError(409, '该微信已绑定其他工作人员账号');
    used = true;
    bound.set(body.contactId, STAFF);
    return view(STAFF);
  };
}
