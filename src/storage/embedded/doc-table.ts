import type { Statement } from 'better-sqlite3';
import { ConflictError } from '../../shared/errors';
import { isId } from '../ids';
import { pageLimit } from '../limits';
import type { Db } from './database';
import { addChore } from './housekeeping';

export type SqlValue = string | number | null;
/** Conditions over indexed columns, ANDed; a condition whose value is undefined is left out. */
export type Filter = Array<[sql: string, value: SqlValue | undefined]>;

export interface DocTableSpec<Doc> {
  table: string;
  /** Indexed columns besides id and doc, in the order toColumns returns them. */
  columns: readonly string[];
  toColumns(doc: Doc): SqlValue[];
  /** Fields JSON holds as ISO text, turned back into Dates on every read. */
  dates: ReadonlyArray<keyof Doc & string>;
  /**
   * A date field after which a row is of no use (sessions, one-time codes): such rows are deleted at open and
   * hourly, as MongoDB's TTL index does on the mongo driver. The table needs an index on exactly
   * json_extract(doc, '$.<field>') for that delete to stay cheap.
   */
  expiresField?: keyof Doc & string;
  /** How long an expired row is kept before the purge (so an expired code still reads as expired, not unknown). */
  keepExpiredMs?: number;
}

export interface Page {
  limit: number;
  /** Keyset cursors; a cursor that is not an id matches nothing, as in the mongo driver. */
  after?: string;
  before?: string;
  newestFirst?: boolean;
}

const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * One aggregate in one SQLite table: the document as JSON in `doc`, plus the columns queries filter on.
 * Unlike GeoTable there is no in-memory mirror: these tables are read by key, not scanned.
 */
export class DocTable<Doc extends { id: string }> {
  private readonly cache = new Map<string, Statement>();
  private readonly cols: string[];

  constructor(private readonly db: Db, private readonly spec: DocTableSpec<Doc>) {
    this.cols = ['id', 'doc', ...spec.columns];
    if (spec.expiresField) addChore(db, (now) => this.purgeExpired(now));
  }

  private statement(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) this.cache.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  private parse(json: string): Doc {
    const raw = JSON.parse(json) as Record<string, unknown>;
    for (const k of this.spec.dates) if (typeof raw[k] === 'string') raw[k] = new Date(raw[k]);
    return raw as Doc;
  }

  private values(doc: Doc): SqlValue[] {
    return [JSON.stringify(doc), ...this.spec.toColumns(doc)];
  }

  /** Runs fn in an IMMEDIATE transaction, so a read-then-write is atomic even against other processes. */
  transaction<R>(fn: () => R): R {
    return this.db.inTransaction ? fn() : this.db.transaction(fn).immediate();
  }

  /** Inserts a new document; a unique-key clash becomes a 409 naming the field. */
  insert(doc: Doc): Doc {
    const sql = `INSERT INTO ${this.spec.table} (${this.cols.join(',')}) VALUES (${this.cols.map(() => '?').join(',')})`;
    guardUnique(() => this.statement(sql).run(doc.id, ...this.values(doc)));
    return doc;
  }

  /** Overwrites an existing document (same id), columns included. */
  replace(doc: Doc): void {
    const sql = `UPDATE ${this.spec.table} SET ${this.cols.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;
    guardUnique(() => this.statement(sql).run(...this.values(doc), doc.id));
  }

  get(id: string): Doc | null {
    return this.findOne([['id = ?', id]]);
  }

  findOne(filter: Filter): Doc | null {
    return this.list(filter, { limit: 1 })[0] ?? null;
  }

  /** Deletes the rows whose expiresField lies before now (ISO text compares in time order); returns how many. */
  purgeExpired(now: Date): number {
    const field = this.spec.expiresField;
    if (!field) return 0;
    const sql = `DELETE FROM ${this.spec.table} WHERE json_extract(doc, '$.${field}') < ?`;
    return this.statement(sql).run(new Date(now.getTime() - (this.spec.keepExpiredMs ?? 0)).toISOString()).changes;
  }

  /** Ids ascending, or descending with newestFirst. */
  list(filter: Filter, page: Page): Doc[] {
    const limit = pageLimit(page.limit); // SQLite reads a negative LIMIT as "no limit": never pass one through
    for (const cursor of [page.after, page.before]) if (cursor !== undefined && !isId(cursor)) return [];
    const full: Filter = [...filter, ['id > ?', page.after], ['id < ?', page.before]];
    const { sql, params } = compile(full);
    const rows = this.statement(`SELECT doc FROM ${this.spec.table}${sql} ORDER BY id ${page.newestFirst ? 'DESC' : 'ASC'} LIMIT ?`)
      .all(...params, limit) as Array<{ doc: string }>;
    return rows.map((r) => this.parse(r.doc));
  }

  count(filter: Filter): number {
    const { sql, params } = compile(filter);
    return (this.statement(`SELECT count(*) AS n FROM ${this.spec.table}${sql}`).get(...params) as { n: number }).n;
  }

  /** Atomically replaces the document with change(current); null (nothing written) when unknown or change declines. */
  modify(id: string, change: (current: Doc) => Doc | null): Doc | null {
    return this.transaction(() => {
      const current = this.get(id);
      const next = current && change(current);
      if (next) this.replace(next);
      return next;
    });
  }

  /** Applies change to every matching document in one transaction; returns how many it wrote. */
  modifyAll(filter: Filter, change: (current: Doc) => Doc | null): number {
    return this.transaction(() => {
      const { sql, params } = compile(filter);
      const ids = this.statement(`SELECT id FROM ${this.spec.table}${sql}`).pluck().all(...params) as string[];
      return ids.filter((id) => this.modify(id, change)).length;
    });
  }
}

function compile(filter: Filter): { sql: string; params: SqlValue[] } {
  const used = filter.filter((f): f is [string, SqlValue] => f[1] !== undefined);
  return { sql: used.length ? ` WHERE ${used.map(([c]) => c).join(' AND ')}` : '', params: used.map(([, v]) => v) };
}

function guardUnique(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
    // "UNIQUE constraint failed: staff.bot_contact_id" -> botContactId
    const column = /failed: \w+\.(\w+)/.exec(String((err as Error).message))?.[1] ?? 'id';
    const field = camel(column);
    throw new ConflictError(`${field} 已存在`, { field });
  }
}
