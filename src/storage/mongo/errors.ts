import { AppError, ConflictError } from '../../shared/errors';
import { HOW_TO_ENABLE_TRANSACTIONS } from './capabilities';

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

/**
 * A write that must be all-or-nothing refused because MongoDB has no transactions (production only). A 503 whose
 * message stays in the log (5xx messages are never shown): the operator, not the caller, has to act.
 */
export class TransactionsUnavailableError extends AppError {
  constructor(what: string) {
    super(503, 'transactions_unavailable', `${what} needs MongoDB transactions, which this server does not offer: ${HOW_TO_ENABLE_TRANSACTIONS}`);
  }
}

/** An import whose single transaction outlived MongoDB's transactionLifetimeLimitSeconds (60 s by default). */
export class ImportTooLargeError extends AppError {
  constructor(rows: number) {
    super(413, 'import_too_large', `导入的 ${rows} 行无法在 MongoDB 的事务时限（默认 60 秒）内写完，未写入任何数据，请拆分文件后分批导入`, { rows });
  }
}
