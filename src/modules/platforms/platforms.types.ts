import type { City } from '../../shared/domain';
import type { Platform } from '../identity/identity.types';

/** How well the service knows a rider, weakest first: nothing, a bound phone, a delivery platform vouching for them. */
export const ACCESS_LEVELS = ['none', 'phone', 'platform'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** What the service knows of a rider, for access rules: the level and the facts of the latest current attestation. */
export interface RiderFacts {
  level: AccessLevel;
  /** The platform of the current attestation, else the rider's own choice in the profile. */
  platform: Platform | null;
  phoneBound: boolean;
  activeSince: Date | null;
  /** Whole days from activeSince to when the platform observed it. */
  activeDays: number | null;
  onTimeRate: number | null; // 0..1
  atFaultAccidents: number | null;
  complaints: number | null;
  /** When the platform observed the facts; null when no attestation counts (none, or older than the maximum age). */
  attestedAt: Date | null;
}

/** A delivery platform's signing key, registered by a city's administrators; the secret is stored sealed, never plain. */
export interface PlatformKey {
  id: string;
  platform: Platform;
  city: City;
  /** The HMAC secret sealed (src/shared/sealed.ts) with the key's id as context. */
  sealedSecret: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface PlatformKeyRepository {
  /** Stores a new key under its own id (chosen first: the secret is sealed bound to it). */
  create(key: Omit<PlatformKey, 'revokedAt' | 'revokedBy'>): Promise<PlatformKey>;
  get(id: string): Promise<PlatformKey | null>;
  /** One city's keys, ids ascending, keyset paging. */
  list(q: { city: City; limit: number; after?: string }): Promise<PlatformKey[]>;
  /** Revokes the key unless it already is (the first revocation is kept); null when unknown. */
  revoke(id: string, by: string, now: Date): Promise<PlatformKey | null>;
}

/** What one platform said about one rider, as received. */
export interface AttestationInput {
  riderId: string;
  platform: Platform;
  keyId: string;
  activeSince: Date;
  onTimeRate: number;
  atFaultAccidents: number;
  complaints: number;
  /** When the platform observed the facts: as sent, or when received. */
  observedAt: Date;
  receivedAt: Date;
}

export interface Attestation extends AttestationInput {
  id: string;
}

export interface AttestationRepository {
  create(input: AttestationInput): Promise<Attestation>;
  /** The rider's attestation observed last (the later received on a tie), from any platform; null when none. */
  latestFor(riderId: string): Promise<Attestation | null>;
}

/** A nonce one key has used, kept until expiresAt (then purged: its timestamp is outside the window by then). */
export interface UsedNonce {
  id: string;
  keyId: string;
  nonce: string;
  expiresAt: Date;
}

export interface NonceRepository {
  /** Records the key's nonce; false when the key used it before and the record is still kept. */
  claim(keyId: string, nonce: string, expiresAt: Date): Promise<boolean>;
}

/** What the platforms feature keeps in storage. */
export interface PlatformsStorage {
  readonly platformKeys: PlatformKeyRepository;
  readonly attestations: AttestationRepository;
  readonly platformNonces: NonceRepository;
}
