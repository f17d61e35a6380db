import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { timingSafeEqual } from 'node:crypto';
import { generateSecret, generateSync } from 'otplib';

/**
 * The typed entry code of a pass: its number at the compound (1 to 7 digits, no leading zero) followed by a
 * 7-digit RFC 6238 TOTP (30 s step). The number finds the one pass to check, so a guess is checked against one
 * secret whatever the number of passes; the current and the previous step are accepted, so a guess at a known
 * number succeeds with probability 2 / 10^7 (README: "Compound passes: entry codes").
 */
export const TOTP_DIGITS = 7;
export const TOTP_PERIOD_S = 30;
export const MAX_PASS_NUMBER = 9_999_999;
const SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation
const MAX_INPUT_CHARS = 64;
const MIN_DIGITS = 1 + TOTP_DIGITS;
const MAX_DIGITS = String(MAX_PASS_NUMBER).length + TOTP_DIGITS;
// node:crypto's HMAC, synchronous: the gate's verify must not wait on the event loop for a few microseconds of work.
const crypto = new NodeCryptoPlugin();
const TOTP = { crypto, digits: TOTP_DIGITS, period: TOTP_PERIOD_S, algorithm: 'sha1' } as const;
// Spaces (full-width ones become plain spaces under NFKC) and the dashes a phone keyboard offers.
const SEPARATORS = /[\s\-‐‑‒–—―]/gu;

/** A pass's TOTP secret: base32 (as authenticator apps take it), 160 random bits. Store it sealed. */
export type PassSecret = string;

export interface PassCode {
  /** Digits only, as the verifier takes it. */
  code: string;
  /** The same digits in groups for reading aloud and typing: '128 405 9371'. */
  display: string;
  /** Seconds until the code rotates (it is still accepted for one more step after that). */
  expiresInSeconds: number;
}

export type PassCodeProblem = 'empty' | 'non_digit' | 'too_short' | 'too_long' | 'leading_zero';

export type ParsedPassCode =
  | { ok: true; number: number; totp: string }
  | { ok: false; reason: 'format'; problem: PassCodeProblem };

/** A fresh TOTP secret for a new pass. */
export function newPassSecret(): PassSecret {
  return generateSecret({ length: SECRET_BYTES, crypto });
}

const epochOf = (now: Date): number => Math.floor(now.getTime() / 1000);

/** The pass's entry code at `now`. */
export function passCode(secret: PassSecret, passNumber: number, now: Date): PassCode {
  if (!Number.isInteger(passNumber) || passNumber < 1 || passNumber > MAX_PASS_NUMBER) {
    throw new RangeError(`pass number must be an integer from 1 to ${MAX_PASS_NUMBER}`);
  }
  const epoch = epochOf(now);
  const totp = generateSync({ ...TOTP, secret, epoch });
  const number = String(passNumber);
  return {
    code: number + totp,
    display: [...groups(number), totp.slice(0, 3), totp.slice(3)].join(' '),
    expiresInSeconds: TOTP_PERIOD_S - (epoch % TOTP_PERIOD_S),
  };
}

/** Up to 4 digits stay one group; longer numbers split so that no group is longer than 4. */
function groups(digits: string): string[] {
  if (digits.length <= 4) return [digits];
  const head = digits.length - (digits.length === 7 ? 4 : 3);
  return [digits.slice(0, head), digits.slice(head)];
}

/** Reads a typed code: spaces and dashes ignored, full-width digits accepted; the last 7 digits are the TOTP. */
export function parsePassCode(input: string): ParsedPassCode {
  const fail = (problem: PassCodeProblem): ParsedPassCode => ({ ok: false, reason: 'format', problem });
  if (typeof input !== 'string') return fail('non_digit');
  if (input.length > MAX_INPUT_CHARS) return fail('too_long');
  const digits = input.normalize('NFKC').replace(SEPARATORS, '');
  if (digits === '') return fail('empty');
  if (!/^[0-9]+$/.test(digits)) return fail('non_digit');
  if (digits.length < MIN_DIGITS) return fail('too_short');
  if (digits.length > MAX_DIGITS) return fail('too_long');
  if (digits.startsWith('0')) return fail('leading_zero');
  const cut = digits.length - TOTP_DIGITS;
  return { ok: true, number: Number(digits.slice(0, cut)), totp: digits.slice(cut) };
}

/**
 * The RFC 6238 time step a TOTP matches at `now`, the current or the previous one (never a future one), or null.
 * Callers that must refuse a second use of one code can remember the step.
 */
export function matchTotpStep(secret: PassSecret, totp: string, now: Date): number | null {
  if (typeof totp !== 'string' || !/^[0-9]{7}$/.test(totp)) return null;
  const typed = Buffer.from(totp);
  const step = Math.floor(epochOf(now) / TOTP_PERIOD_S);
  // The current step first: a valid code usually is, and then one HMAC is enough (otplib's verifySync always
  // computes the whole window and costs twice as much). Each comparison is constant-time.
  for (const s of [step, step - 1]) {
    if (timingSafeEqual(Buffer.from(generateSync({ ...TOTP, secret, epoch: s * TOTP_PERIOD_S })), typed)) return s;
  }
  return null;
}

/** Whether a TOTP is the pass's current or previous one at `now`. */
export function checkTotp(secret: PassSecret, totp: string, now: Date): boolean {
  return matchTotpStep(secret, totp, now) !== null;
}
