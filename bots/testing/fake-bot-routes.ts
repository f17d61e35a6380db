import type { Staff } from '../api-contract';
import type { FakeHandler, FakeRequest, FakeResponse } from './fake-types';
import { BIND_CODE, BOT_TOKEN, OTHER_CONTACT_ID, OTHER_STAFF, STAFF, USED_BIND_CODE } from './fixtures';

const CODES: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized', 404: 'not_found', 409: 'conflict', 410: 'gone' };
const error = (status: number, message: string): FakeResponse =>
  ({ status, body: { error: { status, code: CODES[status] ?? 'error', message, details: null } } });

/** The service's staff view: the fixture plus fields the bot does not read, to prove the contract is lenient. */
const view = (s: Staff): FakeResponse => ({ status: 200, body: { data: { ...s, wechatBound: false, botBound: true, isDemo: true } } });

function bodyOf(req: FakeRequest): { code: string; contactId: string } | null {
  const b = req.body as { code?: unknown; contactId?: unknown } | undefined;
  return typeof b?.code === 'string' && typeof b.contactId === 'string' ? { code: b.code, contactId: b.contactId } : null;
}

/**
 * The service's /api/v1/bot routes behind X-Bot-Token (BOT_TOKEN): BIND_CODE binds STAFF to the sending contact once
 * (then 410), USED_BIND_CODE is 410, other codes 404; OTHER_CONTACT_ID is already bound to OTHER_STAFF (409 on bind).
 */
export function createFakeBotRoutes(): FakeHandler {
  const bound = new Map<string, Staff>([[OTHER_CONTACT_ID, OTHER_STAFF]]);
  let used = false;
  return (req) => {
    if (req.botToken !== BOT_TOKEN) return error(401, '需要服务凭证（x-bot-token）');
    if (req.method === 'GET' && req.path.startsWith('/api/v1/bot/contacts/')) {
      const staff = bound.get(decodeURIComponent(req.path.slice('/api/v1/bot/contacts/'.length)));
      return staff ? view(staff) : error(404, '该联系人未绑定工作人员账号');
    }
    if (req.method !== 'POST' || req.path !== '/api/v1/bot/bind') return error(404, '未找到');
    const body = bodyOf(req);
    if (!body) return error(400, '请求参数有误');
    if (body.code === USED_BIND_CODE || (body.code === BIND_CODE && used)) return error(410, '绑定码已使用或已过期，请重新生成');
    if (body.code !== BIND_CODE) return error(404, '绑定码不存在');
    if (bound.has(body.contactId)) return error(409, '该微信已绑定其他工作人员账号');
    used = true;
    bound.set(body.contactId, STAFF);
    return view(STAFF);
  };
}
