import { z } from 'zod';
import { EXAMPLE_ID, EXAMPLE_TIME, isoTime, placeSummaryFields } from '../../shared/openapi/schemas';
import type { GeoResourceDocs } from '../nearby/resource-docs';
import { hoursSchema } from '../../shared/schema';
import { MERCHANT_CATEGORIES } from './merchants.types';

const discount = z.object({
  text: z.string(),
  kind: z.enum(['percent', 'amount', 'other']),
  percentOff: z.number().nullable(),
  amountOff: z.number().nullable(),
  minSpend: z.number().nullable(),
  conditions: z.array(z.string()),
});

/** The answers of the merchant routes (src/modules/merchants/merchants.view.ts). */
export const merchantSummarySchema = z.object({
  ...placeSummaryFields,
  category: z.enum(MERCHANT_CATEGORIES),
  discount,
  validTo: isoTime.nullable(),
  openNow: z.boolean(),
  todayHours: z.string(),
  phone: z.string().nullable(),
  isDemo: z.boolean(),
});

export const merchantViewSchema = merchantSummarySchema.extend({
  validFrom: isoTime.nullable(),
  hours: hoursSchema,
  status: z.enum(['active', 'inactive']),
  externalId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

const discountExample = { text: '骑手凭工牌 9 折', kind: 'percent', percentOff: 10, amountOff: null, minSpend: null, conditions: ['堂食'] } as const;

const summaryExample = {
  id: EXAMPLE_ID,
  name: '春熙路骑手面馆',
  city: 'chengdu',
  district: '锦江区',
  address: '春熙路北段 8 号',
  location: { lng: 104.0817, lat: 30.6559 },
  category: '餐饮',
  discount: discountExample,
  validTo: '2026-12-31T15:59:59.000Z',
  openNow: true,
  todayHours: '10:00-22:00',
  phone: '028-86660000',
  isDemo: false,
} as const;

export const merchantDocs: GeoResourceDocs = {
  tag: 'merchants',
  noun: '商户',
  summarySchema: merchantSummarySchema,
  viewSchema: merchantViewSchema,
  summaryExample: { ...summaryExample, distanceM: 240 },
  viewExample: {
    ...summaryExample,
    validFrom: null,
    hours: { kind: 'weekly', days: { wed: [{ open: '10:00', close: '22:00' }] } },
    status: 'active',
    externalId: 'CD-JJ-008',
    createdAt: EXAMPLE_TIME,
    updatedAt: EXAMPLE_TIME,
  },
  inputExample: {
    name: '春熙路骑手面馆',
    city: 'chengdu',
    district: '锦江区',
    address: '春熙路北段 8 号',
    location: { lng: 104.0817, lat: 30.6559 },
    category: '餐饮',
    discount: { text: '骑手凭工牌 9 折', kind: 'percent', percentOff: 10 },
    hours: { kind: '24h' },
    validTo: '2026-12-31T23:59:59+08:00',
  },
  patchExample: { discount: { text: '满 30 减 5', kind: 'amount', amountOff: 5, minSpend: 30 }, validTo: '2027-03-31T23:59:59+08:00' },
  nearbyDescription: '按 GPS 坐标或地名查找附近有骑手优惠的暖新商户（只返回当前有效的优惠），可按类别筛选。',
  updateRoles: ['merchant_owner'],
  updateDescription: '城市管理员可改所有字段；商户只能改自己店铺的 hours、discount、validFrom、validTo（其他字段 403）。',
};
