import type { Connection } from 'mongoose';
import { RateLimiterMemory, RateLimiterMongo } from 'rate-limiter-flexible';
import type { LimiterStore } from '../../shared/rate-limit';

/** The collection every limiter shares; keys carry their limiter's prefix, a TTL index on `expire` clears them. */
const COLLECTION = 'rate_limits';

/**
 * Rate-limit counters in MongoDB, so several API instances sharing one database count together (a login limit
 * of 10 per minute stays 10, not 10 per instance). rate-limiter-flexible takes the mongoose connection as its
 * storeClient and uses that connection's database (its dbName option does not apply to mongoose), creating the
 * collection's unique `key` index and TTL index itself. If MongoDB errors, each limiter falls back to counting in
 * memory (insuranceLimiter) rather than failing every write with a 500. Type-checked only: never run against a server.
 */
export function createMongoLimiterStore(conn: Connection): LimiterStore {
  return {
    kind: 'mongo',
    limiter: (opts) =>
      new RateLimiterMongo({ ...opts, storeClient: conn, tableName: COLLECTION, insuranceLimiter: new RateLimiterMemory(opts) }),
  };
}
