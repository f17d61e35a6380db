import type { City, GeoRepository, PlaceInput } from '../../shared/domain';
import type { LngLat } from '../../shared/geo';
import type { TimeRange } from '../../shared/hours';
import type { Platform } from '../identity/identity.types';
import { ACCESS_LEVELS, type AccessLevel } from '../platforms/platforms.types';

/** How a compound treats riders' requests: decided by its managers, approved at once for riders who meet the rules, or refused. */
export const ACCESS_MODES = ['manual', 'auto', 'closed'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** How well the service knows a rider, weakest first (the platforms feature works it out): none, phone, platform. */
export const RIDER_LEVELS = ACCESS_LEVELS;
export type RiderLevel = AccessLevel;

export interface Gate {
  /** Short and stable within the compound ("east", "2"): part of the gate's place code. */
  id: string;
  name: string;
  location: LngLat | null; // WGS-84
}

/** What a rider must meet. The attestation facts are tested only when set, and only in auto mode. */
export interface AccessRules {
  minLevel: RiderLevel;
  /** Daily hours riders may enter, Asia/Shanghai; null is any time. A range may run past midnight. */
  hours: TimeRange[] | null;
  /** Delivery platforms admitted; null is any. */
  platforms: Platform[] | null;
  ebikeAllowed: boolean;
  /** Longest pass granted, in days. */
  maxPassDays: number;
  minActiveDays: number | null;
  minOnTimeRate: number | null; // 0..1
  maxAtFaultAccidents: number | null;
  maxComplaints: number | null;
}

export interface AccessPolicy {
  mode: AccessMode;
  rules: AccessRules;
}

/** Fields an administrator or importer supplies for a 小区. Coordinates are WGS-84. */
export interface CompoundInput extends PlaceInput {
  propertyCompany: string | null;
  gates: Gate[];
  policy: AccessPolicy;
  /** Shown to riders: which gate, where to park, building directions. */
  notes: string | null;
  isDemo: boolean;
}

export interface Compound extends CompoundInput {
  id: string;
  /** 8 characters, unique: with a gate id it forms the gate's printed place code. */
  code: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CompoundNearbyQuery {
  center: LngLat;
  radiusM: number;
  limit: number;
  city?: City;
}

export interface CompoundRepository extends GeoRepository<CompoundInput, Compound, CompoundNearbyQuery> {
  /** Name or address containing the text (case-insensitive), ids ascending. */
  search(q: { text: string; city?: City; limit: number }): Promise<Compound[]>;
  findByCode(code: string): Promise<Compound | null>;
}

export const REQUEST_STATUSES = ['pending', 'approved', 'denied'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface AccessRequest {
  id: string;
  compoundId: string;
  city: City;
  riderId: string;
  reason: string | null;
  durationDays: number;
  status: RequestStatus;
  /** Who decided: a manager's staff id, or 'auto' for the rules. */
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Why it was denied (shown to the rider), or a note on approval. */
  decisionNote: string | null;
  passId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AccessRequestRepository {
  create(r: AccessRequest): Promise<AccessRequest>;
  get(id: string): Promise<AccessRequest | null>;
  /** The rider's pending request for the compound, if any. */
  findPending(riderId: string, compoundId: string): Promise<AccessRequest | null>;
  /** Sets the decision if the request is still pending; null when it is not (someone decided first). */
  decide(id: string, d: Pick<AccessRequest, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'passId'>): Promise<AccessRequest | null>;
  list(q: { compoundIds?: readonly string[]; city?: City; riderId?: string; status?: RequestStatus; limit: number; after?: string; createdSince?: Date; createdBefore?: Date }): Promise<AccessRequest[]>;
}

export const PASS_STATUSES = ['active', 'revoked'] as const;
export type PassStatus = (typeof PASS_STATUSES)[number];

export interface Pass {
  id: string;
  /** The pass's number at its compound, from 1: the first part of its typed entry code. */
  number: number;
  compoundId: string;
  city: City;
  riderId: string;
  requestId: string;
  validFrom: Date;
  validTo: Date;
  /** The compound's allowed hours when the pass was granted; checked at every entry. */
  hours: TimeRange[] | null;
  /** The TOTP secret, sealed (src/shared/sealed.ts). */
  secretSealed: string;
  status: PassStatus;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
  /** When the expiring-soon notice was written to the outbox. */
  expiryNoticeAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PassRepository {
  /** Inserts with the next free number at its compound (the given number is ignored). */
  create(p: Omit<Pass, 'number'>): Promise<Pass>;
  get(id: string): Promise<Pass | null>;
  findByNumber(compoundId: string, number: number): Promise<Pass | null>;
  /** The rider's active pass at the compound still valid at `at`, if any. */
  findCurrent(riderId: string, compoundId: string, at: Date): Promise<Pass | null>;
  listByRider(riderId: string, q: { limit: number; after?: string }): Promise<Pass[]>;
  /** Revokes an active pass; null when it is unknown or already revoked. */
  revoke(id: string, by: string, reason: string, at: Date): Promise<Pass | null>;
  /** Revokes every active pass of the rider at the compound; returns them. */
  revokeAllOf(riderId: string, compoundId: string, by: string, reason: string, at: Date): Promise<Pass[]>;
  /** How many passes of the compound are active and not yet ended at `at`. */
  countActive(compoundId: string, at: Date): Promise<number>;
  /** Active passes ending within (now, until] with no expiry notice yet. */
  expiringWithoutNotice(now: Date, until: Date, limit: number): Promise<Pass[]>;
  markExpiryNotice(id: string, at: Date): Promise<boolean>;
}

export const ENTRY_METHODS = ['code', 'qr'] as const;
export type EntryMethod = (typeof ENTRY_METHODS)[number];

/** Why a gate check refused, as the guard's phone shows it; 'ok' when allowed. */
export const ENTRY_REASONS = [
  'ok', 'format', 'unknown_pass', 'wrong_code', 'other_compound', 'unknown_gate', 'not_yet_valid', 'expired', 'revoked',
  'outside_hours', 'blocked', 'rider_suspended', 'replayed', 'token_invalid', 'token_expired', 'rate_limited',
] as const;
export type EntryReason = (typeof ENTRY_REASONS)[number];

/** One gate check, allowed or refused. */
export interface EntryEvent {
  id: string;
  compoundId: string;
  city: City;
  gateId: string;
  at: Date;
  method: EntryMethod;
  allowed: boolean;
  reason: EntryReason;
  passId: string | null;
  riderId: string | null;
  /** The guard's staff id or the gate device's id. */
  checkedBy: string;
  checkerKind: 'staff' | 'device';
}

export interface EntryRepository {
  record(e: EntryEvent): Promise<EntryEvent>;
  /** Writes several at once, all or none (one commit: the gate check's group commit). */
  recordMany(es: EntryEvent[]): Promise<void>;
  list(q: { compoundId: string; riderId?: string; limit: number; before?: string; since?: Date; until?: Date }): Promise<EntryEvent[]>;
}

/** A rider kept out of one compound by its managers. */
export interface Block {
  id: string;
  compoundId: string;
  city: City;
  riderId: string;
  reason: string;
  createdBy: string;
  createdAt: Date;
  liftedAt: Date | null;
  liftedBy: string | null;
}

export interface BlockRepository {
  create(b: Block): Promise<Block>;
  /** The rider's block at the compound that is not lifted. */
  findActive(riderId: string, compoundId: string): Promise<Block | null>;
  lift(id: string, by: string, at: Date): Promise<Block | null>;
  list(q: { compoundId: string; limit: number; after?: string }): Promise<Block[]>;
}

/** A QR token's id seen at a compound: a second use is a replay. Kept until the token has expired. */
export interface TokenUse {
  jti: string;
  compoundId: string;
  expiresAt: Date;
}

export interface TokenUseRepository {
  /** Records the use; false when the token was already used at this compound. */
  claim(u: TokenUse): Promise<boolean>;
}

/** A gate device (a fixed scanner or a shared phone at the gate) issued for one compound. */
export interface GateDevice {
  id: string;
  compoundId: string;
  city: City;
  name: string;
  tokenHash: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface GateDeviceRepository {
  create(d: GateDevice): Promise<GateDevice>;
  get(id: string): Promise<GateDevice | null>;
  findByTokenHash(hash: string): Promise<GateDevice | null>;
  revoke(id: string, at: Date): Promise<GateDevice | null>;
  list(q: { compoundId: string; limit: number; after?: string }): Promise<GateDevice[]>;
}

/** What the compounds feature keeps in storage. */
export interface CompoundsStorage {
  readonly compounds: CompoundRepository;
  readonly accessRequests: AccessRequestRepository;
  readonly passes: PassRepository;
  readonly entries: EntryRepository;
  readonly blocks: BlockRepository;
  readonly tokenUses: TokenUseRepository;
  readonly gateDevices: GateDeviceRepository;
}
