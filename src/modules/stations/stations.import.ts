import type { z } from 'zod';
import { AMENITIES, type StationInput } from './stations.types';
import { stationInputSchema } from './stations.schema';
import { toInput } from './stations.service';
import { PLACE_COLUMNS, type ColumnSpec } from '../import/columns';
import { parseHoursText } from '../import/hours-text';
import { FieldError, type FieldIssue, type ImportDefinition } from '../import/import.types';
import { attempt, defined } from '../import/row-check';
import { cellText, lookup, placeCells, toList, toNumber } from '../import/values';

export const STATION_COLUMNS: ColumnSpec = {
  aliases: {
    ...PLACE_COLUMNS,
    amenities: ['amenities', '设施'],
    capacity: ['capacity', '座位数', '容量'],
    operatorName: ['operatorName', '运营方'],
    operatorPhone: ['operatorPhone', '联系电话'],
    statusNote: ['statusNote', '状态说明'],
  },
  required: ['name', 'city', 'district', 'address', 'lng', 'lat', 'hours', 'capacity'],
  shapes: { amenities: 'list', hours: 'object' },
};


export const AMENITY_LABELS: Record<string, string> = {
  ...Object.fromEntries(AMENITIES.map((a) => [a, a])),
  饮用水: 'drinking_water', 热水: 'hot_water', 微波炉: 'microwave', 冰箱: 'fridge', 手机充电: 'phone_charging',
  电动车充电: 'ebike_charging', 换电: 'battery_swap', 卫生间: 'toilet', 厕所: 'toilet', 座位: 'seating',
  空调: 'air_conditioning', wifi: 'wifi', 无线网络: 'wifi', 急救包: 'first_aid', 急救: 'first_aid', 雨具: 'rain_gear',
  维修工具: 'repair_tools',
};

/** Amenity codes from codes or Chinese labels; an unknown one rejects the row naming it. */
export function toAmenities(v: unknown): unknown {
  const list = toList(v);
  if (!Array.isArray(list)) return list;
  return list.map((item) => {
    const code = AMENITY_LABELS[String(item).trim().toLowerCase()];
    if (!code) throw new FieldError('amenities', `未知设施「${String(item)}」；可选：${Object.keys(AMENITY_LABELS).join('、')}`);
    return code;
  });
}

const STATUSES: Record<string, string> = {
  open: 'open', 开放: 'open', temporarily_closed: 'temporarily_closed', 暂停开放: 'temporarily_closed', closed: 'closed', 关闭: 'closed',
};

const PATH_COLUMNS: Record<string, string> = {
  'location.lng': 'lng', 'location.lat': 'lat', 'operator.name': 'operatorName', 'operator.phone': 'operatorPhone',
};

function stationBody(v: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown> {
  const num = (f: string) => attempt(issues, () => toNumber(f, v[f]));
  const operator = defined({ name: cellText(v.operatorName), phone: cellText(v.operatorPhone) });
  return defined({
    ...placeCells(v, num),
    hours: attempt(issues, () => parseHoursText(v.hours)),
    amenities: v.amenities === undefined ? [] : attempt(issues, () => toAmenities(v.amenities)),
    capacity: num('capacity'),
    operator: Object.keys(operator).length ? operator : undefined,
    status: lookup(STATUSES, v.status),
    statusNote: cellText(v.statusNote),
  });
}

/** CSV/GeoJSON rows → StationInput, through the same schema as POST /api/v1/stations. */
export const stationImport: ImportDefinition<z.output<typeof stationInputSchema>, StationInput> = {
  columns: STATION_COLUMNS,
  body: stationBody,
  schema: stationInputSchema,
  toInput,
  columnOf: ([a = '(row)', b]) => PATH_COLUMNS[`${a}.${b}`] ?? a,
};
