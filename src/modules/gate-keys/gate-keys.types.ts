/** The public half of an Ed25519 key as a JWK (RFC 8037): what gate devices verify QR tokens with. */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

/**
 * A key that signs the QR tokens of passes. It signs from signFrom until signUntil (a next key is made and published
 * before the current one stops, so devices holding a recent JWKS already know it), and verifies until verifyUntil:
 * signUntil plus a token's lifetime and the leeway, so every token it signed can still be checked.
 */
export interface GateKey {
  /** Also the JWK's kid. */
  id: string;
  publicJwk: Ed25519PublicJwk;
  /** PKCS#8 DER of the private key, sealed (src/shared/sealed.ts) with the context `gate-key:<id>`. */
  privateKeySealed: string;
  createdAt: Date;
  signFrom: Date;
  signUntil: Date;
  verifyUntil: Date;
}

export interface GateKeyRepository {
  /** Stores a new key; an id already taken is a 409. */
  insert(key: GateKey): Promise<GateKey>;
  /** Keys whose verifyUntil lies after `at` (at most 100), in no particular order. */
  listVerifying(at: Date): Promise<GateKey[]>;
  /** Deletes the keys whose verifyUntil lies before `before`; returns how many. */
  purgeExpired(before: Date): Promise<number>;
}

export interface GateKeysStorage {
  gateKeys: GateKeyRepository;
}
