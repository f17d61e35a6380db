import { randomInt } from 'node:crypto';

// Crockford's base32 without I, L, O, U: nothing a guard or rider can misread (0/O, 1/I/L) when typing a place code.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const COMPOUND_CODE_LENGTH = 8;
export const COMPOUND_CODE = new RegExp(`^[${ALPHABET}]{${COMPOUND_CODE_LENGTH}}$`);

/** A fresh compound code: 8 random base32 characters (40 bits), so codes cannot be enumerated. */
export function newCompoundCode(): string {
  let code = '';
  for (let i = 0; i < COMPOUND_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** A typed code in canonical form: upper case, the look-alikes read as Crockford does (O→0, I/L→1). */
export function normaliseCode(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
