import { createHash, randomBytes, randomInt } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from '../../shared/errors';
import type { SubjectType } from './identity.types';

const ISSUER = 'nuanxin';
const AUDIENCE = 'nuanxin-api';

export interface AccessClaims {
  sub: string;
  typ: SubjectType;
  sid: string; // the session: revoking it ends this token at once
}

/** Signs and checks short-lived access tokens (HS256 only: alg=none and any other algorithm are refused). */
export function createTokenSigner(opts: { secret: string; ttlSeconds: number }) {
  const key = new TextEncoder().encode(opts.secret);
  return {
    async sign(claims: AccessClaims, now: Date): Promise<string> {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({ typ: claims.typ, sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + opts.ttlSeconds)
        .sign(key);
    },
    async verify(token: string, now: Date): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: now, requiredClaims: ['sub', 'exp', 'iat'],
        });
        if ((payload.typ !== 'rider' && payload.typ !== 'staff') || typeof payload.sid !== 'string') throw new UnauthorizedError('令牌内容无效');
        return { sub: payload.sub as string, typ: payload.typ, sid: payload.sid };
      } catch (err) {
        if (err instanceof UnauthorizedError) throw err;
        if (err instanceof joseErrors.JWTExpired) throw new UnauthorizedError('登录已过期，请刷新令牌或重新登录', { reason: 'expired' });
        throw new UnauthorizedError('令牌无效', { reason: 'invalid' });
      }
    },
    ttlSeconds: opts.ttlSeconds,
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;

/** A random opaque secret (refresh tokens, one-time codes' long form). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Only hashes of refresh tokens and codes are stored, so a leaked database cannot log anyone in. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** A human-typable single-use code: 10 characters without look-alikes (0/O, 1/I/L). */
export function humanCode(length = 10): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
