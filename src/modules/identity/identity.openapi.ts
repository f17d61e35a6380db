import { z } from 'zod';
import { CITIES } from '../../shared/domain';
import { EXAMPLE_ID, EXAMPLE_TIME, isoTime, objectId } from '../../shared/openapi/schemas';
import { HOLDING_KEYS, PLATFORMS, STAFF_ROLES, VERIFICATION_LEVELS } from './identity.types';

/** The answers of the identity routes (src/modules/identity/views.ts), for the document and its tests. */
export const riderViewSchema = z.object({
  id: objectId,
  role: z.literal('rider'),
  displayName: z.string().nullable(),
  phone: z.string().nullable().meta({ description: '本人可见完整号码，管理员看到 138****1234' }),
  platform: z.enum(PLATFORMS).nullable(),
  city: z.enum(CITIES).nullable(),
  plate: z.string().nullable(),
  verification: z.enum(VERIFICATION_LEVELS),
  status: z.enum(['active', 'suspended']),
  isDemo: z.boolean(),
  createdAt: isoTime,
});

const ids = z.array(objectId);

export const staffViewSchema = z.object({
  id: objectId,
  role: z.enum(STAFF_ROLES),
  username: z.string(),
  displayName: z.string(),
  city: z.enum(CITIES),
  holdings: z.object(Object.fromEntries(HOLDING_KEYS.map((k) => [k, ids])) as Record<(typeof HOLDING_KEYS)[number], typeof ids>),
  wechatBound: z.boolean(),
  botBound: z.boolean(),
  status: z.enum(['active', 'disabled']),
  isDemo: z.boolean(),
  lastLoginAt: isoTime.nullable(),
  createdAt: isoTime,
});

/** GET /me: the rider (with `holdings: null`) or the staff member. */
export const meSchema = z.union([riderViewSchema.extend({ holdings: z.null() }), staffViewSchema]);

export const tokenPairSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number().int().meta({ description: '访问令牌有效秒数' }),
  refreshToken: z.string(),
  refreshExpiresAt: isoTime,
  user: meSchema,
});

export const riderExample = {
  id: EXAMPLE_ID, role: 'rider', displayName: '小王', phone: '138****1234', platform: '美团', city: 'chongqing', plate: '渝A-12345',
  verification: 'unverified', status: 'active', isDemo: false, createdAt: EXAMPLE_TIME,
} as const;

export const staffExample = {
  id: EXAMPLE_ID, role: 'station_operator', username: 'jfb-operator', displayName: '解放碑驿站张姐', city: 'chongqing',
  holdings: { stationIds: [EXAMPLE_ID], merchantIds: [], compoundIds: [], bodyIds: [] }, wechatBound: false, botBound: true, status: 'active',
  isDemo: false, lastLoginAt: EXAMPLE_TIME, createdAt: EXAMPLE_TIME,
} as const;

export const tokenPairExample = {
  tokenType: 'Bearer', accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', expiresIn: 900,
  refreshToken: 'r1.6650a1b2c3d4e5f601234567.bm90LWEtcmVhbC10b2tlbg', refreshExpiresAt: '2026-12-25T04:00:00.000Z',
  user: staffExample,
};

export const IDENTITY_TAGS = { auth: ['auth'], me: ['me'], admin: ['admin'], bot: ['bot'] } as const;
