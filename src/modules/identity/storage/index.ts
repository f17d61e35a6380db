import type { FeatureStore } from '../../../feature';
import type { IdentityStorage } from '../identity.types';
import { createEmbeddedAudit } from './embedded/audit';
import { createEmbeddedCodes } from './embedded/codes';
import { createEmbeddedRiders } from './embedded/riders';
import { createEmbeddedSessions } from './embedded/sessions';
import { createEmbeddedStaff } from './embedded/staff';
import { createMongoAudit } from './mongo/audit';
import { createMongoCodes } from './mongo/codes';
import { createIdentityModels } from './mongo/models';
import { createMongoRiders } from './mongo/riders';
import { createMongoSessions } from './mongo/sessions';
import { createMongoStaff } from './mongo/staff';

/** Riders, staff, one-time codes, sessions and the audit log in either driver. */
export const identityStore: FeatureStore<IdentityStorage> = {
  embedded: {
    migrations: [
      // UNIQUE columns allow many NULLs, which is what unbound openids and bot contacts need.
      `CREATE TABLE riders (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         openid TEXT UNIQUE,
         city TEXT,
         status TEXT NOT NULL,
         doc TEXT NOT NULL
       );
       CREATE INDEX riders_city ON riders (city, id);
       CREATE INDEX riders_status ON riders (status, id);
       CREATE TABLE staff (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         username TEXT NOT NULL UNIQUE,
         wechat_openid TEXT UNIQUE,
         bot_contact_id TEXT UNIQUE,
         city TEXT NOT NULL,
         role TEXT NOT NULL,
         doc TEXT NOT NULL
       );
       CREATE INDEX staff_city ON staff (city, id);
       CREATE INDEX staff_role ON staff (role, id);
       CREATE TABLE one_time_codes (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         kind TEXT NOT NULL,
         code_hash TEXT NOT NULL UNIQUE,
         city TEXT,
         doc TEXT NOT NULL
       );
       CREATE INDEX one_time_codes_kind ON one_time_codes (kind, id);
       CREATE TABLE sessions (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         subject_type TEXT NOT NULL,
         subject_id TEXT NOT NULL,
         refresh_hash TEXT NOT NULL UNIQUE,
         doc TEXT NOT NULL
       );
       CREATE INDEX sessions_subject ON sessions (subject_type, subject_id);
       CREATE TABLE audit_entries (
         rid INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         at TEXT NOT NULL,
         city TEXT,
         actor_id TEXT NOT NULL,
         action TEXT NOT NULL,
         object_type TEXT NOT NULL,
         object_id TEXT,
         doc TEXT NOT NULL
       );
       CREATE INDEX audit_city ON audit_entries (city, id);
       CREATE INDEX audit_actor ON audit_entries (actor_id, id);
       CREATE INDEX audit_action ON audit_entries (action, id);
       CREATE INDEX audit_object ON audit_entries (object_type, object_id, id);
       CREATE INDEX audit_at ON audit_entries (at);`,
      // Expired sessions and codes are deleted at open and hourly (DocTable's expiresField); these expression
      // indexes make that delete a range scan. IF NOT EXISTS: stores adopted from the single user_version
      // re-run this step harmlessly.
      `CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (json_extract(doc, '$.expiresAt'));
       CREATE INDEX IF NOT EXISTS one_time_codes_expires ON one_time_codes (json_extract(doc, '$.expiresAt'));`,
      // Platforms find their riders by bound phone: a column the riders repository keeps in step with doc.phone.
      `ALTER TABLE riders ADD COLUMN phone TEXT;
       UPDATE riders SET phone = json_extract(doc, '$.phone');
       CREATE INDEX riders_phone ON riders (phone, id);`,
      // Staff hold responsible bodies (body_staff): accounts stored before that hold none.
      `UPDATE staff SET doc = json_set(doc, '$.bodyIds', json('[]')) WHERE json_type(doc, '$.bodyIds') IS NULL;`,
      // Riders the bot knows by their WeChat contact (POST /api/v1/bot/sessions): unique when set, NULLs repeat.
      // Riders stored before it have none.
      `ALTER TABLE riders ADD COLUMN bot_contact_id TEXT;
       UPDATE riders SET doc = json_set(doc, '$.botContactId', json('null')) WHERE json_type(doc, '$.botContactId') IS NULL;
       CREATE UNIQUE INDEX riders_bot_contact ON riders (bot_contact_id);`,
    ],
    open: (db) => ({
      riders: createEmbeddedRiders(db),
      staff: createEmbeddedStaff(db),
      codes: createEmbeddedCodes(db),
      sessions: createEmbeddedSessions(db),
      audit: createEmbeddedAudit(db),
    }),
  },
  mongo: {
    async open(conn) {
      const m = await createIdentityModels(conn);
      return {
        riders: createMongoRiders(m.riders),
        staff: createMongoStaff(m.staff),
        codes: createMongoCodes(m.codes),
        sessions: createMongoSessions(m.sessions),
        audit: createMongoAudit(m.audit),
      };
    },
  },
};
