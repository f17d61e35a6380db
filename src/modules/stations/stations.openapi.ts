import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, placeSummaryFields, idParams, isoTime } from '../../shared/openapi/schemas';
import type { GeoResourceDocs } from '../nearby/resource-docs';
import { AMENITIES, STATION_STATUSES } from './stations.types';
import { hoursSchema } from '../../shared/schema';

/** The answers of the station routes (src/modules/stations/stations.view.ts), for the document and its tests. */
export const stationSummarySchema = z.object({
  ...placeSummaryFields,
  openNow: z.boolean(),
  todayHours: z.string().meta({ description: '今日营业时间，如 "08:00-22:00"、"24小时"、"今日休息"' }),
  status: z.enum(STATION_STATUSES),
  statusNote: z.string().nullable(),
  capacity: z.number().int().min(0),
  available: z.number().int().min(0).nullable().meta({ description: '空座数；上报超过新鲜期为 null（未知）' }),
  occupancyReportedAt: isoTime.nullable(),
  amenities: z.array(z.enum(AMENITIES)),
  isDemo: z.boolean(),
});

export const stationViewSchema = stationSummarySchema.extend({
  hours: hoursSchema,
  operator: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
  externalId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

const summaryExample = {
  id: EXAMPLE_ID,
  name: '解放碑暖新驿站',
  city: 'chongqing',
  district: '渝中区',
  address: '民族路 188 号',
  location: { lng: 106.5816, lat: 29.5568 },
  openNow: true,
  todayHours: '08:00-22:00',
  status: 'open',
  statusNote: null,
  capacity: 12,
  available: 5,
  occupancyReportedAt: EXAMPLE_TIME,
  amenities: ['hot_water', 'phone_charging', 'seating'],
  isDemo: false,
} as const;

const viewExample = {
  ...summaryExample,
  hours: { kind: 'weekly', days: { mon: [{ open: '08:00', close: '22:00' }], sat: [{ open: '18:00', close: '02:00' }] } },
  operator: { name: '渝中区社工站', phone: '023-63800000' },
  externalId: 'CQ-YZ-001',
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
};

export const stationDocs: GeoResourceDocs = {
  tag: 'stations',
  noun: '驿站',
  summarySchema: stationSummarySchema,
  viewSchema: stationViewSchema,
  summaryExample: { ...summaryExample, distanceM: 180 },
  viewExample,
  inputExample: {
    name: '观音桥暖新驿站',
    city: 'chongqing',
    district: '江北区',
    address: '观音桥步行街 1 号',
    location: { lng: 106.5313, lat: 29.5758 },
    hours: { kind: 'weekly', days: { mon: [{ open: '08:00', close: '22:00' }], sat: [{ open: '18:00', close: '02:00' }] } },
    amenities: ['seating', 'hot_water'],
    capacity: 12,
  },
  patchExample: { status: 'temporarily_closed', statusNote: '设备检修' },
  nearbyDescription: '按 GPS 坐标或地名查找附近的暖新驿站，可筛选营业中、有空座和设施（amenities 逗号分隔，须全部具备）。',
};

/** PUT /:id/occupancy and PUT /:id/status, on the body schemas the handlers validate with. */
export function stationReportDocs(s: { occupancy: z.ZodType; status: z.ZodType; coordSys: z.ZodType }): Record<'occupancy' | 'status', RouteDoc> {
  const common = {
    method: 'put', tags: ['stations'], access: ['station_operator', 'city_admin'], params: idParams, query: s.coordSys, errors: [422],
    responses: { 200: { description: '更新后的驿站', schema: dataOf(stationViewSchema), example: { data: viewExample } } },
  } as const;
  return {
    occupancy: {
      ...common, path: '/:id/occupancy', summary: '上报空座数',
      description: '驿站运营方上报自己驿站的空座数（available）或已用座数（occupied），二者给一个；须在 0 到容量之间。',
      body: s.occupancy, bodyExample: { available: 3 },
    },
    status: {
      ...common, path: '/:id/status', summary: '上报开闭状态',
      description: '驿站运营方上报自己驿站开放、临时关闭或关闭，可附说明。',
      body: s.status, bodyExample: { status: 'temporarily_closed', note: '停电检修，预计 15:00 恢复' },
    },
  };
}
