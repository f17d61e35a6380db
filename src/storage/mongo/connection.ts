import mongoose, { type Connection } from 'mongoose';

/** Opens a dedicated connection (never mongoose's global one) and waits until it is up; closes it again on failure. */
export async function openConnection(uri: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    // Indexes are built once, explicitly, at start-up (createModels), not lazily per model.
    autoIndex: false,
    autoCreate: false,
    // Wraps any `$`-object arriving in a filter in $eq; our own operators are marked with mongoose.trusted().
    sanitizeFilter: true,
    // Fail start-up and readiness checks in seconds, not the driver's default 30.
    serverSelectionTimeoutMS: 10_000,
  });
  try {
    return await conn.asPromise();
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}

/** Throws unless the server answers a ping. */
export async function pingServer(conn: Connection): Promise<void> {
  if (!conn.db) throw new Error('mongo connection is not open');
  await conn.db.admin().ping();
}
