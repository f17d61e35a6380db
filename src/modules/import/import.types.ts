import type { z } from 'zod';
import type { City, UpsertReport } from '../../shared/domain';
import type { CoordSys } from '../../shared/geo';
import type { ColumnSpec } from './columns';

/** Where a row came from: a physical CSV line (header is line 1) or a GeoJSON feature index. */
export type RowRef = { line: number } | { feature: number };

/** One data row, its cells keyed by canonical column name (CSV gives strings, GeoJSON any JSON value). */
export interface SourceRow {
  ref: RowRef;
  values: Record<string, unknown>;
}

export interface FieldIssue {
  field: string;
  message: string;
}

export type Rejection = RowRef & {
  externalId: string | null;
  reason: string;
  fields?: FieldIssue[];
};

/** Rows read from an upload, plus rows already refused while reading (e.g. non-Point geometry). */
export interface ParsedUpload {
  rows: SourceRow[];
  rejected: Rejection[];
  ignoredColumns: string[];
}


export interface ImportReport {
  kind: string;
  dryRun: boolean;
  total: number;
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
  ignoredColumns: string[];
}

/** Thrown by a cell converter; the row is rejected naming the column. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** The most rows one upload may hold. */
export const MAX_ROWS = 50_000;
/** Columns of a CSV header, or distinct unrecognised GeoJSON property names in a file: no real list has that many. */
export const MAX_COLUMNS = 200;

/** How one kind of row becomes a repository input: columns, cell conversion, schema, coordinate conversion. */
export interface ImportDefinition<Parsed, Input> {
  columns: ColumnSpec;
  /** Converts cells to the JSON API's input shape; cell problems go to issues. */
  body(values: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown>;
  schema: z.ZodType<Parsed>;
  toInput(parsed: Parsed, coordSys: CoordSys): Input;
  /** Maps a schema issue path (location.lng) back to the column that fed it (lng). */
  columnOf(path: string[]): string;
}

/** One kind of bulk import a feature offers: POST /api/v1/admin/import/{kind}. */
export interface ImportKind<P = any, I extends { city: City } = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  kind: string;
  /** The audit log's objectType for what it writes. */
  objectType: string;
  definition: ImportDefinition<P, I>;
  repository: { upsertMany(items: I[], now: Date): Promise<UpsertReport>; getByExternalId(externalId: string): Promise<{ city: City } | null> };
}
