import type { Connection } from 'mongoose';

/** What the server behind a connection can do, found at start, and what the deployment demands of it. */
export interface Capabilities {
  /** Multi-document transactions: a replica set member or a mongos (hello's setName / msg: 'isdbgrid'). */
  transactions: boolean;
  /** Production: refuse writes that need a transaction (bulk import) instead of writing them without one. */
  requireTransactions: boolean;
}

const byConnection = new WeakMap<Connection, Capabilities>();

export function recordCapabilities(conn: Connection, caps: Capabilities): void {
  byConnection.set(conn, caps);
}

/** The capabilities recorded at start; a connection opened elsewhere (none is) counts as having no transactions. */
export function capabilitiesOf(conn: Connection): Capabilities {
  return byConnection.get(conn) ?? { transactions: false, requireTransactions: false };
}

/** What to tell an operator whose MongoDB has no transactions. */
export const HOW_TO_ENABLE_TRANSACTIONS =
  'run mongod as a replica set (a single node is enough): start it with --replSet rs0, run rs.initiate() once in ' +
  'mongosh, and add ?replicaSet=rs0 (or directConnection=true) to MONGODB_URI';
