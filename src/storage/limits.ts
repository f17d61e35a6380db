import { ConflictError } from '../shared/errors';

/**
 * The one rule both drivers follow for page sizes: a whole number of at least 1 (fractions round down). Anything
 * else is a caller's bug, so it throws instead of meaning "no limit" (SQLite's LIMIT -1) or "nothing" (Mongo's 0).
 */
export function pageLimit(limit: number): number {
  const n = Math.floor(limit);
  if (!(n >= 1)) throw new RangeError(`limit must be a number >= 1, got ${String(limit)}`);
  return n;
}

/** Refuses a batch that names one externalId twice (409, nothing written), before either driver touches the store. */
export function assertDistinctExternalIds(items: ReadonlyArray<{ externalId: string | null }>): void {
  const seen = new Set<string>();
  for (const { externalId } of items) {
    if (externalId === null || externalId === undefined) continue;
    if (seen.has(externalId)) throw new ConflictError(`externalId ${externalId} 在同一批中出现了两次`, { field: 'externalId', externalId });
    seen.add(externalId);
  }
}
