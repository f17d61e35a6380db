import { ConflictError } from '../../shared/errors';

interface MongoErrorLike {
  code?: number;
  message?: string;
  keyPattern?: Record<string, unknown>;
  keyValue?: Record<string, unknown>;
}

/** Runs a write and turns a duplicate-key error (11000) into a 409 naming the field, as the embedded driver does. */
export async function guardUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const e = err as MongoErrorLike;
    if (e?.code !== 11000) throw err;
    const key = Object.keys(e.keyPattern ?? e.keyValue ?? {})[0] ?? '_id';
    const field = key === '_id' ? 'id' : key;
    throw new ConflictError(`${field} 已存在`, { field });
  }
}

/** True for the server's answer to a transaction on a standalone mongod (code 20, IllegalOperation). */
export function isTransactionUnsupported(err: unknown): boolean {
  const e = err as MongoErrorLike;
  return e?.code === 20 && /Transaction numbers are only allowed|replica set/i.test(e.message ?? '');
}
