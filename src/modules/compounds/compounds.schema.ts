import { z } from 'zod';
import { HHMM } from '../../shared/hours';
import { lngLatSchema, optionalText, placeFields, text } from '../../shared/schema';
import { queryInt } from '../../shared/validate';
import { CITIES } from '../../shared/domain';
import { PLATFORMS } from '../identity/identity.types';
import { nearbyShape } from '../nearby/nearby';
import { ACCESS_MODES, RIDER_LEVELS } from './compounds.types';

export const MAX_PASS_DAYS = 366;
export const GATE_ID = /^[a-z0-9]{1,8}$/;

const gateSchema = z.strictObject({
  id: z.string().regex(GATE_ID, '门的编号须为 1-8 位小写字母或数字，如 east、2'),
  name: text(50),
  location: lngLatSchema.nullable().default(null),
});

const range = z
  .strictObject({ open: z.string().regex(HHMM, '时间格式应为 HH:mm'), close: z.string().regex(HHMM, '时间格式应为 HH:mm') })
  .refine((r) => r.open !== r.close, '开始与结束时间不能相同（全天开放请用 hours: null）');

export const rulesSchema = z.strictObject({
  minLevel: z.enum(RIDER_LEVELS, { message: `可选：${RIDER_LEVELS.join(', ')}` }).default('phone'),
  hours: z.array(range).min(1).max(4).nullable().default(null),
  platforms: z.array(z.enum(PLATFORMS, { message: `可选：${PLATFORMS.join(', ')}` })).min(1).max(PLATFORMS.length).nullable().default(null),
  ebikeAllowed: z.boolean().default(false),
  maxPassDays: z.number().int('必须是整数').min(1, '至少 1 天').max(MAX_PASS_DAYS, `最多 ${MAX_PASS_DAYS} 天`).default(30),
  minActiveDays: z.number().int().min(0).max(3650).nullable().default(null),
  minOnTimeRate: z.number().min(0).max(1).nullable().default(null),
  maxAtFaultAccidents: z.number().int().min(0).max(100).nullable().default(null),
  maxComplaints: z.number().int().min(0).max(100).nullable().default(null),
});

export const policySchema = z.strictObject({
  mode: z.enum(ACCESS_MODES, { message: `可选：${ACCESS_MODES.join(', ')}` }),
  rules: rulesSchema.default(() => rulesSchema.parse({})),
});

/** A policy change: the mode and the rules given; rules not given keep their stored values (service merges). */
export const policyPatchSchema = z.strictObject({
  mode: z.enum(ACCESS_MODES, { message: `可选：${ACCESS_MODES.join(', ')}` }).optional(),
  rules: z.strictObject(Object.fromEntries(Object.entries(rulesSchema.shape).map(([k, v]) => [k, (v as z.ZodDefault<z.ZodType>).unwrap().optional()])) as {
    [K in keyof typeof rulesSchema.shape]: z.ZodOptional<ReturnType<(typeof rulesSchema.shape)[K]['unwrap']>>
  }).optional(),
}).refine((p) => p.mode !== undefined || p.rules !== undefined, '请给出 mode 或 rules');

const uniqueGates = (gates: Array<{ id: string }>) => new Set(gates.map((g) => g.id)).size === gates.length;
const gatesSchema = z.array(gateSchema).min(1, '至少要有一个门').max(20).refine(uniqueGates, '门的编号不能重复');

const compoundFields = {
  ...placeFields,
  propertyCompany: optionalText(100),
  gates: gatesSchema,
  policy: policySchema,
  notes: optionalText(500, { multiline: true }),
};

/** A compound as an administrator or importer writes it; locations (its own and its gates') in the request's coordSys. */
export const compoundInputSchema = z.strictObject({
  ...compoundFields,
  externalId: compoundFields.externalId.default(null),
  propertyCompany: compoundFields.propertyCompany.default(null),
  policy: policySchema.default({ mode: 'manual', rules: rulesSchema.parse({}) }),
  notes: compoundFields.notes.default(null),
});

export const compoundPatchSchema = z.strictObject({ ...compoundFields, policy: policyPatchSchema }).partial()
  .refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段');

/** What a compound's managers may change: the access policy and the notes riders read. */
export const MANAGER_FIELDS = new Set(['policy', 'notes']);

export const compoundNearbySchema = z.strictObject(nearbyShape);

export const compoundSearchSchema = z.strictObject({
  q: text(50),
  city: z.enum(CITIES, { message: `可选：${CITIES.join(', ')}` }).optional(),
  limit: queryInt(1, 50).default(10),
  coordSys: nearbyShape.coordSys,
});
