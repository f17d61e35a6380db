import { ValidationError } from '../../shared/errors';
import { Cell, cellIssues, rejection } from './cell-guard';
import { ColumnSpec, columnFor } from './columns';
import { FieldIssue, MAX_COLUMNS, MAX_ROWS, ParsedUpload, Rejection, SourceRow } from './import.types';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function collection(doc: unknown): unknown[] {
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new ValidationError('请求体必须是 GeoJSON FeatureCollection（type 为 "FeatureCollection"，含 features 数组）', undefined, 422);
  }
  if (doc.features.length === 0) throw new ValidationError('FeatureCollection 中没有任何 feature', undefined, 422);
  if (doc.features.length > MAX_ROWS) {
    throw new ValidationError(`一次最多导入 ${MAX_ROWS} 条，请分批上传`, { maxRows: MAX_ROWS }, 422);
  }
  return doc.features;
}

/** The [lng, lat] of a Point feature, or why the feature is not one. */
function pointOf(feature: Json): { lng: number; lat: number } | string {
  const g = feature.geometry;
  if (!isObject(g)) return 'feature 缺少 geometry';
  if (g.type !== 'Point') return `geometry 必须是 Point，收到 ${String(g.type)}`;
  const c = g.coordinates;
  if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') return 'Point 的 coordinates 必须是 [经度, 纬度]';
  return { lng: c[0], lat: c[1] };
}

/** Reads a FeatureCollection of Points; properties are named like CSV columns, geometry gives lng/lat. */
export function parseGeoJson(doc: unknown, spec: ColumnSpec): ParsedUpload {
  const rows: SourceRow[] = [];
  const rejected: Rejection[] = [];
  const ignored = new Set<string>();
  collection(doc).forEach((raw, index) => {
    const feature = isObject(raw) ? raw : {};
    const values: Record<string, unknown> = {};
    const cells: Cell[] = [];
    const keyOf = new Map<string, string>(); // field -> the property that gave it
    const twice: FieldIssue[] = [];
    for (const [key, value] of Object.entries(isObject(feature.properties) ? feature.properties : {})) {
      const field = columnFor(key, spec.aliases);
      if (!field) {
        ignored.add(key);
        if (ignored.size > MAX_COLUMNS) throw new ValidationError(`属性名太多：全文件最多 ${MAX_COLUMNS} 个认不出的属性，这不像驿站或商户数据`, { maxColumns: MAX_COLUMNS }, 422);
      } else if (keyOf.has(field)) {
        // Two names of one column (外部编号 and externalId): as CSV refuses a repeated column, never keep one silently.
        twice.push({ field, message: `「${key}」与「${keyOf.get(field) as string}」是同一列，只能给一个` });
      } else if (value !== null && value !== '') {
        keyOf.set(field, key);
        values[field] = value;
        cells.push({ field, header: key, value, shape: spec.shapes[field] });
      }
    }
    if (values.externalId === undefined && (typeof feature.id === 'string' || typeof feature.id === 'number')) {
      values.externalId = feature.id;
      cells.push({ field: 'externalId', header: 'id', value: feature.id });
    }
    const point = feature.type === 'Feature' ? pointOf(feature) : '不是 GeoJSON Feature';
    const issues = [...twice, ...cellIssues(cells)];
    const externalId = typeof values.externalId === 'string' || typeof values.externalId === 'number' ? String(values.externalId) : null;
    if (typeof point === 'string') {
      rejected.push({ feature: index, externalId, reason: point });
    } else if (issues.length) {
      rejected.push(rejection({ feature: index }, externalId, issues));
    } else {
      rows.push({ ref: { feature: index }, values: { ...values, ...point } });
    }
  });
  return { rows, rejected, ignoredColumns: [...ignored] };
}
