import { GoneError, NotFoundError } from '../../shared/errors';
import type { CodeKind, OneTimeCode, OneTimeCodeRepository } from './identity.types';
import { sha256 } from './tokens';

/** Codes are shown in upper case and typed any way; spaces and dashes are ignored. */
export function normalizeCode(code: string): string {
  return code.normalize('NFKC').replace(/[\s-]+/g, '').toUpperCase();
}

export interface Redemption {
  kind: CodeKind;
  code: string;
  usedBy: string;
  now: Date;
  /** What users call it: 邀请码, 绑定码. */
  label: string;
  /** Checks to pass before the code is spent (a taken username…); throwing leaves the code unused. */
  before?(found: OneTimeCode): Promise<void>;
}

/**
 * Redeems a single-use code: it must exist, be unused and unexpired; it is spent with a compare-and-set (two
 * redeemers, one wins), then `use` runs; if `use` fails the code is released, so nothing is half-done.
 */
export async function redeemCode<T>(codes: OneTimeCodeRepository, r: Redemption, use: (found: OneTimeCode) => Promise<T>): Promise<T> {
  const found = await codes.findByHash(r.kind, sha256(normalizeCode(r.code)));
  if (!found) throw new NotFoundError(`${r.label}不存在`, { field: 'code' });
  if (found.usedAt) throw new GoneError(`${r.label}已被使用，请重新生成`, { field: 'code', reason: 'used' });
  if (found.expiresAt <= r.now) throw new GoneError(`${r.label}已过期，请重新生成`, { field: 'code', reason: 'expired' });
  await r.before?.(found);
  if (!(await codes.consume(found.id, r.usedBy, r.now))) throw new GoneError(`${r.label}已被使用，请重新生成`, { field: 'code', reason: 'used' });
  try {
    return await use(found);
  } catch (err) {
    await codes.release(found.id);
    throw err;
  }
}
