import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import { UnauthorizedError } from './errors';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Reads "Authorization: Bearer <token>"; undefined when absent. */
export function bearerToken(ctx: Context): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
  return m?.[1];
}

/** Interim admin guard: one bearer token from configuration (the identity issue replaces it with accounts). */
export function requireAdminToken(adminToken: string) {
  const expected = digest(adminToken);
  return async function adminOnly(ctx: Context, next: Next): Promise<void> {
    const token = bearerToken(ctx);
    if (!adminToken || !token || !timingSafeEqual(digest(token), expected)) {
      throw new UnauthorizedError('需要管理员凭证（Authorization: Bearer <ADMIN_TOKEN>）');
    }
    await next();
  };
}
