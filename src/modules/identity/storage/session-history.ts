import { MAX_PREVIOUS_REFRESH, type Session } from '../identity.types';

/** Sessions stored before previousHashes existed read as having none. */
export const sessionWithHistory = (s: Session | null): Session | null => (s && !s.previousHashes ? { ...s, previousHashes: [] } : s);

/** The rotated-away hashes after one more rotation, newest last, capped. */
export const rememberHash = (previous: readonly string[], hash: string): string[] => [...previous, hash].slice(-MAX_PREVIOUS_REFRESH);
