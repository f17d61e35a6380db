import { randomBytes } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors as joseErrors, SignJWT, type CryptoKey } from 'jose';
import type { Config } from '../../shared/config';
import { createSealer, type Sealer } from '../../shared/sealed';
import type { Clock } from '../../shared/time';
import type { Ed25519PublicJwk, GateKeysStorage } from './gate-keys.types';
import { createKeyRing, LEEWAY_S, MAX_TOKEN_TTL_S } from './key-ring';

/** The JWS `typ` of a pass's QR token; a JWS of any other type is refused. */
export const QR_TOKEN_TYPE = 'pass+jwt';
const ALG = 'EdDSA';
const MAX_TOKEN_CHARS = 2048;
const MAX_CLAIM_CHARS = 64;

export interface GateTokenClaims {
  passId: string;
  compoundId: string;
}

export type GateTokenRefusal = 'malformed' | 'wrong_alg' | 'unknown_key' | 'bad_signature' | 'expired' | 'not_yet_valid';

export type GateTokenCheck =
  | { ok: true; passId: string; compoundId: string; jti: string; exp: Date }
  | { ok: false; reason: GateTokenRefusal };

/** A public key as the JWKS lists it (RFC 7517). */
export type GateJwk = Ed25519PublicJwk & { kid: string; alg: 'EdDSA'; use: 'sig' };

export interface GateTokens {
  /** A compact JWS for the pass's QR code, living at most 60 s. */
  issue(claims: GateTokenClaims, now?: Date): Promise<{ token: string; expiresInSeconds: number }>;
  /** Checks a QR token: algorithm pinned to EdDSA, key by kid among those still verifying, exp and iat with 5 s leeway. */
  verify(token: string, now?: Date): Promise<GateTokenCheck>;
  /** The public keys still verifying, for offline gate devices. */
  jwks(now?: Date): Promise<{ keys: GateJwk[] }>;
}

export interface GateTokensDeps {
  storage: GateKeysStorage;
  clock: Clock;
  sealer: Sealer;
  config: Pick<Readonly<Config>, 'gateTokens'>;
}

interface Payload { pid: string; cid: string; jti: string; iat: number; exp: number }

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_CLAIM_CHARS;
const int = (v: unknown): v is number => Number.isSafeInteger(v);

/** The claims of a verified payload, or null when they are not exactly what issue() writes. */
function readPayload(bytes: Uint8Array): Payload | null {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!p || typeof p !== 'object' || !text(p.pid) || !text(p.cid) || !text(p.jti) || !int(p.iat) || !int(p.exp)) return null;
  if (p.exp <= p.iat || p.exp - p.iat > MAX_TOKEN_TTL_S) return null;
  return { pid: p.pid, cid: p.cid, jti: p.jti, iat: p.iat, exp: p.exp };
}

/** The kid of a compact JWS whose header is ours, or the refusal: never trusts the header's alg. */
function readHeader(token: unknown): { kid: string } | { refusal: GateTokenRefusal } {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || token.split('.').length !== 3) return { refusal: 'malformed' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { refusal: 'malformed' };
  }
  if (header.alg !== ALG) return { refusal: 'wrong_alg' };
  if (header.typ !== QR_TOKEN_TYPE || !text(header.kid) || header.crit !== undefined) return { refusal: 'malformed' };
  return { kid: header.kid };
}

/** Verifies the signature with the key of its kid; the algorithm list is pinned, whatever the header says. */
async function checkSignature(token: string, key: CryptoKey): Promise<Uint8Array | GateTokenRefusal> {
  try {
    return (await compactVerify(token, key, { algorithms: [ALG] })).payload;
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad_signature';
    if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'wrong_alg';
    return 'malformed';
  }
}

/** Issues and verifies the offline-verifiable QR tokens of passes (Ed25519 compact JWS, rotating keys). */
export function createGateTokens(deps: GateTokensDeps): GateTokens {
  const ring = createKeyRing({ storage: deps.storage, clock: deps.clock, sealer: deps.sealer, rotationHours: deps.config.gateTokens.keyRotationHours });
  const ttl = Math.min(deps.config.gateTokens.ttlSeconds, MAX_TOKEN_TTL_S);

  return {
    async issue(claims, now = deps.clock.now()) {
      const { key, privateKey } = await ring.signing(now);
      const iat = seconds(now);
      const token = await new SignJWT({ pid: claims.passId, cid: claims.compoundId, jti: randomBytes(16).toString('base64url') })
        .setProtectedHeader({ alg: ALG, kid: key.id, typ: QR_TOKEN_TYPE })
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .sign(privateKey);
      return { token, expiresInSeconds: ttl };
    },

    async verify(token, now = deps.clock.now()) {
      const header = readHeader(token);
      if ('refusal' in header) return { ok: false, reason: header.refusal };
      const key = await ring.byKid(header.kid, now);
      if (!key) return { ok: false, reason: 'unknown_key' };
      const verified = await checkSignature(token, key.publicKey);
      if (typeof verified === 'string') return { ok: false, reason: verified };
      const p = readPayload(verified);
      if (!p) return { ok: false, reason: 'malformed' };
      const t = seconds(now);
      if (t > p.exp + LEEWAY_S) return { ok: false, reason: 'expired' };
      if (p.iat > t + LEEWAY_S) return { ok: false, reason: 'not_yet_valid' };
      return { ok: true, passId: p.pid, compoundId: p.cid, jti: p.jti, exp: new Date(p.exp * 1000) };
    },

    async jwks(now = deps.clock.now()) {
      await ring.signing(now); // a device that fetches before the first token still learns the key that will sign it
      const keys = await ring.verifying(now);
      return { keys: keys.map(({ key }) => ({ ...key.publicJwk, kid: key.id, alg: ALG, use: 'sig' as const })) };
    },
  };
}

const shared = new WeakMap<object, GateTokens>();

/** The one GateTokens of an app (keyed by its storage), so the JWKS route and the pass routes share one key cache. */
export function gateTokensFor(deps: { storage: GateKeysStorage; clock: Clock; config: Readonly<Config> }): GateTokens {
  let tokens = shared.get(deps.storage);
  if (!tokens) {
    tokens = createGateTokens({ ...deps, sealer: createSealer(deps.config.secretsKey) });
    shared.set(deps.storage, tokens);
  }
  return tokens;
}
