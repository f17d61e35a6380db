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

export type ImportKind = 'stations' | 'merchants';

export interface ImportReport {
  kind: ImportKind;
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
