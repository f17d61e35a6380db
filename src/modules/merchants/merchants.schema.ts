import { z } from 'zod';
import { MERCHANT_CATEGORIES } from './merchants.types';
import { nearbyShape } from '../nearby/nearby';
import { hoursSchema } from '../../shared/schema';
import { phoneSchema, placeFields, text } from '../../shared/schema';

const category = z.enum(MERCHANT_CATEGORIES, { message: `可选：${MERCHANT_CATEGORIES.join(', ')}` });

export const discountSchema = z
  .strictObject({
    text: text(100),
    kind: z.enum(['percent', 'amount', 'other']),
    percentOff: z.number().gt(0).lt(100).nullable().default(null),
    amountOff: z.number().gt(0).max(10_000).nullable().default(null),
    minSpend: z.number().min(0).max(100_000).nullable().default(null),
    conditions: z.array(text(50)).max(10).default([]),
  })
  .refine((d) => d.kind !== 'percent' || d.percentOff !== null, { message: 'kind 为 percent 时须给出 percentOff', path: ['percentOff'] })
  .refine((d) => d.kind !== 'amount' || d.amountOff !== null, { message: 'kind 为 amount 时须给出 amountOff', path: ['amountOff'] });

const dateTime = z.iso.datetime({ offset: true, message: '须为带时区的 ISO 8601 时间' }).transform((s) => new Date(s));

const merchantFields = {
  ...placeFields,
  category,
  discount: discountSchema,
  validFrom: dateTime.nullable(),
  validTo: dateTime.nullable(),
  hours: hoursSchema,
  phone: phoneSchema.nullable(),
  status: z.enum(['active', 'inactive']),
};

const validSpan = (m: { validFrom?: Date | null; validTo?: Date | null }) => !m.validFrom || !m.validTo || m.validFrom <= m.validTo;
const spanIssue = { message: 'validTo 不能早于 validFrom', path: ['validTo'] };

/** A merchant as an administrator or importer writes it; location in the request's coordSys. */
export const merchantInputSchema = z
  .strictObject({
    ...merchantFields,
    externalId: merchantFields.externalId.default(null),
    validFrom: merchantFields.validFrom.default(null),
    validTo: merchantFields.validTo.default(null),
    phone: merchantFields.phone.default(null),
    status: merchantFields.status.default('active'),
  })
  .refine(validSpan, spanIssue);

export const merchantPatchSchema = z.strictObject(merchantFields).partial()
  .refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段')
  .refine(validSpan, spanIssue);

export const merchantNearbySchema = z.strictObject({ ...nearbyShape, category: category.optional() });
