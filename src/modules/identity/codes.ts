import { GoneError, NotFoundError } from '../../shared/errors';
import type { CodeKind, OneTimeCode, OneTimeCodeRepository } from './identity.types';
import type { StorageBase } from '../../storage/types';
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
 * Redeems a single-use code: it must exist, be unused and unexpired; `before` runs outside any transaction (it may
 * be slow: password hashing); then the code is spent with a compare-and-set (two redeemers, one wins) and `use`
 * runs, both in one transaction: a failure or a crash leaves the code unspent. Without transactions (MongoDB
 * standalone) a failed `use` releases the code instead.
 */
export async function redeemCode<T>(
  storage: { codes: OneTimeCodeRepository } & Pick<StorageBase, 'atomically' | 'transactions'>, r: Redemption, use: (found: OneTimeCode) => Promise<T>,
): Promise<T> {
  const { codes } = storage;
  const found = await codes.findByHash(r.kind, sha256(normalizeCode(r.code)));
  if (!found) throw new NotFoundError(`${r.label}不存在`, { field: 'code' });
  if (found.usedAt) throw new GoneError(`${r.label}已被使用，请重新生成`, { field: 'code', reason: 'used' });
  if (found.expiresAt <= r.now) throw new GoneError(`${r.label}已过期，请重新生成`, { field: 'code', reason: 'expired' });
  await r.before?.(found);
  const spendAndUse = async () => {
    if (!(await codes.consume(found.id, r.usedBy, r.now))) throw new GoneError(`${r.label}已被使用，请重新生成`, { field: 'code', reason: 'used' });
    return use(found);
  };
  if (storage.transactions) return storage.atomically(spendAndUse);
  try {
    return await spendAndUse();
  } catch (err) {
    if (!(err instanceof GoneError)) await codes.release(found.id);
    throw err;
  }
}
