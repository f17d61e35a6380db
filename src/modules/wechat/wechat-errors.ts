import { AppError, type ErrorDetails } from '../../shared/errors';

/** Stable codes of WeChat-derived errors, so the service can tell them apart. */
export type WeChatErrorCode =
  | 'wechat_invalid_code'
  | 'wechat_high_risk_user'
  | 'wechat_rate_limited'
  | 'wechat_busy'
  | 'wechat_unavailable'
  | 'wechat_token_invalid'
  | 'wechat_bad_response'
  | 'wechat_error';

export const UNAVAILABLE_MESSAGE = '微信服务暂时不可用';
export const INVALID_LOGIN_CODE_MESSAGE = '微信登录凭证无效或已使用，请重新登录';
export const RATE_LIMIT_RETRY_AFTER_S = 60;

/** WeChat errcodes with a meaning of their own. */
export const ERRCODE = {
  busy: -1,
  invalidCode: 40029,
  usedCode: 40163,
  highRiskUser: 40226,
  rateLimited: 45011,
  noSubscribeQuota: 43101,
} as const;

/** Token rejected (invalid, expired, invalid signature): drop the cached token and refresh once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 42001, 40014]);

/** An error raised for a WeChat answer; `code` says which kind, `details.errcode` which answer. */
export class WeChatError extends AppError {
  // Messages are ours (never WeChat's errmsg), so even the 5xx ones are safe to show.
  override readonly expose = true;

  constructor(
    status: 400 | 403 | 429 | 502 | 503,
    override readonly code: WeChatErrorCode,
    message: string,
    details?: ErrorDetails,
    headers?: Record<string, string>,
  ) {
    super(status, code, message, details, headers);
  }
}

/** 503 for network errors, timeouts and non-2xx HTTP answers. */
export function unavailable(reason: string): WeChatError {
  return new WeChatError(503, 'wechat_unavailable', UNAVAILABLE_MESSAGE, { reason });
}

/** The error for a non-zero errcode that the caller did not handle itself (busy retries, token refresh). */
export function errorForErrcode(errcode: number, invalidCodeMessage = INVALID_LOGIN_CODE_MESSAGE): WeChatError {
  switch (errcode) {
    case ERRCODE.invalidCode:
    case ERRCODE.usedCode:
      return new WeChatError(400, 'wechat_invalid_code', invalidCodeMessage, { errcode });
    case ERRCODE.highRiskUser:
      return new WeChatError(403, 'wechat_high_risk_user', '微信判定该账号存在安全风险，暂时无法使用', { errcode });
    case ERRCODE.rateLimited:
      return new WeChatError(429, 'wechat_rate_limited', '请求过于频繁，请稍后再试',
        { errcode, retryAfterSeconds: RATE_LIMIT_RETRY_AFTER_S }, { 'Retry-After': String(RATE_LIMIT_RETRY_AFTER_S) });
    case ERRCODE.busy:
      return new WeChatError(503, 'wechat_busy', UNAVAILABLE_MESSAGE, { errcode });
    default:
      return new WeChatError(502, 'wechat_error', UNAVAILABLE_MESSAGE, { errcode });
  }
}

/** 502 for a token-using call whose renewed token was rejected as well. */
export function tokenRejected(errcode: number): WeChatError {
  return new WeChatError(502, 'wechat_token_invalid', UNAVAILABLE_MESSAGE, { errcode });
}
