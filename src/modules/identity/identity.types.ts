import type { City, ListQuery } from '../../shared/domain';

export const PLATFORMS = ['美团', '饿了么', '顺丰', '京东', '闪送', '达达', '其他'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const VERIFICATION_LEVELS = ['unverified', 'platform_verified', 'admin_verified'] as const;
export type VerificationLevel = (typeof VERIFICATION_LEVELS)[number];

export interface RiderProfile {
  displayName: string | null;
  phone: string | null; // never leaves the service unmasked except to its owner
  platform: Platform | null;
  city: City | null;
  plate: string | null; // e-bike plate
  verification: VerificationLevel;
  status: 'active' | 'suspended';
}

export interface Rider extends RiderProfile {
  id: string;
  openid: string | null;
  unionid: string | null;
  /** The WeChat contact the bot knows this rider by (unique when set): riders who only ever chat with the bot. */
  botContactId: string | null;
  isDemo: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RiderRepository {
  /** The rider with this openid, created if new (atomically: two logins at once make one rider). */
  findOrCreateByOpenid(openid: string, unionid: string | null, now: Date, extra?: Partial<Pick<Rider, 'isDemo' | 'displayName' | 'city'>>): Promise<{ rider: Rider; created: boolean }>;
  /** The rider the bot knows by this contact, created (without an openid) if new; atomic like findOrCreateByOpenid. */
  findOrCreateByBotContact(contactId: string, now: Date, extra?: Partial<Pick<Rider, 'isDemo' | 'displayName' | 'city'>>): Promise<{ rider: Rider; created: boolean }>;
  get(id: string): Promise<Rider | null>;
  /** The rider who bound this phone; the newest rider when several bound it (one person, two WeChat accounts); null when none. */
  findByPhone(phone: string): Promise<Rider | null>;
  update(id: string, patch: Partial<RiderProfile & { unionid: string | null }>, now: Date): Promise<Rider | null>;
  list(q: ListQuery & { status?: Rider['status'] }): Promise<Rider[]>;
  count(filter?: { city?: City }): Promise<number>;
}

export const STAFF_ROLES = ['city_admin', 'station_operator', 'merchant_owner', 'property_manager', 'gate_guard', 'body_staff'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * The lists of ids staff can hold, one per holdable kind: stations (operators), merchants (owners), compounds
 * (property managers, gate guards), responsible bodies (body staff). Each feature contributes its HoldingKind.
 */
export const HOLDING_KEYS = ['stationIds', 'merchantIds', 'compoundIds', 'bodyIds'] as const;
export type HoldingKey = (typeof HOLDING_KEYS)[number];

/** What a staff member holds; which list matters depends on the role. */
export type Holdings = Record<HoldingKey, string[]>;

export interface StaffInput extends Holdings {
  username: string; // lower case, unique
  displayName: string;
  passwordHash: string | null; // null: password login disabled (e.g. demo users)
  role: StaffRole;
  city: City; // the city a staff member works in; a city_admin's authority
  status: 'active' | 'disabled';
  isDemo: boolean;
}

export interface Staff extends StaffInput {
  id: string;
  wechatOpenid: string | null; // unique when set
  botContactId: string | null; // unique when set
  failedLogins: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type StaffPatch = Partial<Omit<Staff, 'id' | 'createdAt' | 'updatedAt' | 'username'>>;

export interface StaffRepository {
  /** 409 when the username (or a WeChat binding) is taken. */
  create(input: StaffInput, now: Date): Promise<Staff>;
  get(id: string): Promise<Staff | null>;
  findByUsername(username: string): Promise<Staff | null>;
  findByOpenid(openid: string): Promise<Staff | null>;
  findByBotContact(contactId: string): Promise<Staff | null>;
  /** 409 when a new wechatOpenid/botContactId is bound to someone else. */
  update(id: string, patch: StaffPatch, now: Date): Promise<Staff | null>;
  /** Adds one failed login atomically and returns the new count. */
  addFailedLogin(id: string, now: Date): Promise<number>;
  list(q: ListQuery & { role?: StaffRole }): Promise<Staff[]>;
  count(filter?: { city?: City; role?: StaffRole }): Promise<number>;
}

/** Expired one-time codes are kept this long (seconds) before they are deleted: until then they answer 410 "expired". */
export const CODE_RETENTION_S = 30 * 86_400;

export const CODE_KINDS = ['invitation', 'bot_bind'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/** A single-use, expiring code: staff invitations, bot binding. Only the code's hash is stored. */
export interface OneTimeCode {
  id: string;
  kind: CodeKind;
  codeHash: string; // unique
  payload: Record<string, unknown>;
  city: City | null;
  createdBy: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
  createdAt: Date;
}

export interface OneTimeCodeRepository {
  create(input: Omit<OneTimeCode, 'id' | 'usedAt' | 'usedBy' | 'createdAt'>, now: Date): Promise<OneTimeCode>;
  findByHash(kind: CodeKind, codeHash: string): Promise<OneTimeCode | null>;
  /** Marks it used if it is still unused; false when someone else used it first. */
  consume(id: string, usedBy: string, now: Date): Promise<boolean>;
  /** Undoes a consume whose follow-up failed, so the code can be used again. */
  release(id: string): Promise<void>;
  list(q: { kind: CodeKind; city?: City; limit: number; after?: string }): Promise<OneTimeCode[]>;
}

export type SubjectType = 'rider' | 'staff';

/** A login: holds the hash of the current refresh token; revoking it ends every token of the login. */
export interface Session {
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  refreshHash: string; // unique
  /** Hashes of refresh tokens rotated away, newest last (at most MAX_PREVIOUS_REFRESH): a replay of one ends the session. */
  previousHashes: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date;
}

/** How many rotated-away refresh hashes a session remembers. */
export const MAX_PREVIOUS_REFRESH = 200;

export interface SessionRepository {
  create(input: Pick<Session, 'subjectType' | 'subjectId' | 'refreshHash' | 'expiresAt'>, now: Date): Promise<Session>;
  get(id: string): Promise<Session | null>;
  findByRefreshHash(refreshHash: string): Promise<Session | null>;
  /** Swaps the refresh hash only if it is still `from` (compare-and-set), keeping `from` in previousHashes; false means the old token was reused. */
  rotate(id: string, from: string, to: string, expiresAt: Date, now: Date): Promise<boolean>;
  revoke(id: string, now: Date): Promise<void>;
  revokeAllFor(subjectType: SubjectType, subjectId: string, now: Date): Promise<number>;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorId: string;
  actorRole: StaffRole;
  city: City | null;
  action: string; // e.g. 'station.update', 'station.occupancy'
  objectType: string;
  objectId: string | null;
  summary: Record<string, unknown>;
  requestId: string;
}

export interface AuditQuery {
  city?: City;
  actorId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Keyset paging, newest first: pass the last id seen. */
  before?: string;
}

export interface AuditRepository {
  append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  list(q: AuditQuery): Promise<AuditEntry[]>;
}


/** What the identity feature keeps in storage. */
export interface IdentityStorage {
  readonly riders: RiderRepository;
  readonly staff: StaffRepository;
  readonly codes: OneTimeCodeRepository;
  readonly sessions: SessionRepository;
  readonly audit: AuditRepository;
}
