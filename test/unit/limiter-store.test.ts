import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../src/shared/errors';
import { createLimiter, memoryLimiterStore, type LimiterStore } from '../../src/shared/rate-limit';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { tempDir } from '../helpers/storage';

describe('the limiter store the storage provides', () => {
  it('counts in memory on the embedded driver', async () => {
    const storage = createEmbeddedStorage({ dataDir: tempDir(), sync: 'normal' });
    try {
      expect(storage.limiterStore()).toBe(memoryLimiterStore);
      expect(storage.limiterStore().kind).toBe('memory');
      expect(storage.limiterStore().limiter({ keyPrefix: 't', points: 1, duration: 60 })).toBeInstanceOf(RateLimiterMemory);
    } finally {
      await storage.close();
    }
  });

  it('gives createLimiter its counters: two limiters on one shared store spend one budget', async () => {
    // A store shared by two "instances", as MongoDB is for the mongo driver.
    const shared = new Map<string, RateLimiterMemory>();
    const store: LimiterStore = {
      kind: 'memory',
      limiter: (opts) => {
        let l = shared.get(opts.keyPrefix);
        if (!l) shared.set(opts.keyPrefix, (l = new RateLimiterMemory(opts)));
        return l;
      },
    };
    const instanceA = createLimiter('login-ip', 2, store);
    const instanceB = createLimiter('login-ip', 2, store);
    await instanceA.consume('1.2.3.4');
    await instanceB.consume('1.2.3.4');
    const err = await instanceA.consume('1.2.3.4').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('keeps each process on its own budget with the default memory store', async () => {
    const a = createLimiter('write', 1);
    const b = createLimiter('write', 1);
    await a.consume('k');
    await expect(b.consume('k')).resolves.toBeUndefined();
    await expect(a.consume('k')).rejects.toBeInstanceOf(RateLimitedError);
  });
});
