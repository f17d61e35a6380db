import fs from 'node:fs';
import path from 'node:path';
import { hkdfSync } from 'node:crypto';
import { z } from 'zod';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every key, its type and its bounds; config/example.env explains each one. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']),
    HOST: z.string().min(1),
    PORT: int(0, 65535),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    STORAGE_DRIVER: z.enum(['auto', 'embedded', 'mongo']),
    DATA_DIR: z.string().min(1),
    EMBEDDED_SYNC: z.enum(['full', 'normal']),
    MONGODB_URI: z.string().refine((v) => v === '' || /^mongodb(\+srv)?:\/\//.test(v), 'must start with mongodb:// or mongodb+srv://'),
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(100, 300_000),
    MONGODB_CONNECT_TIMEOUT_MS: int(100, 300_000),
    DEMO_DATA: bool,
    JWT_SECRET: z.string().min(16, 'must be at least 16 characters'),
    SECRETS_KEY: z.string(),
    GATE_KEY_ROTATION_HOURS: int(1, 24 * 30),
    QR_TOKEN_TTL_SECONDS: int(10, 60),
    ACCESS_OVERDUE_MINUTES: int(1, 7 * 24 * 60),
    GATE_WRONG_CODES_PER_MINUTE: int(1, 1000),
    PASS_EXPIRY_NOTICE_HOURS: int(1, 24 * 14),
    HAZARD_COMPOUND_DISTANCE_M: int(0, 2000),
    HAZARD_REPORTS_PER_MINUTE: int(1, 1000),
    ACCESS_TOKEN_TTL_SECONDS: int(60, 24 * 3600),
    REFRESH_TOKEN_TTL_DAYS: int(1, 365),
    WECHAT_API_BASE: z.string().refine((v) => /^https?:\/\/[^/]+/.test(v), 'must be an http(s) URL'),
    WECHAT_APPID: z.string(),
    WECHAT_SECRET: z.string(),
    WECHAT_TEMPLATE_ACCESS: z.string().max(128),
    WECHAT_TEMPLATE_PASS: z.string().max(128),
    WECHAT_TEMPLATE_HAZARD: z.string().max(128),
    WECHAT_MINIPROGRAM_STATE: z.enum(['developer', 'trial', 'formal']),
    // Consumer names as src/modules/outbox/outbox.types.ts CONSUMER_PATTERN has them.
    OUTBOX_CONSUMERS: z.string().transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'names are lower-case letters, digits, _ and -'))
        .min(1, 'needs at least one consumer').refine((l) => new Set(l).size === l.length, 'names a consumer twice')),
    OUTBOX_LEASE_SECONDS: int(5, 600),
    OUTBOX_POLL_MS: int(100, 600_000),
    BOT_TOKEN: z.string(),
    BOOTSTRAP_ADMIN_USERNAME: z.string(),
    BOOTSTRAP_ADMIN_PASSWORD: z.string(),
    BOOTSTRAP_ADMIN_CITY: z.enum(['', 'chongqing', 'chengdu']),
    DEV_LOGIN: bool,
    INVITATION_TTL_HOURS: int(1, 24 * 30),
    LOGIN_LOCK_AFTER: int(1, 100),
    LOGIN_LOCK_MINUTES: int(1, 24 * 60),
    RATE_LIMIT_LOGIN_PER_MINUTE: int(1, 100_000),
    RATE_LIMIT_WRITE_PER_MINUTE: int(1, 1_000_000),
    OCCUPANCY_FRESHNESS_MINUTES: int(1, 24 * 60),
    PLATFORM_ATTESTATION_MAX_AGE_DAYS: int(1, 365),
    PLATFORM_ATTESTATIONS_PER_MINUTE: int(1, 100_000),
    BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024),
    IMPORT_LIMIT_BYTES: int(1024, 500 * 1024 * 1024),
    GBFS_TTL_SECONDS: int(0, 3600),
    PUBLIC_BASE_URL: z.string().refine((v) => v === '' || /^https?:\/\/[^/]+/.test(v), 'must be an http(s) URL or empty'),
    TRUST_PROXY: bool,
    TRUST_PROXY_HOPS: int(1, 10),
    SHUTDOWN_TIMEOUT_MS: int(0, 120000),
  })
  .superRefine((c, ctx) => {
    if (c.STORAGE_DRIVER === 'mongo' && !c.MONGODB_URI) {
      ctx.addIssue({ code: 'custom', path: ['MONGODB_URI'], message: 'is required when STORAGE_DRIVER=mongo' });
    }
    if (c.NODE_ENV === 'production') {
      if (c.JWT_SECRET.length < 32 || /change-me/.test(c.JWT_SECRET)) {
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be a secret of at least 32 characters in production' });
      }
      if (c.DEV_LOGIN) ctx.addIssue({ code: 'custom', path: ['DEV_LOGIN'], message: 'must be false in production' });
      if (c.SECRETS_KEY.length < 32 || /change-me/.test(c.SECRETS_KEY) || c.SECRETS_KEY === c.JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['SECRETS_KEY'], message: 'must be a secret of at least 32 characters, other than JWT_SECRET, in production' });
      }
      if (c.BOT_TOKEN && c.BOT_TOKEN.length < 32) ctx.addIssue({ code: 'custom', path: ['BOT_TOKEN'], message: 'must be at least 32 characters in production' });
      // Otherwise GBFS feeds and Open311 media_url would link to whatever Host header a request sent (and a cache
      // in front would keep it for everyone).
      if (!c.PUBLIC_BASE_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'is required in production: the https:// address riders and clients reach the service at' });
    }
    if (c.BOOTSTRAP_ADMIN_USERNAME && (!c.BOOTSTRAP_ADMIN_CITY || c.BOOTSTRAP_ADMIN_PASSWORD.length < 12)) {
      ctx.addIssue({ code: 'custom', path: ['BOOTSTRAP_ADMIN_PASSWORD'], message: 'a bootstrap admin needs BOOTSTRAP_ADMIN_CITY and a password of at least 12 characters' });
    }
  });

type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  env: RawConfig['NODE_ENV'];
  host: string;
  port: number;
  logLevel: RawConfig['LOG_LEVEL'];
  storage: {
    driver: 'embedded' | 'mongo';
    dataDir: string;
    embeddedSync: 'full' | 'normal';
    mongoUri: string;
    mongoServerSelectionTimeoutMs: number;
    mongoConnectTimeoutMs: number;
    /** Production: writes that must be all-or-nothing (bulk import) are refused on a MongoDB without transactions. */
    requireTransactions: boolean;
  };
  demoData: boolean;
  /** Key material the sealer (src/shared/sealed.ts) derives its encryption key from: SECRETS_KEY, or in development and test derived from JWT_SECRET. */
  secretsKey: string;
  /** Offline-verifiable QR tokens of passes: how long a signing key signs, and how long a token lives (at most 60 s). */
  gateTokens: { keyRotationHours: number; ttlSeconds: number };
  /** Compound access: when a pending request is overdue, wrong gate codes allowed a minute, and how early a pass's end is told. */
  access: { overdueMs: number; wrongCodesPerMinute: number; expiryNoticeMs: number };
  /** Hazard routing: a 物业 matter within this many metres of a registered compound goes to that compound's managers (0: never). */
  hazardRouting: { compoundDistanceM: number };
  /** Hazard reports: how many one rider may submit a minute. */
  hazards: { reportsPerMinute: number };
  auth: { jwtSecret: string; accessTtlSeconds: number; refreshTtlDays: number; lockAfter: number; lockMinutes: number; invitationTtlHours: number };
  wechat: {
    baseURL: string; appId: string; appSecret: string;
    /** Subscribe-message template ids per notice kind; empty: that kind is not sent. */
    templates: { access: string; pass: string; hazard: string };
    miniprogramState: 'developer' | 'trial' | 'formal';
  };
  /** The outbox: who consumes it (one delivery each), a claim's default lease, and the in-service worker's poll interval. */
  outbox: { consumers: readonly string[]; leaseSeconds: number; pollMs: number };
  botToken: string;
  bootstrapAdmin: { username: string; password: string; city: '' | 'chongqing' | 'chengdu' };
  devLogin: boolean;
  rateLimit: { loginPerMinute: number; writePerMinute: number };
  occupancyFreshnessMs: number;
  /** Delivery platforms' attestations: how long one counts, and how many one key may send a minute. */
  platforms: { attestationMaxAgeDays: number; attestationsPerMinute: number };
  bodyLimitBytes: number;
  importLimitBytes: number;
  gbfsTtlSeconds: number;
  publicBaseUrl: string;
  trustProxy: boolean;
  /** How many proxies of ours append to X-Forwarded-For; the client is the entry that many places from the right. */
  trustProxyHops: number;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {}

const KEYS = Object.keys(configSchema.shape);

function readJson(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${file}: must hold a JSON object`);
  for (const key of Object.keys(parsed)) {
    if (!KEYS.includes(key)) throw new ConfigError(`${file}: unknown config key ${key}`);
  }
  return parsed as Record<string, unknown>;
}

/** Loads defaults < config/<NODE_ENV>.json < environment variables, validates and freezes the result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dir = path.resolve(__dirname, '../../config')): Readonly<Config> {
  // __dirname differs between src/ (tsx, jest) and dist/src/ (build); find config/ from either.
  // A directory counts only with default.json in it: a stray dist/config emitted by a build must not be taken for it.
  const configDir = fs.existsSync(path.join(dir, 'default.json')) ? dir : path.resolve(__dirname, '../../../config');
  const nodeEnv = env.NODE_ENV || 'development';
  const fromEnv: Record<string, unknown> = {};
  for (const key of KEYS) if (env[key] !== undefined && env[key] !== '') fromEnv[key] = env[key];
  const merged = {
    ...readJson(path.join(configDir, 'default.json')),
    ...readJson(path.join(configDir, `${nodeEnv}.json`)),
    ...fromEnv,
    NODE_ENV: nodeEnv,
  };
  return Object.freeze(toConfig(parseRaw(merged)));
}

/** Validates a flat key/value object; the error names every bad key. */
export function parseRaw(input: Record<string, unknown>): RawConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

/** SECRETS_KEY, or outside production when it is empty a key derived from JWT_SECRET under its own label. */
function secretsKeyOf(raw: RawConfig): string {
  if (raw.SECRETS_KEY) return raw.SECRETS_KEY;
  return Buffer.from(hkdfSync('sha256', raw.JWT_SECRET, 'nuanxin', 'nuanxin/secrets-key from JWT_SECRET (development and test only)', 32)).toString('base64url');
}

function toConfig(raw: RawConfig): Config {
  const driver = raw.STORAGE_DRIVER === 'auto' ? (raw.MONGODB_URI ? 'mongo' : 'embedded') : raw.STORAGE_DRIVER;
  return {
    env: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    storage: {
      driver, dataDir: raw.DATA_DIR, embeddedSync: raw.EMBEDDED_SYNC, mongoUri: raw.MONGODB_URI,
      mongoServerSelectionTimeoutMs: raw.MONGODB_SERVER_SELECTION_TIMEOUT_MS, mongoConnectTimeoutMs: raw.MONGODB_CONNECT_TIMEOUT_MS,
      requireTransactions: raw.NODE_ENV === 'production',
    },
    demoData: raw.DEMO_DATA,
    secretsKey: secretsKeyOf(raw),
    gateTokens: { keyRotationHours: raw.GATE_KEY_ROTATION_HOURS, ttlSeconds: raw.QR_TOKEN_TTL_SECONDS },
    access: {
      overdueMs: raw.ACCESS_OVERDUE_MINUTES * 60_000, wrongCodesPerMinute: raw.GATE_WRONG_CODES_PER_MINUTE,
      expiryNoticeMs: raw.PASS_EXPIRY_NOTICE_HOURS * 3_600_000,
    },
    hazardRouting: { compoundDistanceM: raw.HAZARD_COMPOUND_DISTANCE_M },
    hazards: { reportsPerMinute: raw.HAZARD_REPORTS_PER_MINUTE },
    auth: {
      jwtSecret: raw.JWT_SECRET,
      accessTtlSeconds: raw.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: raw.REFRESH_TOKEN_TTL_DAYS,
      lockAfter: raw.LOGIN_LOCK_AFTER,
      lockMinutes: raw.LOGIN_LOCK_MINUTES,
      invitationTtlHours: raw.INVITATION_TTL_HOURS,
    },
    wechat: {
      baseURL: raw.WECHAT_API_BASE.replace(/\/+$/, ''), appId: raw.WECHAT_APPID, appSecret: raw.WECHAT_SECRET,
      templates: { access: raw.WECHAT_TEMPLATE_ACCESS.trim(), pass: raw.WECHAT_TEMPLATE_PASS.trim(), hazard: raw.WECHAT_TEMPLATE_HAZARD.trim() },
      miniprogramState: raw.WECHAT_MINIPROGRAM_STATE,
    },
    outbox: { consumers: Object.freeze([...raw.OUTBOX_CONSUMERS]), leaseSeconds: raw.OUTBOX_LEASE_SECONDS, pollMs: raw.OUTBOX_POLL_MS },
    botToken: raw.BOT_TOKEN,
    bootstrapAdmin: { username: raw.BOOTSTRAP_ADMIN_USERNAME, password: raw.BOOTSTRAP_ADMIN_PASSWORD, city: raw.BOOTSTRAP_ADMIN_CITY },
    devLogin: raw.DEV_LOGIN,
    rateLimit: { loginPerMinute: raw.RATE_LIMIT_LOGIN_PER_MINUTE, writePerMinute: raw.RATE_LIMIT_WRITE_PER_MINUTE },
    occupancyFreshnessMs: raw.OCCUPANCY_FRESHNESS_MINUTES * 60_000,
    platforms: { attestationMaxAgeDays: raw.PLATFORM_ATTESTATION_MAX_AGE_DAYS, attestationsPerMinute: raw.PLATFORM_ATTESTATIONS_PER_MINUTE },
    bodyLimitBytes: raw.BODY_LIMIT_BYTES,
    importLimitBytes: raw.IMPORT_LIMIT_BYTES,
    gbfsTtlSeconds: raw.GBFS_TTL_SECONDS,
    publicBaseUrl: raw.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    trustProxy: raw.TRUST_PROXY,
    trustProxyHops: raw.TRUST_PROXY_HOPS,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
  };
}

