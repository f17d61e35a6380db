import { createApiClient } from './api-client';
import { ApiError } from './api-error';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';
import { BIND_CODE, BOT_TOKEN, OTHER_CONTACT_ID, OTHER_STAFF, STAFF, USED_BIND_CODE } from './testing/fixtures';

describe('api client: the bot staff routes against a fake service on 127.0.0.1', () => {
  let api: FakeApi;
  beforeEach(async () => { api = await startFakeApi(); });
  afterEach(() => api.close());
  const client = (botToken: string | undefined = BOT_TOKEN) => createApiClient({ baseURL: api.baseURL, timeoutMs: 2000, botToken });

  it('binds a contact with a POST carrying the code, the contact id and the X-Bot-Token', async () => {
    expect(await client().bindStaff(BIND_CODE, 'wxid_zhang')).toEqual(STAFF); // the fake's extra fields are dropped
    expect(api.requests).toEqual([
      { method: 'POST', path: '/api/v1/bot/bind', query: {}, body: { code: BIND_CODE, contactId: 'wxid_zhang' }, botToken: BOT_TOKEN },
    ]);
  });

  it.each([
    ['a code already used', USED_BIND_CODE, 'wxid_zhang', 410, 'gone', '绑定码已使用或已过期，请重新生成'],
    ['an unknown code', 'ZZZZ9999', 'wxid_zhang', 404, 'not_found', '绑定码不存在'],
    ['a contact bound to another account', BIND_CODE, OTHER_CONTACT_ID, 409, 'conflict', '该微信已绑定其他工作人员账号'],
  ])('rejects %s with the service message', async (_name, code, contactId, status, errCode, message) => {
    const err = await client().bindStaff(code, contactId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, code: errCode, message });
  });

  it('accepts a code once', async () => {
    await client().bindStaff(BIND_CODE, 'wxid_zhang');
    await expect(client().bindStaff(BIND_CODE, 'wxid_other')).rejects.toMatchObject({ status: 410 });
  });

  it('recognises a bound contact, and answers null for one that is not', async () => {
    expect(await client().whoIs(OTHER_CONTACT_ID)).toEqual(OTHER_STAFF);
    expect(await client().whoIs('wxid_nobody')).toBeNull();
    await client().bindStaff(BIND_CODE, '@a/b?c');
    expect(await client().whoIs('@a/b?c')).toEqual(STAFF);
    expect(api.requests.map((r) => [r.method, r.path, r.botToken])).toEqual([
      ['GET', `/api/v1/bot/contacts/${OTHER_CONTACT_ID}`, BOT_TOKEN],
      ['GET', '/api/v1/bot/contacts/wxid_nobody', BOT_TOKEN],
      ['POST', '/api/v1/bot/bind', BOT_TOKEN],
      ['GET', '/api/v1/bot/contacts/%40a%2Fb%3Fc', BOT_TOKEN],
    ]);
  });

  it.each([
    ['bindStaff', () => client('wrong-token').bindStaff(BIND_CODE, 'wxid_zhang')],
    ['whoIs', () => client('wrong-token').whoIs(OTHER_CONTACT_ID)],
  ])('%s reports a refused token as a 401, not as "not bound"', async (_name, call) => {
    await expect(call()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('fails without a request when no bot token is configured', async () => {
    await expect(client('').bindStaff(BIND_CODE, 'wxid_zhang')).rejects.toMatchObject({ status: 0, code: 'not_configured', message: '机器人暂未开通工作人员绑定，请联系管理员' });
    await expect(createApiClient({ baseURL: api.baseURL, timeoutMs: 2000 }).whoIs('wxid_zhang')).rejects.toMatchObject({ code: 'not_configured' });
    expect(api.requests).toEqual([]);
  });

  it('hides a server error behind the friendly message', async () => {
    api.respondWith(() => ({ status: 500, body: { error: { status: 500, code: 'internal', message: 'db exploded' } } }));
    await expect(client().whoIs('wxid_zhang')).rejects.toMatchObject({ status: 500, code: 'unavailable', message: '服务暂时不可用，请稍后再试' });
  });
});
