import { z } from 'zod';
import type { RouteDoc } from '../../shared/openapi/route';
import { dataOf, EXAMPLE_ID, EXAMPLE_TIME, lngLatOut, placeSummaryFields } from '../../shared/openapi/schemas';
import { PLATFORMS } from '../identity/identity.types';
import type { GeoResourceDocs } from '../nearby/resource-docs';
import { ACCESS_MODES, RIDER_LEVELS } from './compounds.types';

const range = z.object({ open: z.string(), close: z.string() });

export const compoundSummarySchema = z.object({
  ...placeSummaryFields,
  propertyCompany: z.string().nullable(),
  accessMode: z.enum(ACCESS_MODES).meta({ description: 'manual 物业审批；auto 符合规则即通过；closed 不对骑手开放' }),
  ebikeAllowed: z.boolean(),
  notes: z.string().nullable().meta({ description: '给骑手的提示：走哪个门、车停哪里、楼栋怎么找' }),
  isDemo: z.boolean(),
});

export const compoundViewSchema = compoundSummarySchema.extend({
  gates: z.array(z.object({ id: z.string(), name: z.string(), location: lngLatOut.nullable() })),
  policy: z.object({
    mode: z.enum(ACCESS_MODES),
    rules: z.object({
      minLevel: z.enum(RIDER_LEVELS), hours: z.array(range).nullable(), platforms: z.array(z.enum(PLATFORMS)).nullable(),
      ebikeAllowed: z.boolean(), maxPassDays: z.number().int(), minActiveDays: z.number().int().nullable(),
      minOnTimeRate: z.number().nullable(), maxAtFaultAccidents: z.number().int().nullable(), maxComplaints: z.number().int().nullable(),
    }),
  }),
  externalId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const summaryExample = {
  id: EXAMPLE_ID,
  name: '龙湖香醍漫步',
  city: 'chongqing',
  district: '渝北区',
  address: '金开大道 68 号',
  location: { lng: 106.5203, lat: 29.6312 },
  propertyCompany: '龙湖智慧服务',
  accessMode: 'manual',
  ebikeAllowed: false,
  notes: '走东门，电动车停东门外非机动车棚，3-8 栋直走右转。',
  isDemo: false,
} as const;

const rulesExample = {
  minLevel: 'phone', hours: [{ open: '07:00', close: '23:00' }], platforms: null, ebikeAllowed: false, maxPassDays: 30,
  minActiveDays: 30, minOnTimeRate: 0.95, maxAtFaultAccidents: 0, maxComplaints: null,
};

const gatesExample = [{ id: 'east', name: '东门', location: { lng: 106.5211, lat: 29.6313 } }, { id: 'south', name: '南门', location: null }];

export const compoundDocs: GeoResourceDocs = {
  tag: 'compounds',
  noun: '小区',
  summarySchema: compoundSummarySchema,
  viewSchema: compoundViewSchema,
  summaryExample: { ...summaryExample, distanceM: 180 },
  viewExample: { ...summaryExample, gates: gatesExample, policy: { mode: 'manual', rules: rulesExample }, externalId: 'CQ-YB-0068', createdAt: EXAMPLE_TIME, updatedAt: EXAMPLE_TIME },
  inputExample: {
    name: '龙湖香醍漫步', city: 'chongqing', district: '渝北区', address: '金开大道 68 号', location: { lng: 106.5203, lat: 29.6312 },
    propertyCompany: '龙湖智慧服务', gates: [{ id: 'east', name: '东门', location: { lng: 106.5211, lat: 29.6313 } }],
    policy: { mode: 'manual', rules: { hours: [{ open: '07:00', close: '23:00' }], maxPassDays: 30 } },
    notes: '走东门，电动车停东门外非机动车棚。',
  },
  patchExample: { policy: { mode: 'auto', rules: { minLevel: 'platform', minOnTimeRate: 0.95, maxAtFaultAccidents: 0 } }, notes: '晚上 10 点后走南门。' },
  nearbyDescription: '按坐标或地名查找附近的小区（含骑手进入方式与提示）。',
  updateRoles: ['property_manager'],
  updateDescription: '城市管理员可改所有字段；物业只能改自己小区的 policy 与 notes（其他字段 403）。policy 只改所给的：rules 中未给出的规则保持不变。',
  deleteConflict: '小区还有有效通行证或待审批的申请时 409：先撤销、处理后再删除。',
};

/** GET /api/v1/compounds?q=: find a compound from a delivery address. */
export function compoundSearchDoc(query: z.ZodType): RouteDoc {
  return {
    method: 'get', path: '/', tags: ['compounds'], access: 'public', summary: '按名称或地址搜索小区',
    description: '名称或地址包含 q 的小区（不区分大小写），用于骑手从配送地址找到小区。', query,
    responses: { 200: { description: '匹配的小区', schema: dataOf(z.array(compoundSummarySchema)), example: { data: [summaryExample] } } },
  };
}
