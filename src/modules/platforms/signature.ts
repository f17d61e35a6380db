import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { ID_PATTERN } from '../../storage/ids';

/** How far a request's X-Timestamp may lie from the server's clock, either way. */
export const SIGNATURE_WINDOW_S = 300;

/** Why a signed request was refused: the `reason` in the 401's details. */
export type SignatureRefusal =
  | 'missing_header' | 'malformed_header' | 'unknown_key' | 'key_revoked' | 'timestamp_out_of_window' | 'bad_signature';

const MESSAGES: Record<SignatureRefusal, string> = {
  missing_header: '缺少签名请求头',
  malformed_header: '签名请求头格式不正确',
  unknown_key: '平台密钥不存在',
  key_revoked: '平台密钥已吊销',
  timestamp_out_of_window: `X-Timestamp 与服务器时间相差超过 ${SIGNATURE_WINDOW_S} 秒`,
  bad_signature: '签名不正确',
};

/** A refused signature: 401 naming the reason (and the header, where one is at fault). */
export class SignatureError extends AppError {
  constructor(reason: SignatureRefusal, extra: Record<string, unknown> = {}) {
    super(401, 'unauthorized', MESSAGES[reason], { reason, ...extra }, { 'WWW-Authenticate': 'HMAC-SHA256 realm="platform"' });
  }
}

/** The four headers of a signed request, checked for form only. */
export interface SignedHeaders {
  keyId: string;
  timestamp: number;
  nonce: string;
  signature: Buffer;
}

const FORMS = {
  'x-platform-key': ID_PATTERN,
  'x-timestamp': /^[1-9]\d{0,11}$/, // no leading zeros: the signed text is the header as sent
  'x-nonce': /^[A-Za-z0-9_-]{16,64}$/,
  'x-signature': /^[0-9a-fA-F]{64}$/,
} as const;

/** Reads the signature headers (via `get`, e.g. ctx.get); a missing or malformed one is a 401 naming it. */
export function readSignedHeaders(get: (name: string) => string): SignedHeaders {
  const value = (name: keyof typeof FORMS): string => {
    const v = get(name);
    if (!v) throw new SignatureError('missing_header', { header: name });
    if (!FORMS[name].test(v)) throw new SignatureError('malformed_header', { header: name });
    return v;
  };
  return {
    keyId: value('x-platform-key'),
    timestamp: Number(value('x-timestamp')),
    nonce: value('x-nonce'),
    signature: Buffer.from(value('x-signature'), 'hex'),
  };
}

/** Refuses a timestamp more than SIGNATURE_WINDOW_S from now, in the past or the future. */
export function checkTimestamp(timestamp: number, now: Date): void {
  const serverTime = Math.floor(now.getTime() / 1000);
  if (Math.abs(serverTime - timestamp) > SIGNATURE_WINDOW_S) throw new SignatureError('timestamp_out_of_window', { serverTime });
}

/** Hex HMAC-SHA256 under the secret (its UTF-8 text is the key) of `${timestamp}\n${nonce}\n` followed by the raw body. */
export function sign(secret: string, timestamp: number | string, nonce: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${nonce}\n`).update(body).digest('hex');
}

/** Whether the request's signature is the secret's, compared in constant time. */
export function signatureMatches(secret: string, h: SignedHeaders, body: Buffer): boolean {
  const expected = Buffer.from(sign(secret, h.timestamp, h.nonce, body), 'hex');
  return expected.length === h.signature.length && timingSafeEqual(expected, h.signature);
}

/** A fresh key secret: 32 random bytes, base64url (43 characters). */
export function newKeySecret(): string {
  return randomBytes(32).toString('base64url');
}
