import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import { UnauthorizedError } from './errors';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Reads "Authorization: Bearer <token>"; undefined when absent or malformed. */
export function bearerToken(ctx: Context): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
  return m?.[1];
}

/** Whether the request carries the configured service secret (compared in constant time); never when none is configured. */
export function serviceTokenCheck(expected: string, header = 'x-bot-token'): (ctx: Context) => boolean {
  const want = digest(expected);
  return (ctx) => {
    const given = ctx.get(header);
    return !!expected && !!given && timingSafeEqual(digest(given), want);
  };
}

/** Guards a machine-to-machine route (the bot process) with one configured secret, compared in constant time. */
export function requireServiceToken(expected: string, header = 'x-bot-token') {
  const valid = serviceTokenCheck(expected, header);
  return async function serviceOnly(ctx: Context, next: Next): Promise<void> {
    if (!valid(ctx)) throw new UnauthorizedError(`需要服务凭证（${header}）`);
    await next();
  };
}
