import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose, { type Connection } from 'mongoose';

const inTransaction = new AsyncLocalStorage<true>();

// Operations inside Connection#transaction() then use its session without being handed it (mongoose 8.4+,
// "transactionAsyncLocalStorage"), so repositories need no session parameter.
mongoose.set('transactionAsyncLocalStorage', true);

/** Whether the caller runs inside atomically()'s transaction (whose session mongoose then passes on by itself). */
export const insideTransaction = (): boolean => inTransaction.getStore() === true;

/** Whether the server can run multi-document transactions: a replica set member or a mongos (the `hello` command). */
export async function supportsTransactions(conn: Connection): Promise<boolean> {
  if (!conn.db) return false;
  const hello = (await conn.db.admin().command({ hello: 1 })) as { setName?: string; msg?: string };
  return Boolean(hello.setName) || hello.msg === 'isdbgrid';
}

/**
 * storage.atomically on MongoDB: one transaction (retried whole on transient errors by withTransaction) where the
 * server has them; nested calls join; without a replica set fn runs as it is, each write atomic on its own.
 */
export function createAtomically(conn: Connection, available: boolean) {
  return async function atomically<T>(fn: () => Promise<T>): Promise<T> {
    if (!available || inTransaction.getStore()) return fn();
    let result!: T;
    await conn.transaction(async () => {
      result = await inTransaction.run(true, fn);
    });
    return result;
  };
}
