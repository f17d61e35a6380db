import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors';

/** A per-key budget of `points` per minute, kept in this process's memory. */
export function createLimiter(keyPrefix: string, pointsPerMinute: number) {
  const limiter = new RateLimiterMemory({ keyPrefix, points: pointsPerMinute, duration: 60 });
  return {
    /** Spends one point for each key; throws 429 with Retry-After when any key is out of points. */
    async consume(...keys: string[]): Promise<void> {
      for (const key of keys) {
        try {
          await limiter.consume(key);
        } catch (err) {
          if (err instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
          throw err;
        }
      }
    },
  };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Limits every write per client IP and, when logged in, per account. */
export function writeRateLimit(pointsPerMinute: number) {
  const limiter = createLimiter('write', pointsPerMinute);
  return async function limitWrites(ctx: Context, next: Next): Promise<void> {
    if (WRITES.has(ctx.method)) {
      const who = ctx.state.principal;
      await limiter.consume(`ip:${ctx.ip}`, ...(who ? [`account:${who.kind}:${who.id}`] : []));
    }
    await next();
  };
}
