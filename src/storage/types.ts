import type { LimiterStore } from '../shared/rate-limit';

/** What every driver provides besides the features' repositories. */
export interface StorageBase {
  readonly driver: 'embedded' | 'mongo';
  /**
   * Whether atomically() really is one transaction: always on the embedded driver; on MongoDB only for a replica
   * set or a sharded cluster (hello at start). Bulk imports need it in production (refused there without).
   */
  readonly transactions: boolean;
  /**
   * Runs fn so that everything it writes commits together or not at all (a mutation and its audit entry). Nested
   * calls join the outer one. On MongoDB this needs a replica set; without one it runs fn as it is. Embedded reads
   * served from the in-memory mirror (get, nearby) do not see the unit's own writes until it commits: write, then
   * read inside one unit only through what the write returned.
   */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
  /** Where rate-limit counters live: memory (embedded) or the shared MongoDB (mongo), so instances count together. */
  limiterStore(): LimiterStore;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
