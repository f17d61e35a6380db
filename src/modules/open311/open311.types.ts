import type { City } from '../../shared/domain';

/**
 * A key a city's administrators issue to an Open311 client (a 12345 hotline platform, a partner's app). Only the
 * SHA-256 of the key is stored; the key itself is shown once, when it is issued.
 */
export interface Open311Key {
  id: string;
  city: City;
  /** Who holds it, as the administrators named the client. */
  name: string;
  /** SHA-256 of the key, base64url (the key is 256 random bits: a fast hash is enough, there is nothing to guess). */
  keyHash: string;
  /** The service rider account made with the key: reports sent with it name this rider as reporter. */
  riderId: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface Open311KeyRepository {
  /** Stores a new key under its own id; a second key with the same hash is a 409. */
  create(key: Omit<Open311Key, 'revokedAt' | 'revokedBy'>): Promise<Open311Key>;
  get(id: string): Promise<Open311Key | null>;
  /** The key whose hash this is, revoked or not; null when none. */
  findByHash(keyHash: string): Promise<Open311Key | null>;
  /** One city's keys, ids ascending, keyset paging. */
  list(q: { city: City; limit: number; after?: string }): Promise<Open311Key[]>;
  /** Revokes the key unless it already is (the first revocation is kept); null when unknown. */
  revoke(id: string, by: string, now: Date): Promise<Open311Key | null>;
}

/** What the Open311 feature keeps in storage (the reports themselves are the hazards feature's). */
export interface Open311Storage {
  readonly open311Keys: Open311KeyRepository;
}
