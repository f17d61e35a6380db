import type { Statement } from 'better-sqlite3';
import { ConflictError } from '../../shared/errors';
import { boundingBox, haversineM, LngLat } from '../../shared/geo';
import type { Located } from '../types';
import type { Db } from './database';

type SqlValue = string | number | null;

export interface GeoTableSpec<Doc> {
  table: string;
  /** Indexed columns besides id, lng, lat and doc, in table order. */
  columns: readonly string[];
  toColumns(doc: Doc): SqlValue[];
  revive(raw: Record<string, unknown>): Doc;
}

export interface Where {
  sql: string; // '' or a condition over the table alias t
  params: SqlValue[];
}

interface GeoDoc {
  id: string;
  location: LngLat;
}

/** One aggregate in one SQLite table plus an R*Tree, with nearest-first search. */
export class GeoTable<Doc extends GeoDoc> {
  private readonly insertStmt: Statement;
  private readonly insertGeo: Statement;
  private readonly updateStmt: Statement;
  private readonly updateGeo: Statement;
  private readonly byId: Statement;
  private readonly docByRid: Statement;
  private readonly ridById: Statement;
  private readonly deleteRow: Statement;
  private readonly deleteGeo: Statement;
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Db, private readonly spec: GeoTableSpec<Doc>) {
    const { table, columns } = spec;
    const cols = ['id', 'lng', 'lat', 'doc', ...columns];
    this.insertStmt = db.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
    this.insertGeo = db.prepare(`INSERT INTO ${table}_geo (rid, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare(`UPDATE ${table} SET ${cols.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
    this.updateGeo = db.prepare(`UPDATE ${table}_geo SET min_lng = ?, max_lng = ?, min_lat = ?, max_lat = ? WHERE rid = ?`);
    this.byId = db.prepare(`SELECT doc FROM ${table} WHERE id = ?`);
    this.docByRid = db.prepare(`SELECT doc FROM ${table} WHERE rid = ?`);
    this.ridById = db.prepare(`SELECT rid FROM ${table} WHERE id = ?`);
    this.deleteRow = db.prepare(`DELETE FROM ${table} WHERE rid = ?`);
    this.deleteGeo = db.prepare(`DELETE FROM ${table}_geo WHERE rid = ?`);
  }

  private row(doc: Doc): SqlValue[] {
    return [doc.location.lng, doc.location.lat, JSON.stringify(doc), ...this.spec.toColumns(doc)];
  }

  private parse(json: string): Doc {
    return this.spec.revive(JSON.parse(json) as Record<string, unknown>);
  }

  private statement(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  /** Inserts a new document; a unique-key clash becomes a 409. */
  insert(doc: Doc): Doc {
    guardUnique(() => {
      const { lastInsertRowid } = this.insertStmt.run(doc.id, ...this.row(doc));
      const { lng, lat } = doc.location;
      this.insertGeo.run(lastInsertRowid, lng, lng, lat, lat);
    });
    return doc;
  }

  /** Overwrites an existing document (same id) and its index entry. */
  replace(doc: Doc): void {
    guardUnique(() => {
      this.updateStmt.run(...this.row(doc), doc.id);
      const rid = (this.ridById.get(doc.id) as { rid: number }).rid;
      const { lng, lat } = doc.location;
      this.updateGeo.run(lng, lng, lat, lat, rid);
    });
  }

  get(id: string): Doc | null {
    const row = this.byId.get(id) as { doc: string } | undefined;
    return row ? this.parse(row.doc) : null;
  }

  findOne(where: Where): Doc | null {
    const row = this.statement(`SELECT doc FROM ${this.spec.table} t WHERE ${where.sql}`).get(...where.params) as { doc: string } | undefined;
    return row ? this.parse(row.doc) : null;
  }

  delete(id: string): boolean {
    const row = this.ridById.get(id) as { rid: number } | undefined;
    if (!row) return false;
    this.deleteRow.run(row.rid);
    this.deleteGeo.run(row.rid);
    return true;
  }

  list(where: Where, limit: number, after?: string): Doc[] {
    const conds = [where.sql, after ? 't.id > ?' : ''].filter(Boolean);
    const sql = `SELECT doc FROM ${this.spec.table} t ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} ORDER BY t.id LIMIT ?`;
    const rows = this.statement(sql).all(...where.params, ...(after ? [after] : []), limit) as Array<{ doc: string }>;
    return rows.map((r) => this.parse(r.doc));
  }

  count(where: Where): number {
    const sql = `SELECT count(*) AS n FROM ${this.spec.table} t ${where.sql ? `WHERE ${where.sql}` : ''}`;
    return (this.statement(sql).get(...where.params) as { n: number }).n;
  }

  /** Candidates from the R*Tree box, exact distance in JS, then only the nearest documents are parsed. */
  nearby(center: LngLat, radiusM: number, limit: number, where: Where): Array<Located<Doc>> {
    const box = boundingBox(center, radiusM);
    const { table } = this.spec;
    const sql = `SELECT t.rid AS rid, t.lng AS lng, t.lat AS lat FROM ${table}_geo g JOIN ${table} t ON t.rid = g.rid
      WHERE g.max_lng >= ? AND g.min_lng <= ? AND g.max_lat >= ? AND g.min_lat <= ?${where.sql ? ` AND ${where.sql}` : ''}`;
    const rows = this.statement(sql).raw(true).all(box.minLng, box.maxLng, box.minLat, box.maxLat, ...where.params) as Array<[number, number, number]>;
    const hits: Array<{ rid: number; d: number }> = [];
    for (const [rid, lng, lat] of rows) {
      const d = haversineM(center, { lng, lat });
      if (d <= radiusM) hits.push({ rid, d });
    }
    hits.sort((a, b) => a.d - b.d || a.rid - b.rid);
    return hits.slice(0, limit).map(({ rid, d }) => {
      const doc = this.parse((this.docByRid.get(rid) as { doc: string }).doc);
      return Object.assign(doc, { distanceM: d });
    });
  }
}

function guardUnique(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const field = /external_id/.test(String((err as Error).message)) ? 'externalId' : 'id';
      throw new ConflictError(`${field} 已存在`, { field });
    }
    throw err;
  }
}
