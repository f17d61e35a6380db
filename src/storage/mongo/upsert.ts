// Bulk upsert by externalId on MongoDB (imports of a whole city: 50,000 rows and more). Never executed here: no
// MongoDB server exists on the development machines; type-checked and linted only.
//
// Order of work, so that the write phase is short and has little left that can fail:
//   1. refuse a batch that names one externalId twice (409, as the embedded driver does);
//   2. look the externalIds up, CHUNK_SIZE at a time with $in (one query per 1,000 rows, not one per row);
//   3. classify every row (insert / update / unchanged by fingerprint) and validate every resulting document
//      against the schema, all before the first write;
//   4. write with bulkWrite, CHUNK_SIZE operations per call.
//
// Atomicity:
//   - With transactions (replica set or mongos): all chunks run in one transaction, so the import is
//     all-or-nothing and readers never see part of it. Only the writes are inside it; validation and lookups are
//     done before it starts, which keeps a city-sized file (≈50 bulkWrites) well within the server's
//     transactionLifetimeLimitSeconds (60 s by default). A file too big for that fails whole with a 413 and
//     nothing written. (MongoDB advises keeping transactions near 1,000 documents; a city's import is a rare,
//     admin-run exception we accept for all-or-nothing.) An update matches on { _id, updatedAt } as read in step
//     2, so a row changed or deleted by someone else meanwhile aborts the import (409) instead of being overwritten.
//   - Without transactions (standalone mongod): refused in production (TransactionsUnavailableError, with how to
//     enable them). Elsewhere the chunks are written one after another and, on a failure, undone (inserted rows
//     deleted, updated rows put back). The caller still sees all-or-nothing, but other readers may see the partial
//     import while it runs, and a crash in the middle leaves it partly written.
import { trusted, Types, type AnyBulkWriteOperation, type ClientSession, type Model } from 'mongoose';
import { ConflictError } from '../../shared/errors';
import type { UpsertReport } from '../../shared/domain';
import type { LngLat } from '../../shared/geo';
import { assertDistinctExternalIds } from '../limits';
import { capabilitiesOf } from './capabilities';
import { ImportTooLargeError, TransactionsUnavailableError, guardUnique } from './errors';
import { toDomain, toStored, toWritable, type Stored } from './mappers';
import { insideTransaction } from './transactions';

/** Rows per $in lookup and operations per bulkWrite. */
export const CHUNK_SIZE = 1000;
/** An attempt that ran this long hit the transaction time limit; withTransaction would only retry it in vain. */
const TRANSACTION_BUDGET_MS = 50_000;

type Row = Record<string, unknown>;
type Op = AnyBulkWriteOperation<Row>;

interface UpsertInput {
  externalId: string | null;
  location: LngLat;
}
type Located = { id: string; location: LngLat };

export interface UpsertSpec<Input, Doc> {
  fingerprint(d: Input): string;
  /** Fields a new document starts with besides its input. */
  initial(): Partial<Doc>;
}

interface Plan<Doc> {
  report: UpsertReport;
  ops: Op[];
  inserted: Types.ObjectId[];
  /** The documents that updates overwrite, to put back when undoing without a transaction. */
  replaced: Doc[];
}

const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK_SIZE) }, (_, i) => xs.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE));

/** Inserts or updates by externalId; see the head of this file for what is atomic when. */
export async function upsertAll<Input extends UpsertInput, Doc extends Input & { id: string; createdAt: Date; updatedAt: Date }>(
  model: Model<Stored<Doc>>, items: Input[], now: Date, spec: UpsertSpec<Input, Doc>,
): Promise<UpsertReport> {
  assertDistinctExternalIds(items);
  const caps = capabilitiesOf(model.db);
  if (!caps.transactions && caps.requireTransactions) throw new TransactionsUnavailableError('A bulk import');
  const plan = await planUpsert(model, items, now, spec);
  if (insideTransaction()) await writeAll(model, plan.ops, null); // atomically() already holds a transaction
  else if (caps.transactions) await writeInTransaction(model, plan, items.length);
  else await writeWithUndo(model, plan);
  return plan.report;
}

/** Steps 2 and 3: every read and every validation, before any write. */
async function planUpsert<Input extends UpsertInput, Doc extends Input & { id: string; createdAt: Date; updatedAt: Date }>(
  model: Model<Stored<Doc>>, items: Input[], now: Date, spec: UpsertSpec<Input, Doc>,
): Promise<Plan<Doc>> {
  const known = await findByExternalIds<Doc>(model, items.flatMap((i) => (i.externalId ? [i.externalId] : [])));
  const plan: Plan<Doc> = { report: { inserted: 0, updated: 0, unchanged: 0, ids: [] }, ops: [], inserted: [], replaced: [] };
  for (const input of items) {
    const current = input.externalId ? known.get(input.externalId) : undefined;
    if (!current) {
      const _id = new Types.ObjectId();
      const doc = new model({ ...toWritable(input, now), ...spec.initial(), _id, createdAt: now });
      await doc.validate();
      plan.ops.push({ insertOne: { document: doc.toObject() as Row } });
      plan.inserted.push(_id);
      plan.report.ids.push(_id.toHexString());
      plan.report.inserted++;
    } else if (spec.fingerprint(current) === spec.fingerprint(input)) {
      plan.report.ids.push(current.id);
      plan.report.unchanged++;
    } else {
      const $set = toWritable(input, now);
      await new model({ ...toStored(current), ...$set }).validate();
      // Matching updatedAt too: a row changed since step 2 is not silently overwritten (see writeChunk).
      plan.ops.push({ updateOne: { filter: { _id: new Types.ObjectId(current.id), updatedAt: current.updatedAt }, update: { $set } } });
      plan.replaced.push(current);
      plan.report.ids.push(current.id);
      plan.report.updated++;
    }
  }
  return plan;
}

/** The current documents for these externalIds, CHUNK_SIZE per query. */
async function findByExternalIds<Doc extends Located>(model: Model<Stored<Doc>>, externalIds: string[]): Promise<Map<string, Doc>> {
  const found = new Map<string, Doc>();
  for (const part of chunks(externalIds)) {
    const rows = await model.find({ externalId: trusted({ $in: part }) }).lean<Row[]>();
    for (const raw of rows) found.set(raw.externalId as string, toDomain<Doc>(raw));
  }
  return found;
}

/** One bulkWrite; fewer matched updates than sent means a row changed or vanished since it was read. */
async function writeChunk<Doc extends Located>(model: Model<Stored<Doc>>, ops: Op[], session: ClientSession | null): Promise<void> {
  const updates = ops.filter((op) => 'updateOne' in op).length;
  // Validated in planUpsert already; ordered, so the first failing write stops the chunk.
  const res = await guardUnique(() => model.bulkWrite<Row>(ops, {
    // No `session` key at all when there is none: mongoose takes the transaction's session from AsyncLocalStorage
    // only when the options have no session key (model.js, mongoose 9.12).
    ...(session ? { session } : {}), ordered: true, skipValidation: true,
  }));
  if (res.matchedCount < updates) {
    throw new ConflictError('导入期间有记录被他人修改或删除，未完成导入，请重试', { field: 'externalId', reason: 'changed_during_import' });
  }
}

async function writeAll<Doc extends Located>(model: Model<Stored<Doc>>, ops: Op[], session: ClientSession | null): Promise<void> {
  for (const part of chunks(ops)) await writeChunk(model, part, session);
}

/** Every chunk in one transaction (retried whole by withTransaction on transient errors, unless it ran too long). */
async function writeInTransaction<Doc extends Located>(model: Model<Stored<Doc>>, plan: Plan<Doc>, rows: number): Promise<void> {
  let lastAttemptMs = 0;
  await model.db.transaction(async (session) => {
    // Past the lifetime limit the server aborts and withTransaction sees a transient error: do not try again.
    if (lastAttemptMs > TRANSACTION_BUDGET_MS) throw new ImportTooLargeError(rows);
    const started = Date.now();
    try {
      await writeAll(model, plan.ops, session);
    } finally {
      lastAttemptMs = Date.now() - started;
    }
  });
}

/** Without transactions: chunk after chunk; on a failure, delete what was inserted and put back what was updated. */
async function writeWithUndo<Doc extends Located>(model: Model<Stored<Doc>>, plan: Plan<Doc>): Promise<void> {
  let reached = 0;
  try {
    for (const part of chunks(plan.ops)) {
      reached += part.length; // the failing chunk may have written a prefix of itself: undo all of it
      await writeChunk(model, part, null);
    }
  } catch (err) {
    const tried = plan.ops.slice(0, reached);
    const inserts = tried.filter((op) => 'insertOne' in op).length;
    await undo(model, plan.inserted.slice(0, inserts), plan.replaced.slice(0, tried.length - inserts)).catch(() => undefined);
    throw err;
  }
}

async function undo<Doc extends Located>(model: Model<Stored<Doc>>, inserted: Types.ObjectId[], replaced: Doc[]): Promise<void> {
  for (const part of chunks(inserted)) await model.deleteMany({ _id: trusted({ $in: part }) });
  for (const part of chunks(replaced)) {
    const ops: Op[] = part.map((d) => ({ replaceOne: { filter: { _id: new Types.ObjectId(d.id) }, replacement: toStored(d) as Row } }));
    await model.bulkWrite<Row>(ops, { ordered: false, skipValidation: true });
  }
}
