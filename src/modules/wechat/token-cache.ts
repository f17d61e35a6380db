import type { Clock } from '../../shared/time';

export interface IssuedToken {
  token: string;
  expiresInSec: number;
}

export interface TokenCache {
  /** The cached token, or a fresh one when none is cached or it is within `refreshEarlyMs` of expiry. */
  get(): Promise<string>;
  /** A token other than `rejected`: the one another caller already renewed, or a forced refresh. */
  renew(rejected: string): Promise<string>;
}

/** An access-token cache with at most one refresh in flight; failed refreshes are not cached. */
export function createTokenCache(opts: {
  fetch: (force: boolean) => Promise<IssuedToken>;
  clock: Clock;
  refreshEarlyMs: number;
}): TokenCache {
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;
  const now = () => opts.clock.now().getTime();

  function refresh(force: boolean): Promise<string> {
    inflight ??= opts
      .fetch(force)
      .then(({ token, expiresInSec }) => {
        cached = { token, expiresAt: now() + expiresInSec * 1000 };
        return token;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  return {
    async get() {
      if (cached && now() < cached.expiresAt - opts.refreshEarlyMs) return cached.token;
      try {
        return await refresh(false);
      } catch (err) {
        // Refreshing early leaves slack: keep serving a token that has not expired yet; later calls try again.
        if (cached && now() < cached.expiresAt) return cached.token;
        throw err;
      }
    },
    async renew(rejected) {
      const current = inflight ? await inflight.catch(() => null) : cached?.token;
      if (current && current !== rejected) return current;
      cached = null;
      // Forced refreshes are rationed by WeChat (20 a day, 30 s apart): only a rejected token earns one.
      return refresh(true);
    },
  };
}
