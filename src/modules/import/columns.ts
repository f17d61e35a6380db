import { ValidationError } from '../../shared/errors';

/** Canonical column name -> accepted header spellings (English compared case- and separator-insensitively). */
export type ColumnTable = Record<string, readonly string[]>;

export type CellShape = 'list' | 'object';

export interface ColumnSpec {
  aliases: ColumnTable;
  required: readonly string[];
  /** Columns that take more than text in GeoJSON (a list, or the JSON API's object); every other one takes text or a number. */
  shapes: Readonly<Record<string, CellShape>>;
}

/** The columns every located kind shares. */
export const PLACE_COLUMNS: ColumnTable = {
  externalId: ['externalId', 'external_id', '外部编号', '编号'],
  name: ['name', '名称'],
  city: ['city', '城市'],
  district: ['district', '区县', '区'],
  address: ['address', '地址'],
  lng: ['lng', 'lon', 'longitude', '经度'],
  lat: ['lat', 'latitude', '纬度'],
  hours: ['hours', '营业时间', '开放时间'],
  status: ['status', '状态'],
};

// "经度（GCJ-02）", " Capacity ", "external_id" all name their column.
const normalize = (h: string): string =>
  h.trim().replace(/\s*[(（][^)）]*[)）]$/, '').toLowerCase().replace(/[\s_-]+/g, '');

const lookups = new WeakMap<ColumnTable, Map<string, string>>();

/** The canonical column a header (or GeoJSON property) names, or null when unknown. */
export function columnFor(header: string, table: ColumnTable): string | null {
  let map = lookups.get(table);
  if (!map) {
    map = new Map(Object.entries(table).flatMap(([field, names]) => names.map((n) => [normalize(n), field] as const)));
    lookups.set(table, map);
  }
  return map.get(normalize(header)) ?? null;
}

/** Maps a CSV header row to canonical columns; 422 when a required column is missing or one is given twice. */
export function resolveHeader(header: string[], spec: ColumnSpec): { fields: Array<string | null>; ignored: string[] } {
  const fields = header.map((h) => columnFor(h, spec.aliases));
  const ignored = header.filter((h, i) => fields[i] === null && h.trim() !== '');
  const twice = fields.filter((f, i): f is string => f !== null && fields.indexOf(f) !== i);
  if (twice.length) {
    throw new ValidationError(`表头中这些列出现了不止一次：${[...new Set(twice)].join(', ')}`, { duplicateColumns: [...new Set(twice)] }, 422);
  }
  const missing = spec.required.filter((f) => !fields.includes(f));
  if (missing.length) {
    const named = missing.map((f) => `${f}（${spec.aliases[f]?.find((a) => /\p{Script=Han}/u.test(a)) ?? f}）`);
    throw new ValidationError(`缺少必需的列：${named.join('、')}`, { missingColumns: missing }, 422);
  }
  return { fields, ignored };
}
