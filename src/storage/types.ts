import type { LngLat } from '../shared/geo';
import type { OpeningHours } from '../shared/hours';

export const CITIES = ['chongqing', 'chengdu'] as const;
export type City = (typeof CITIES)[number];
export const CITY_NAMES: Record<City, string> = { chongqing: '重庆', chengdu: '成都' };

export const AMENITIES = [
  'drinking_water', 'hot_water', 'microwave', 'fridge', 'phone_charging', 'ebike_charging', 'battery_swap',
  'toilet', 'seating', 'air_conditioning', 'wifi', 'first_aid', 'rain_gear', 'repair_tools',
] as const;
export type Amenity = (typeof AMENITIES)[number];

export const STATION_STATUSES = ['open', 'temporarily_closed', 'closed'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

export const MERCHANT_CATEGORIES = ['餐饮', '便利店', '维修', '理发', '洗衣', '药店', '其他'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

export interface Contact {
  name: string | null;
  phone: string | null;
}

export interface Occupancy {
  /** Free seats as last reported; whether it is still fresh is the service's call. */
  available: number | null;
  reportedAt: Date | null;
  reportedBy: string | null;
}

/** Fields an administrator or importer supplies for a 暖新驿站. Coordinates are WGS-84. */
export interface StationInput {
  externalId: string | null;
  name: string;
  city: City;
  district: string;
  address: string;
  location: LngLat;
  hours: OpeningHours;
  amenities: Amenity[];
  capacity: number;
  operator: Contact;
  status: StationStatus;
  statusNote: string | null;
  isDemo: boolean;
}

export interface Station extends StationInput {
  id: string;
  occupancy: Occupancy;
  createdAt: Date;
  updatedAt: Date;
}

export interface Discount {
  text: string;
  kind: 'percent' | 'amount' | 'other';
  percentOff: number | null; // 12 means 12% off (八八折)
  amountOff: number | null; // yuan
  minSpend: number | null; // yuan
  conditions: string[];
}

export interface MerchantInput {
  externalId: string | null;
  name: string;
  city: City;
  district: string;
  address: string;
  location: LngLat;
  category: MerchantCategory;
  discount: Discount;
  validFrom: Date | null;
  validTo: Date | null;
  hours: OpeningHours;
  phone: string | null;
  status: 'active' | 'inactive';
  isDemo: boolean;
}

export interface Merchant extends MerchantInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export type Located<T> = T & { distanceM: number };

/** Filters a driver applies while it walks outward from the centre. */
export interface StationNearbyQuery {
  center: LngLat;
  radiusM: number;
  limit: number;
  amenities?: Amenity[];
  city?: City;
  /** Only stations with a free seat reported at or after this time. */
  freeSeatsSince?: Date;
}

export interface MerchantNearbyQuery {
  center: LngLat;
  radiusM: number;
  limit: number;
  category?: MerchantCategory;
  city?: City;
  /** Only merchants whose discount is valid at this time. */
  validAt: Date;
}

export interface ListQuery {
  city?: City;
  limit: number;
  /** Keyset paging: ids sort ascending; pass the last id seen. */
  after?: string;
}

export interface UpsertReport {
  inserted: number;
  updated: number;
  unchanged: number;
  ids: string[];
}

export interface GeoRepository<Input, Doc, Nearby> {
  create(input: Input, now: Date): Promise<Doc>;
  get(id: string): Promise<Doc | null>;
  /** The document with this external (importer's) id, in any city. */
  getByExternalId(externalId: string): Promise<Doc | null>;
  /** Replaces the given fields; null when the id is unknown. */
  update(id: string, patch: Partial<Input>, now: Date): Promise<Doc | null>;
  delete(id: string): Promise<boolean>;
  list(q: ListQuery): Promise<Doc[]>;
  count(filter?: { city?: City }): Promise<number>;
  /** Nearest first, within radiusM, at most limit; distanceM is great-circle metres. */
  nearby(q: Nearby): Promise<Array<Located<Doc>>>;
  /** Inserts or updates by externalId, all or nothing; equal documents count as unchanged. */
  upsertMany(items: Input[], now: Date): Promise<UpsertReport>;
}

export interface StationRepository extends GeoRepository<StationInput, Station, StationNearbyQuery> {
  setOccupancy(id: string, occupancy: Occupancy, now: Date): Promise<Station | null>;
}

export type MerchantRepository = GeoRepository<MerchantInput, Merchant, MerchantNearbyQuery>;

export interface Storage {
  readonly driver: 'embedded' | 'mongo';
  readonly stations: StationRepository;
  readonly merchants: MerchantRepository;
  readonly riders: RiderRepository;
  readonly staff: StaffRepository;
  readonly codes: OneTimeCodeRepository;
  readonly sessions: SessionRepository;
  readonly audit: AuditRepository;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// ---- Identity: riders, staff, one-time codes, sessions, audit ----

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
  isDemo: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RiderRepository {
  /** The rider with this openid, created if new (atomically: two logins at once make one rider). */
  findOrCreateByOpenid(openid: string, unionid: string | null, now: Date, extra?: Partial<Pick<Rider, 'isDemo' | 'displayName' | 'city'>>): Promise<{ rider: Rider; created: boolean }>;
  get(id: string): Promise<Rider | null>;
  update(id: string, patch: Partial<RiderProfile & { unionid: string | null }>, now: Date): Promise<Rider | null>;
  list(q: ListQuery & { status?: Rider['status'] }): Promise<Rider[]>;
  count(filter?: { city?: City }): Promise<number>;
}

export const STAFF_ROLES = ['city_admin', 'station_operator', 'merchant_owner', 'property_manager', 'gate_guard'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a staff member holds; which list matters depends on the role. */
export interface Holdings {
  stationIds: string[];
  merchantIds: string[];
  compoundIds: string[];
}

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
export const MAX_PREVIOUS_REFRESH = 50;

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
