import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/**
 * Where limiter counters live. The storage provides it (storage.limiterStore()): this process's memory on the
 * embedded driver, MongoDB on the mongo driver so that every instance sharing the database counts together. The
 * HTTP layer only sees this interface, never mongoose.
 */
export interface LimiterStore {
  readonly kind: 'memory' | 'mongo';
  limiter(opts: LimiterOptions): RateLimiterAbstract;
}

/** Counters in this process's memory: right for one instance (the embedded driver is one process by design). */
export const memoryLimiterStore: LimiterStore = { kind: 'memory', limiter: (opts) => new RateLimiterMemory(opts) };

/** A per-key budget of `points` per minute, counted in the given store (memory unless told otherwise). */
export function createLimiter(keyPrefix: string, pointsPerMinute: number, store: LimiterStore = memoryLimiterStore) {
  const limiter = store.limiter({ keyPrefix, points: pointsPerMinute, duration: 60 });
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

export interface WriteLimitOptions {
  /**
   * Requests from a trusted service process (the bot, by its X-Bot-Token) are not counted against their address: one
   * bot relays every chat user and the outbox's claims and acks from one IP. Their accounts are still counted.
   */
  fromTrustedService?: (ctx: Context) => boolean;
}

/** Limits every write per client IP (except a trusted service's) and, when logged in, per account. */
export function writeRateLimit(pointsPerMinute: number, store: LimiterStore = memoryLimiterStore, opts: WriteLimitOptions = {}) {
  const limiter = createLimiter('write', pointsPerMinute, store);
  return async function limitWrites(ctx: Context, next: Next): Promise<void> {
    if (WRITES.has(ctx.method)) {
      const who = ctx.state.principal;
      const keys = [...(opts.fromTrustedService?.(ctx) ? [] : [`ip:${ctx.ip}`]), ...(who ? [`account:${who.kind}:${who.id}`] : [])];
      await limiter.consume(...keys);
    }
    await next();
  };
}
