import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { AppError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Refuses a body sent compressed (Content-Encoding: gzip…): nothing here decodes one, and read as it is the bytes
 * would be taken for the content. 415, as RFC 9110 (8.4) says for an encoding the server does not accept.
 */
export function refuseEncodedBody(ctx: Context): void {
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new AppError(415, 'unsupported_content_encoding', `不支持压缩的请求体（Content-Encoding: ${encoding}），请发送未压缩的内容`, { contentEncoding: encoding, accepted: ['identity'] }, { 'Accept-Encoding': 'identity' });
  }
}

/** Reads the raw request body up to limitBytes; a larger one is a 413 before it is buffered whole. */
export async function readRaw(ctx: Context, limitBytes: number): Promise<Buffer> {
  refuseEncodedBody(ctx);
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, length: ctx.request.length });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw new PayloadTooLargeError(limitBytes);
    if (type === 'request.size.invalid') throw new ValidationError('请求体长度与 Content-Length 不符');
    throw err;
  }
}

/** No body of ours nests deeper than a few levels (weekly hours: body, hours, days, a day, a range). */
export const MAX_JSON_DEPTH = 20;

/** How deep arrays and objects nest in JSON text, brackets inside strings not counted; stops past `limit`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0, inString = false; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if ((max = Math.max(max, ++depth)) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Parses JSON, refusing operator-like ($-prefixed) and prototype-polluting keys anywhere in the tree, and nesting
 * deeper than MAX_JSON_DEPTH (the key check, validation and storage walk the tree recursively: thousands of levels
 * overflowed the stack).
 */
export function parseJson(text: string): unknown {
  if (nestingDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ValidationError(`请求体嵌套过深：数组和对象最多嵌套 ${MAX_JSON_DEPTH} 层`, { maxDepth: MAX_JSON_DEPTH });
  }
  try {
    return JSON.parse(text, function reviver(key, value) {
      if (FORBIDDEN_KEYS.has(key) || key.startsWith('$')) throw new ForbiddenKey(key);
      return value;
    });
  } catch (err) {
    if (err instanceof ForbiddenKey) {
      throw new ValidationError(`请求体含有不允许的键名「${err.key}」`, { field: err.key });
    }
    throw new ValidationError('请求体不是合法的 JSON', { reason: (err as Error).message });
  }
}

/** Decodes a JSON body strictly: bytes that are not UTF-8 are refused, never replaced by U+FFFD and stored. */
function decodeJsonText(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new ValidationError('请求体不是合法的 UTF-8 编码（JSON 必须用 UTF-8）', { encoding: 'utf-8' });
  }
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

const hasBody = (ctx: Context): boolean =>
  ctx.request.length > 0 || (ctx.request.length === undefined && ctx.get('transfer-encoding') !== '');

/** Reads and parses a JSON request body as jsonBody does, for a route mounted before it that takes other types too. */
export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!hasBody(ctx)) return {};
  return parseJson(decodeJsonText(await readRaw(ctx, limitBytes)));
}

/** JSON body middleware for POST/PUT/PATCH: sets ctx.request.body, or {} when the request has no body. */
export function jsonBody(limitBytes: number) {
  return async function parseJsonBody(ctx: Context, next: Next): Promise<void> {
    if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && hasBody(ctx)) {
      if (!ctx.is('application/json', '+json')) throw new UnsupportedMediaTypeError(['application/json']);
      const raw = await readRaw(ctx, limitBytes);
      ctx.request.body = raw.length ? parseJson(decodeJsonText(raw)) : {};
    } else {
      ctx.request.body = {};
    }
    await next();
  };
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
