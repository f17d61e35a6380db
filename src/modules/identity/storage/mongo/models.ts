import { Schema, trusted, type Connection, type Model, type QueryFilter } from 'mongoose';
import { CITIES } from '../../../../shared/domain';
import { CODE_KINDS, CODE_RETENTION_S, HOLDING_KEYS, PLATFORMS, STAFF_ROLES, VERIFICATION_LEVELS, type AuditEntry, type OneTimeCode, type Rider, type Session, type Staff } from '../../identity.types';
import type { DocRecord } from '../../../../storage/mongo/doc-collection';

export type RiderRecord = DocRecord<Rider>;
export type StaffRecord = DocRecord<Staff>;
export type CodeRecord = DocRecord<OneTimeCode>;
export type SessionRecord = DocRecord<Session>;
export type AuditRecord = DocRecord<AuditEntry>;

export interface IdentityModels {
  riders: Model<RiderRecord>;
  staff: Model<StaffRecord>;
  codes: Model<CodeRecord>;
  sessions: Model<SessionRecord>;
  audit: Model<AuditRecord>;
}

// minimize off: an empty payload or summary must come back as {}, as it does from the embedded driver.
const OPTIONS = { versionKey: false, minimize: false, strict: true, id: false } as const;
const str = { type: String, default: null };
const date = { type: Date, default: null };
const when = { type: Date, required: true };
// Unbound openids and bot contacts are null and may repeat; bound ones must be unique.
const uniqueWhenSet = (field: string) => [{ [field]: 1 }, { unique: true, partialFilterExpression: { [field]: { $type: 'string' } } }] as const;

const riderSchema = new Schema<RiderRecord>({
  openid: str, unionid: str, botContactId: str, displayName: str, phone: str, plate: str,
  platform: { type: String, enum: PLATFORMS, default: null },
  city: { type: String, enum: CITIES, default: null },
  verification: { type: String, enum: VERIFICATION_LEVELS, required: true },
  status: { type: String, enum: ['active', 'suspended'], required: true },
  isDemo: { type: Boolean, default: false },
  createdAt: when, updatedAt: when,
}, { ...OPTIONS, collection: 'riders' });
riderSchema.index(...uniqueWhenSet('openid'));
riderSchema.index(...uniqueWhenSet('botContactId')); // findOrCreateByBotContact's upsert key
riderSchema.index({ city: 1, _id: 1 });
riderSchema.index({ status: 1, _id: 1 });
riderSchema.index({ phone: 1, _id: -1 }); // findByPhone: the newest rider who bound the phone

const staffSchema = new Schema<StaffRecord>({
  username: { type: String, required: true }, displayName: String, passwordHash: str,
  role: { type: String, enum: STAFF_ROLES, required: true },
  city: { type: String, enum: CITIES, required: true },
  status: { type: String, enum: ['active', 'disabled'], required: true },
  isDemo: { type: Boolean, default: false },
  stationIds: [String], merchantIds: [String], compoundIds: [String], bodyIds: [String],
  wechatOpenid: str, botContactId: str,
  failedLogins: { type: Number, default: 0 }, lockedUntil: date, lastLoginAt: date,
  createdAt: when, updatedAt: when,
}, { ...OPTIONS, collection: 'staff' });
staffSchema.index({ username: 1 }, { unique: true });
staffSchema.index(...uniqueWhenSet('wechatOpenid'));
staffSchema.index(...uniqueWhenSet('botContactId'));
staffSchema.index({ city: 1, _id: 1 });
staffSchema.index({ role: 1, _id: 1 });

const codeSchema = new Schema<CodeRecord>({
  kind: { type: String, enum: CODE_KINDS, required: true },
  codeHash: { type: String, required: true },
  payload: { type: Schema.Types.Mixed, default: () => ({}) },
  city: { type: String, enum: CITIES, default: null },
  createdBy: str, expiresAt: when, usedAt: date, usedBy: str, createdAt: when,
}, { ...OPTIONS, collection: 'one_time_codes' });
codeSchema.index({ codeHash: 1 }, { unique: true });
codeSchema.index({ kind: 1, city: 1, _id: 1 });
// TTL: the server deletes a code once expiresAt has passed (its monitor runs about every 60 s), as the embedded
// driver's hourly purge does. Type-checked only: never run against a server here.
codeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: CODE_RETENTION_S });

const sessionSchema = new Schema<SessionRecord>({
  subjectType: { type: String, enum: ['rider', 'staff'], required: true },
  subjectId: { type: String, required: true },
  refreshHash: { type: String, required: true },
  previousHashes: { type: [String], default: () => [] },
  expiresAt: when, revokedAt: date, createdAt: when, lastUsedAt: when,
}, { ...OPTIONS, collection: 'sessions' });
sessionSchema.index({ refreshHash: 1 }, { unique: true });
sessionSchema.index({ subjectType: 1, subjectId: 1 });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 }); // TTL, as for codes

const auditSchema = new Schema<AuditRecord>({
  at: when, actorId: String, actorRole: { type: String, enum: STAFF_ROLES, required: true },
  city: { type: String, enum: CITIES, default: null },
  action: String, objectType: String, objectId: str,
  summary: { type: Schema.Types.Mixed, default: () => ({}) },
  requestId: String,
}, { ...OPTIONS, collection: 'audit_entries' });
// Newest first (_id descending) under each filter the audit screen offers.
auditSchema.index({ city: 1, _id: -1 });
auditSchema.index({ actorId: 1, _id: -1 });
auditSchema.index({ action: 1, _id: -1 });
auditSchema.index({ objectType: 1, objectId: 1, _id: -1 });

/** Registers the identity models on this connection and builds their indexes (autoIndex is off). */
export async function createIdentityModels(conn: Connection): Promise<IdentityModels> {
  const models: IdentityModels = {
    riders: conn.model<RiderRecord>('Rider', riderSchema),
    staff: conn.model<StaffRecord>('Staff', staffSchema),
    codes: conn.model<CodeRecord>('OneTimeCode', codeSchema),
    sessions: conn.model<SessionRecord>('Session', sessionSchema),
    audit: conn.model<AuditRecord>('AuditEntry', auditSchema),
  };
  await Promise.all(Object.values(models).map((m: Model<unknown>) => m.createIndexes()));
  await backfillHoldings(models.staff);
  await backfillRiderBotContacts(models.riders);
  return models;
}

/**
 * Gives staff stored before a holding kind existed an empty list of it (lean reads apply no schema defaults), as the
 * embedded driver's migration does. Idempotent; type-checked only: never run against a server here.
 */
async function backfillHoldings(staff: Model<StaffRecord>): Promise<void> {
  for (const key of HOLDING_KEYS) {
    await staff.updateMany({ [key]: trusted({ $exists: false }) } as QueryFilter<StaffRecord>, { $set: { [key]: [] } });
  }
}

/**
 * Gives riders stored before bot contacts existed botContactId null, as the embedded driver's migration does (a lean
 * read would show the field missing). Idempotent; type-checked only: never run against a server here.
 */
async function backfillRiderBotContacts(riders: Model<RiderRecord>): Promise<void> {
  await riders.updateMany({ botContactId: trusted({ $exists: false }) } as QueryFilter<RiderRecord>, { $set: { botContactId: null } });
}
