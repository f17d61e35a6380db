import type { ClientSession, Connection } from 'mongoose';
import type { UpsertReport } from '../../shared/domain';
import { isTransactionUnsupported } from './errors';

type Session = ClientSession | null;

export interface UpsertSteps<Input, Doc> {
  /** Current documents for these externalIds, read in the session. */
  findByExternalIds(externalIds: string[], session: Session): Promise<Doc[]>;
  fingerprint(d: Input): string;
  insert(input: Input, session: Session): Promise<Doc>;
  replace(current: Doc, input: Input, session: Session): Promise<Doc>;
  remove(id: string): Promise<unknown>;
  restore(previous: Doc): Promise<unknown>;
}

type Undo = Array<() => Promise<unknown>>;

const noTransactions = new WeakSet<Connection>();

/** Inserts or updates by externalId in one transaction; without one (standalone mongod) writes in turn and undoes on failure. */
export async function upsertAll<Input extends { externalId: string | null }, Doc extends Input & { id: string }>(
  conn: Connection, items: Input[], steps: UpsertSteps<Input, Doc>,
): Promise<UpsertReport> {
  if (!noTransactions.has(conn)) {
    try {
      return await conn.transaction((session) => applyAll(items, steps, session, []));
    } catch (err) {
      if (!isTransactionUnsupported(err)) throw err;
      noTransactions.add(conn);
    }
  }
  // Transactions need a replica set; a standalone server (dev, CI) refuses them. Undoing gives all-or-nothing
  // to this caller, though concurrent readers may briefly see the partial batch.
  const undo: Undo = [];
  try {
    return await applyAll(items, steps, null, undo);
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw err;
  }
}

async function applyAll<Input extends { externalId: string | null }, Doc extends Input & { id: string }>(
  items: Input[], steps: UpsertSteps<Input, Doc>, session: Session, undo: Undo,
): Promise<UpsertReport> {
  const report: UpsertReport = { inserted: 0, updated: 0, unchanged: 0, ids: [] };
  const wanted = [...new Set(items.map((i) => i.externalId).filter((e): e is string => typeof e === 'string'))];
  const known = new Map((await steps.findByExternalIds(wanted, session)).map((d) => [d.externalId, d]));
  for (const input of items) {
    const current = input.externalId ? known.get(input.externalId) : undefined;
    let doc: Doc;
    if (!current) {
      doc = await steps.insert(input, session);
      undo.push(() => steps.remove(doc.id));
      report.inserted++;
    } else if (steps.fingerprint(current) === steps.fingerprint(input)) {
      doc = current;
      report.unchanged++;
    } else {
      doc = await steps.replace(current, input, session);
      undo.push(() => steps.restore(current));
      report.updated++;
    }
    if (doc.externalId) known.set(doc.externalId, doc);
    report.ids.push(doc.id);
  }
  return report;
}
