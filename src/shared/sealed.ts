import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (TOTP secrets of passes, private signing keys): AES-256-GCM with a random 96-bit IV, under a key
 * derived with HKDF-SHA256 from SECRETS_KEY. A sealed value is `v1.<iv>.<tag>.<ciphertext>`, each part base64url;
 * the version prefix lets a later format (or key) be told apart without guessing.
 */
export interface Sealer {
  /** Encrypts plain; `context` (e.g. the owner's id) is bound as associated data and must be given again to open. */
  seal(plain: Uint8Array | string, context?: string): string;
  /** Decrypts a sealed value; throws SealedValueError when it is malformed, tampered with or sealed under another key or context. */
  open(sealed: string, context?: string): Buffer;
}

/** A sealed value that cannot be opened: not our format, altered, or sealed under another key or context. */
export class SealedValueError extends Error {
  constructor(readonly reason: 'format' | 'version' | 'authentication') {
    super(`sealed value cannot be opened (${reason})`);
    this.name = 'SealedValueError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'nuanxin sealed secrets';
const HKDF_INFO = 'nuanxin/sealed/v1 aes-256-gcm';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The AES key for a secret; a distinct info label keeps it unrelated to any other key derived from the same secret. */
function deriveKey(secret: string): Buffer {
  if (!secret) throw new Error('createSealer: the secret must not be empty');
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, 32));
}

function decodePart(part: string | undefined, bytes?: number): Buffer {
  if (part === undefined || !BASE64URL.test(part)) throw new SealedValueError('format');
  const buf = Buffer.from(part, 'base64url');
  // Only the canonical spelling: Node's decoder ignores stray trailing bits, which would let one value have many forms.
  if (buf.toString('base64url') !== part || (bytes !== undefined && buf.length !== bytes)) throw new SealedValueError('format');
  return buf;
}

/** A sealer under the key derived from secret (config.secretsKey). */
export function createSealer(secret: string): Sealer {
  const key = deriveKey(secret);
  return {
    seal(plain, context = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(`${VERSION}|${context}`, 'utf8'));
      const data = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain;
      const ct = Buffer.concat([cipher.update(data), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed, context = '') {
      if (typeof sealed !== 'string') throw new SealedValueError('format');
      const parts = sealed.split('.');
      if (parts.length !== 4) throw new SealedValueError('format');
      if (parts[0] !== VERSION) throw new SealedValueError('version');
      const iv = decodePart(parts[1], IV_BYTES);
      const tag = decodePart(parts[2], TAG_BYTES);
      const ct = decodePart(parts[3]);
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${VERSION}|${context}`, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ct), decipher.final()]);
      } catch {
        throw new SealedValueError('authentication');
      }
    },
  };
}
