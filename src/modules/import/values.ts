import { FieldError } from './import.types';

const LIST_SEPARATORS = /[,，、|;；]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;

/** A cell as trimmed text (GeoJSON may give numbers), or undefined when absent. */
export const cellText = (v: unknown): string | undefined => (v === undefined ? undefined : String(v).trim());

/** A decimal number; GeoJSON numbers pass through. */
export function toNumber(field: string, v: unknown): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const s = String(v).trim();
  if (!NUMBER.test(s)) throw new FieldError(field, `「${s}」不是数字`);
  return Number(s);
}

/** Maps a cell through a vocabulary (case-insensitive); unknown values pass on for the schema to name. */
export function lookup(table: Record<string, string>, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return table[v.trim().toLowerCase()] ?? v.trim();
}

/** Splits '热水，微波炉、WiFi' on any of , ， 、 | ; ；; arrays (GeoJSON) pass through. */
export function toList(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return v.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean);
}

export const CITY_ALIASES: Record<string, string> = {
  chongqing: 'chongqing', 重庆: 'chongqing', 重庆市: 'chongqing',
  chengdu: 'chengdu', 成都: 'chengdu', 成都市: 'chengdu',
};

/** 'YYYY-MM-DD' is a whole day in Asia/Shanghai (start or end of it); other text must be ISO 8601 with offset. */
export function toDateTime(field: string, v: unknown, endOfDay: boolean): unknown {
  if (typeof v !== 'string') return v;
  const m = DAY.exec(v.trim());
  if (!m) return v.trim();
  const day = `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
  const probe = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== day) {
    throw new FieldError(field, `「${v}」不是有效日期`);
  }
  return `${day}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}+08:00`;
}

/** The cells every located row shares (as placeFields in the API schemas), shaped like the JSON API's body. */
export function placeCells(v: Record<string, unknown>, num: (field: string) => number | undefined): Record<string, unknown> {
  return {
    externalId: cellText(v.externalId),
    name: cellText(v.name),
    city: lookup(CITY_ALIASES, v.city),
    district: cellText(v.district),
    address: cellText(v.address),
    location: { lng: num('lng'), lat: num('lat') },
  };
}
