import { z } from 'zod';
import { COORD_SYSTEMS } from '../../shared/geo';
import { optionalText, phoneSchema, text } from '../../shared/schema';
import { queryBool, queryInt, queryNumber } from '../../shared/validate';
import { BODY_TYPES, CATEGORY_CODES } from '../hazards/categories';

const unique = <T>(a: T[]) => [...new Set(a)];
const objectIdText = z.string().regex(/^[0-9a-f]{24}$/, '须为 24 位 id');
const bodyType = z.enum(BODY_TYPES, { message: `可选：${BODY_TYPES.join(', ')}` });
const category = z.enum(CATEGORY_CODES, { message: `未知类别；可选：${CATEGORY_CODES.join(', ')}` });

/** How the body is reached, the value checked by channel. */
export const contactSchema = z.discriminatedUnion('channel', [
  z.strictObject({ channel: z.literal('phone'), value: phoneSchema }),
  z.strictObject({ channel: z.literal('email'), value: z.string().trim().max(254, '不能超过 254 字').pipe(z.email('邮箱格式不正确')) }),
  z.strictObject({
    channel: z.literal('open311'),
    value: z.string().trim().max(500, '不能超过 500 字').pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: '须为 http(s) 地址' })),
  }),
  z.strictObject({ channel: z.literal('staff'), value: text(100) }),
], { error: '请给出 contact.channel：phone、email、open311 或 staff' });

const fields = {
  name: text(100),
  /** Checked against the city's districts by the service (short names and aliases become full names). */
  districts: z.array(text(50)).max(60).transform(unique),
  type: bodyType,
  categories: z.array(category).max(CATEGORY_CODES.length).transform(unique),
  contact: contactSchema,
  active: z.boolean({ error: '必须是 true 或 false' }),
};

/** A body as a city administrator creates it; the city is the administrator's own. */
export const bodyInputSchema = z.strictObject({
  ...fields,
  districts: fields.districts.default([]),
  categories: fields.categories.default([]),
  active: fields.active.default(true),
});

/** A partial update: absent fields stay as they are. */
export const bodyPatchSchema = z.strictObject(fields).partial()
  .refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段');

export const bodyListSchema = z.strictObject({
  type: bodyType.optional(),
  active: queryBool().optional(),
  limit: queryInt(1, 200).default(50),
  after: objectIdText.optional(),
});

/** Where a report would go: category, point and optionally the district the report names. */
export const routePreviewSchema = z.strictObject({
  category,
  lng: queryNumber().pipe(z.number().min(-180).max(180)),
  lat: queryNumber().pipe(z.number().min(-90).max(90)),
  coordSys: z.enum(COORD_SYSTEMS, { message: `可选：${COORD_SYSTEMS.join(', ')}` }).default('gcj02'),
  district: optionalText(50).optional(),
});
