import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { EXAMPLE_ID } from '../../shared/openapi/schemas';

const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ last_updated: z.number().int(), ttl: z.number().int().min(0), version: z.literal('2.3'), data });
const at = { last_updated: 1795579200, ttl: 60, version: '2.3' } as const;

const feed = (path: string, summary: string, data: z.ZodType, example: unknown): RouteDoc => ({
  method: 'get', path, tags: ['gbfs'], access: 'public', summary,
  responses: { 200: { description: 'GBFS 2.3 信封（last_updated、ttl、version、data）', schema: envelope(data), example: { ...at, data: example } } },
});

const station = { station_id: EXAMPLE_ID };

/** The four GBFS feeds (src/modules/gbfs/gbfs.routes.ts). */
export const gbfsDocs = {
  index: feed('/gbfs.json', 'GBFS 入口：各数据源地址', z.object({ zh: z.object({ feeds: z.array(z.object({ name: z.string(), url: z.string() })) }) }),
    { zh: { feeds: [{ name: 'station_status', url: 'http://127.0.0.1:3000/gbfs/station_status.json' }] } }),
  system: feed('/system_information.json', '系统信息',
    z.object({ system_id: z.string(), language: z.string(), name: z.string(), operator: z.string(), timezone: z.string() }),
    { system_id: 'nuanxin-chuanyu', language: 'zh', name: '川渝暖新驿站', operator: '重庆市、成都市社会工作部', timezone: 'Asia/Shanghai' }),
  information: feed('/station_information.json', '驿站静态信息', z.object({ stations: z.array(z.object({
    station_id: z.string(), name: z.string(), lat: z.number(), lon: z.number(), address: z.string(), region_id: z.string(), capacity: z.number().int(),
  })) }), { stations: [{ ...station, name: '解放碑暖新驿站', lat: 29.5568, lon: 106.5816, address: '民族路 188 号', region_id: 'chongqing', capacity: 12 }] }),
  status: feed('/station_status.json', '驿站实时状态（空座数作 num_docks_available）', z.object({ stations: z.array(z.object({
    station_id: z.string(),
    num_bikes_available: z.number().int().meta({ description: '已用座位' }),
    num_docks_available: z.number().int().meta({ description: '空座位；未及时上报为 0 且 _occupancy_known 为 false' }),
    is_installed: z.boolean(),
    is_renting: z.boolean(),
    is_returning: z.boolean(),
    last_reported: z.number().int(),
    _occupancy_known: z.boolean(),
  })) }), { stations: [{ ...station, num_bikes_available: 7, num_docks_available: 5, is_installed: true, is_renting: true, is_returning: true, last_reported: 1795579200, _occupancy_known: true }] }),
} satisfies Record<string, RouteDoc>;
