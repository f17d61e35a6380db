/** Error classes carry their HTTP status, a stable code and a default (Chinese, user-facing) message. */
export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>> | undefined;

// Controls, lone surrogates and the bidi controls that reorder what a reader sees (U+202E among them): messages
// echo input (an id from the path, unknown field names), and the bot shows them to riders as they are.
const UNSHOWABLE = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
export const MAX_MESSAGE_CHARS = 500;

/** A message as users are shown it: what cannot be shown safely as U+FFFD, cut at MAX_MESSAGE_CHARS characters. */
export function shownMessage(message: string): string {
  const clean = message.replace(UNSHOWABLE, '\uFFFD');
  if (clean.length <= MAX_MESSAGE_CHARS) return clean;
  return `${Array.from(clean).slice(0, MAX_MESSAGE_CHARS - 1).join('')}…`;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  readonly headers: Record<string, string>;
  /** 4xx errors (and 501, a refusal rather than a fault) are safe to show; other 5xx messages never leave the process. */
  readonly expose: boolean;

  constructor(status: number, code: string, message: string, details?: ErrorDetails, headers: Record<string, string> = {}) {
    super(shownMessage(message));
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
    this.expose = status < 500 || status === 501;
  }
}

export class ValidationError extends AppError {
  constructor(message = '请求参数有误', details?: ErrorDetails, status: 400 | 422 = 400) {
    super(status, status === 400 ? 'invalid_request' : 'unprocessable', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = '需要登录或凭证无效', details?: ErrorDetails) {
    super(401, 'unauthorized', message, details, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = '无权执行此操作', details?: ErrorDetails) {
    super(403, 'forbidden', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message = '未找到', details?: ErrorDetails) {
    super(404, 'not_found', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message = '数据冲突', details?: ErrorDetails) {
    super(409, 'conflict', message, details);
  }
}

export class GoneError extends AppError {
  constructor(message = '已失效', details?: ErrorDetails) {
    super(410, 'gone', message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `请求体过大，上限 ${limitBytes} 字节`, { limitBytes });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string[]) {
    super(415, 'unsupported_media_type', `不支持的 Content-Type，应为 ${expected.join(' 或 ')}`, { expected });
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, message = '请求过于频繁，请稍后再试', code = 'rate_limited') {
    super(429, code, message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
  }
}
