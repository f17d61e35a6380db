import mongoose, { type Connection } from 'mongoose';

export interface ConnectionOptions {
  uri: string;
  /** How long an operation waits for a usable server before failing (start-up, readiness, every query). */
  serverSelectionTimeoutMS: number;
  /** How long opening one TCP connection may take. */
  connectTimeoutMS: number;
}

/** Opens a dedicated connection (never mongoose's global one) and waits until it is up; closes it again on failure. */
export async function openConnection(opts: ConnectionOptions): Promise<Connection> {
  const conn = mongoose.createConnection(opts.uri, {
    // Indexes are built once, explicitly, at start-up (createModels), not lazily per model.
    autoIndex: false,
    autoCreate: false,
    // Wraps any `$`-object arriving in a Query filter in $eq; our own operators are marked with mongoose.trusted().
    // It covers Query filters only (find, findOne, countDocuments, update*, delete*, findOneAndUpdate): aggregate
    // pipelines (the $geoNear query) and bulkWrite filters go to the server as built (mongoose 9 lib/query.js
    // _castConditions; neither aggregate.js nor castBulkWrite.js sanitize).
    sanitizeFilter: true,
    // From config (MONGODB_SERVER_SELECTION_TIMEOUT_MS, MONGODB_CONNECT_TIMEOUT_MS): the driver's default is 30 s.
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS,
    connectTimeoutMS: opts.connectTimeoutMS,
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
