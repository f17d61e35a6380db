import { ValidationError } from '../../shared/errors';
import { createTokenCache } from './token-cache';
import { ERRCODE, errorForErrcode, TOKEN_ERRCODES, tokenRejected } from './wechat-errors';
import { msgSecReply, parseReply, phoneReply, sessionReply, tokenReply } from './wechat.schema';
import { createTransport, type WeChatReply } from './wechat-transport';
import type { WeChatClient, WeChatClientOptions } from './wechat.types';

export const MSG_SEC_MAX_CHARS = 2500;
const INVALID_PHONE_CODE_MESSAGE = '手机号授权凭证无效或已使用，请重新授权';

/** Throws the mapped error unless WeChat answered errcode 0. */
function ok(reply: WeChatReply, invalidCodeMessage?: string): WeChatReply {
  if (reply.errcode !== 0) throw errorForErrcode(reply.errcode, invalidCodeMessage);
  return reply;
}

/** A WeChat mini-program API client: login, phone number, subscribe messages, content check, access token. */
export function createWeChatClient(opts: WeChatClientOptions): WeChatClient {
  const transport = createTransport({
    baseURL: opts.baseURL,
    timeoutMs: opts.timeoutMs ?? 5000,
    retry: opts.retry ?? { attempts: 3, baseDelayMs: 200 },
    log: opts.log,
  });
  const tokens = createTokenCache({
    clock: opts.clock,
    refreshEarlyMs: opts.refreshEarlyMs ?? 5 * 60_000,
    async fetch(force) {
      const body = { grant_type: 'client_credential', appid: opts.appId, secret: opts.appSecret, force_refresh: force };
      const reply = await transport.send({ method: 'POST', path: '/cgi-bin/stable_token', query: {}, body });
      const { access_token, expires_in } = parseReply(tokenReply, ok(reply));
      return { token: access_token, expiresInSec: expires_in };
    },
  });

  /** POSTs with the access token; a rejected token is renewed once and the request sent again. */
  async function withToken(path: string, body: unknown): Promise<WeChatReply> {
    const token = await tokens.get();
    const reply = await transport.send({ method: 'POST', path, query: { access_token: token }, body });
    if (!TOKEN_ERRCODES.has(reply.errcode)) return reply;
    const renewed = await tokens.renew(token);
    const retried = await transport.send({ method: 'POST', path, query: { access_token: renewed }, body });
    if (TOKEN_ERRCODES.has(retried.errcode)) throw tokenRejected(retried.errcode);
    return retried;
  }

  return {
    async code2Session(jsCode) {
      const query = { appid: opts.appId, secret: opts.appSecret, js_code: jsCode, grant_type: 'authorization_code' };
      const reply = await transport.send({ method: 'GET', path: '/sns/jscode2session', query });
      const s = parseReply(sessionReply, ok(reply));
      return { openid: s.openid, sessionKey: s.session_key, unionid: s.unionid ?? null };
    },

    async getPhoneNumber(code) {
      const reply = await withToken('/wxa/business/getuserphonenumber', { code });
      const { phoneNumber, purePhoneNumber, countryCode } = parseReply(phoneReply, ok(reply, INVALID_PHONE_CODE_MESSAGE)).phone_info;
      return { phoneNumber, purePhoneNumber, countryCode };
    },

    async sendSubscribeMessage(msg) {
      const data = Object.fromEntries(Object.entries(msg.data).map(([key, value]) => [key, { value }]));
      const reply = await withToken('/cgi-bin/message/subscribe/send', {
        touser: msg.touser,
        template_id: msg.templateId,
        page: msg.page,
        data,
        miniprogram_state: msg.miniprogramState,
      });
      if (reply.errcode === ERRCODE.noSubscribeQuota) return { sent: false, reason: 'no_quota' };
      ok(reply);
      return { sent: true };
    },

    async msgSecCheck({ openid, content, scene }) {
      if (content.length > MSG_SEC_MAX_CHARS) {
        const message = `不能超过 ${MSG_SEC_MAX_CHARS} 字`;
        throw new ValidationError(`内容${message}`, [{ field: 'content', message }]);
      }
      const reply = await withToken('/wxa/msg_sec_check', { version: 2, openid, scene, content });
      const { suggest, label } = parseReply(msgSecReply, ok(reply)).result;
      return { suggest, label };
    },

    accessToken: () => tokens.get(),
  };
}
