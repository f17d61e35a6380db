import { Writable } from 'node:stream';
import pino from 'pino';
import { ValidationError } from '../../src/shared/errors';
import { createLogger, type Logger } from '../../src/shared/logger';
import { fixedClock } from '../../src/shared/time';
import { createWeChatClient } from '../../src/modules/wechat/wechat-client';
import { WeChatError } from '../../src/modules/wechat/wechat-errors';
import type { WeChatClientOptions } from '../../src/modules/wechat/wechat.types';
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat';

const T0 = '2026-11-25T04:00:00Z';
let fake: FakeWeChat;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  fake = await startFakeWeChat();
  clock = fixedClock(T0);
});
afterEach(() => fake.close());

function client(overrides: Partial<WeChatClientOptions> = {}) {
  return createWeChatClient({
    baseURL: fake.baseURL,
    appId: fake.state.appId,
    appSecret: fake.state.appSecret,
    clock,
    log: createLogger('silent'),
    retry: { attempts: 3, baseDelayMs: 1 },
    ...overrides,
  });
}

describe('code2Session', () => {
  it('exchanges a js code for the openid, session key and unionid', async () => {
    fake.state.jsCodes.set('code-a', { openid: 'o-rider-1', unionid: 'u-1' });
    fake.state.jsCodes.set('code-b', { openid: 'o-rider-2' });
    const wx = client();
    await expect(wx.code2Session('code-a')).resolves.toEqual({ openid: 'o-rider-1', sessionKey: expect.any(String), unionid: 'u-1' });
    await expect(wx.code2Session('code-b')).resolves.toMatchObject({ openid: 'o-rider-2', unionid: null });
    expect(fake.state.requestsTo('jscode2session')[0]?.query).toEqual({
      appid: fake.state.appId, secret: fake.state.appSecret, js_code: 'code-a', grant_type: 'authorization_code',
    });
  });

  it('refuses a code the second time with 400 wechat_invalid_code', async () => {
    fake.state.jsCodes.set('code-a', { openid: 'o-rider-1' });
    const wx = client();
    await wx.code2Session('code-a');
    const err = await wx.code2Session('code-a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeChatError);
    expect(err).toMatchObject({ status: 400, code: 'wechat_invalid_code', message: '微信登录凭证无效或已使用，请重新登录' });
  });

  it.each([
    [40029, 400, 'wechat_invalid_code', {}],
    [40163, 400, 'wechat_invalid_code', {}],
    [40226, 403, 'wechat_high_risk_user', {}],
    [45011, 429, 'wechat_rate_limited', { 'Retry-After': '60' }],
    [40125, 502, 'wechat_error', {}],
    [40001, 502, 'wechat_error', {}], // not a token-using call: no refresh
  ])('maps errcode %i to %i %s', async (errcode, status, code, headers) => {
    fake.state.failNext('jscode2session', errcode);
    const err = await client().code2Session('any').catch((e: unknown) => e);
    expect(err).toMatchObject({ status, code, headers, details: expect.objectContaining({ errcode }) });
    expect(fake.state.requests).toHaveLength(1);
  });

  it('retries a busy WeChat (-1) with backoff and succeeds on the third try', async () => {
    fake.state.jsCodes.set('code-a', { openid: 'o-rider-1' });
    fake.state.failNext('jscode2session', -1, 2);
    await expect(client().code2Session('code-a')).resolves.toMatchObject({ openid: 'o-rider-1' });
    expect(fake.state.requestsTo('jscode2session')).toHaveLength(3);
  });

  it('gives up on a WeChat that stays busy with 503 after retry.attempts tries', async () => {
    fake.state.failNext('jscode2session', -1, 10);
    await expect(client({ retry: { attempts: 4, baseDelayMs: 1 } }).code2Session('x'))
      .rejects.toMatchObject({ status: 503, code: 'wechat_busy', message: '微信服务暂时不可用' });
    expect(fake.state.requests).toHaveLength(4);
  });

  it('answers 503 when WeChat is slower than timeoutMs', async () => {
    fake.state.delayMs = 2000;
    const started = Date.now();
    await expect(client({ timeoutMs: 100 }).code2Session('x'))
      .rejects.toMatchObject({ status: 503, code: 'wechat_unavailable', details: { reason: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers 503 when WeChat cannot be reached', async () => {
    const gone = await startFakeWeChat();
    await gone.close();
    await expect(client({ baseURL: gone.baseURL }).code2Session('x'))
      .rejects.toMatchObject({ status: 503, code: 'wechat_unavailable', details: { reason: 'network' } });
  });
});

describe('accessToken', () => {
  it('caches the stable token across calls', async () => {
    fake.state.acceptSubscription('o-1', 'tpl', 5);
    const wx = client();
    const token = await wx.accessToken();
    await wx.msgSecCheck({ openid: 'o-1', content: '你好', scene: 2 });
    await wx.sendSubscribeMessage({ touser: 'o-1', templateId: 'tpl', data: { thing1: 'x' } });
    expect(await wx.accessToken()).toBe(token);
    expect(fake.state.tokenCalls()).toEqual([false]);
    expect(fake.state.requestsTo('stable_token')[0]?.body).toEqual({
      grant_type: 'client_credential', appid: fake.state.appId, secret: fake.state.appSecret, force_refresh: false,
    });
  });

  it('refreshes once the clock passes expiry minus refreshEarlyMs', async () => {
    const wx = client({ refreshEarlyMs: 60_000 });
    await wx.accessToken();
    clock.advance(7200_000 - 60_000 - 1);
    await wx.accessToken();
    expect(fake.state.tokenCalls()).toHaveLength(1);
    clock.advance(1);
    await wx.accessToken();
    expect(fake.state.tokenCalls()).toEqual([false, false]);
  });

  it('sends one stable_token request for 20 concurrent callers on an empty cache', async () => {
    fake.state.delayMs = 20;
    const wx = client();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => wx.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(fake.state.tokenCalls()).toHaveLength(1);
  });

  it('does not cache a failed refresh: the next call asks again', async () => {
    fake.state.failNext('stable_token', 40013);
    const wx = client();
    await expect(wx.accessToken()).rejects.toMatchObject({ status: 502, code: 'wechat_error', details: { errcode: 40013 } });
    await expect(wx.accessToken()).resolves.toEqual(expect.any(String));
    expect(fake.state.tokenCalls()).toHaveLength(2);
  });

  it('keeps serving the old token while an early refresh fails', async () => {
    const wx = client({ refreshEarlyMs: 60_000 });
    const token = await wx.accessToken();
    clock.advance(7200_000 - 30_000);
    fake.state.failNext('stable_token', 45009);
    await expect(wx.accessToken()).resolves.toBe(token);
    clock.advance(30_000);
    fake.state.failNext('stable_token', 45009);
    await expect(wx.accessToken()).rejects.toMatchObject({ status: 502 });
  });

  it('answers 502 when the app secret is wrong', async () => {
    await expect(client({ appSecret: 'wrong' }).accessToken()).rejects.toMatchObject({ status: 502, details: { errcode: 40125 } });
  });

  it.each([40001, 42001] as const)('renews a rejected token (%i) once with force_refresh and retries the call', async (errcode) => {
    fake.state.phoneCodes.set('p1', '13800001234');
    const wx = client();
    const old = await wx.accessToken();
    fake.state.invalidateTokens(errcode);
    await expect(wx.getPhoneNumber('p1')).resolves.toMatchObject({ purePhoneNumber: '13800001234' });
    expect(fake.state.tokenCalls()).toEqual([false, true]);
    expect(await wx.accessToken()).not.toBe(old);
  });

  it('renews a token rejected under 5 concurrent calls with one forced refresh', async () => {
    const wx = client();
    await wx.accessToken();
    fake.state.invalidateTokens();
    const checks = Array.from({ length: 5 }, () => wx.msgSecCheck({ openid: 'o-1', content: '你好', scene: 2 }));
    await expect(Promise.all(checks)).resolves.toHaveLength(5);
    expect(fake.state.tokenCalls()).toEqual([false, true]);
  });

  it('gives up with 502 when the renewed token is rejected too', async () => {
    const wx = client();
    fake.state.failNext('msg_sec_check', 40001, 2);
    await expect(wx.msgSecCheck({ openid: 'o-1', content: 'x', scene: 1 }))
      .rejects.toMatchObject({ status: 502, code: 'wechat_token_invalid' });
    expect(fake.state.tokenCalls()).toEqual([false, true]);
    expect(fake.state.requestsTo('msg_sec_check')).toHaveLength(2);
  });
});

describe('getPhoneNumber', () => {
  it('returns the bound phone number once per code', async () => {
    fake.state.phoneCodes.set('p1', '13800001234');
    const wx = client();
    await expect(wx.getPhoneNumber('p1')).resolves.toEqual({ phoneNumber: '13800001234', purePhoneNumber: '13800001234', countryCode: '86' });
    expect(fake.state.requestsTo('phone')[0]?.body).toEqual({ code: 'p1' });
    await expect(wx.getPhoneNumber('p1')).rejects.toMatchObject({ status: 400, code: 'wechat_invalid_code', message: expect.stringContaining('手机号') });
  });
});

describe('sendSubscribeMessage', () => {
  it('maps data to {key: {value}} and reports no_quota (43101) instead of throwing', async () => {
    fake.state.acceptSubscription('o-1', 'tpl-pass');
    const wx = client();
    const msg = { touser: 'o-1', templateId: 'tpl-pass', page: 'pages/pass/index', data: { thing1: '观音桥小区', time2: '12:00' }, miniprogramState: 'trial' as const };
    await expect(wx.sendSubscribeMessage(msg)).resolves.toEqual({ sent: true });
    expect(fake.state.sentMessages).toEqual([{
      touser: 'o-1', template_id: 'tpl-pass', page: 'pages/pass/index', miniprogram_state: 'trial',
      data: { thing1: { value: '观音桥小区' }, time2: { value: '12:00' } },
    }]);
    await expect(wx.sendSubscribeMessage(msg)).resolves.toEqual({ sent: false, reason: 'no_quota' });
    expect(fake.state.sentMessages).toHaveLength(1);
  });
});

describe('msgSecCheck', () => {
  it.each([
    ['有人在卖假证', 'risky', 20006],
    ['这个要人工看看', 'review', 21000],
    ['电瓶车充电桩在二楼', 'pass', 100],
  ])('judges %s as %s', async (content, suggest, label) => {
    Object.assign(fake.state, { riskyWords: ['假证'], reviewWords: ['人工'] });
    await expect(client().msgSecCheck({ openid: 'o-1', content, scene: 2 })).resolves.toEqual({ suggest, label });
    expect(fake.state.requestsTo('msg_sec_check')[0]?.body).toEqual({ version: 2, openid: 'o-1', scene: 2, content });
  });

  it('rejects content over 2,500 characters without calling WeChat', async () => {
    const wx = client();
    await expect(wx.msgSecCheck({ openid: 'o-1', content: '字'.repeat(2501), scene: 2 })).rejects.toBeInstanceOf(ValidationError);
    expect(fake.state.requests).toHaveLength(0);
    await expect(wx.msgSecCheck({ openid: 'o-1', content: '字'.repeat(2500), scene: 2 })).resolves.toMatchObject({ suggest: 'pass' });
  });
});

describe('logging', () => {
  it("tags calls with module 'wechat' and never logs secrets, tokens, codes, session keys or phone numbers", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const log = pino({ level: 'debug' }, sink) as Logger;
    fake.state.jsCodes.set('js-code-secret', { openid: 'o-1' });
    fake.state.phoneCodes.set('phone-code-secret', '13800001234');
    const wx = client({ log });
    const { sessionKey } = await wx.code2Session('js-code-secret');
    await wx.getPhoneNumber('phone-code-secret');
    await wx.code2Session('js-code-secret').catch(() => undefined);
    const token = await wx.accessToken();
    const out = lines.join('');
    for (const secret of [fake.state.appSecret, token, sessionKey, 'js-code-secret', 'phone-code-secret', '13800001234']) {
      expect(out).not.toContain(secret);
    }
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({
      module: 'wechat', method: 'GET', path: '/sns/jscode2session', errcode: 40029, ms: expect.any(Number),
    }));
  });
});
