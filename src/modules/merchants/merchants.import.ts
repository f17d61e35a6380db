import type { z } from 'zod';
import type { MerchantInput } from './merchants.types';
import { merchantInputSchema } from './merchants.schema';
import { toMerchantInput } from './merchants.service';
import { PLACE_COLUMNS, type ColumnSpec } from '../import/columns';
import { DISCOUNT_KINDS, inferDiscount } from './discount';
import { parseHoursText } from '../import/hours-text';
import type { FieldIssue } from '../import/import.types';
import type { ImportDefinition } from '../import/import.types';
import { attempt, defined } from '../import/row-check';
import { cellText, lookup, placeCells, toDateTime, toList, toNumber } from '../import/values';

export const MERCHANT_COLUMNS: ColumnSpec = {
  aliases: {
    ...PLACE_COLUMNS,
    category: ['category', '类别'],
    discountText: ['discountText', 'discount', '优惠'],
    discountKind: ['discountKind', '优惠类型'],
    percentOff: ['percentOff'],
    amountOff: ['amountOff'],
    minSpend: ['minSpend'],
    conditions: ['conditions', '优惠条件'],
    validFrom: ['validFrom', '生效日期'],
    validTo: ['validTo', '截止日期'],
    phone: ['phone', '电话'],
  },
  required: ['name', 'city', 'district', 'address', 'lng', 'lat', 'category', 'discountText', 'hours'],
  shapes: { conditions: 'list', hours: 'object' },
};


const STATUSES: Record<string, string> = {
  active: 'active', 启用: 'active', 有效: 'active', 营业: 'active', inactive: 'inactive', 停用: 'inactive', 关闭: 'inactive',
};

const PATH_COLUMNS: Record<string, string> = {
  'location.lng': 'lng', 'location.lat': 'lat', 'discount.text': 'discountText', 'discount.kind': 'discountKind',
  'discount.percentOff': 'percentOff', 'discount.amountOff': 'amountOff', 'discount.minSpend': 'minSpend',
  'discount.conditions': 'conditions',
};

function discountBody(v: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown> {
  const num = (f: string) => attempt(issues, () => toNumber(f, v[f]));
  const text = cellText(v.discountText);
  const guess = inferDiscount(text ?? '');
  const kind = v.discountKind === undefined ? guess.kind : lookup(DISCOUNT_KINDS, v.discountKind);
  // Amounts read from the text only fill in for the kind the row ends up with.
  const same = kind === guess.kind;
  return defined({
    text,
    kind,
    percentOff: num('percentOff') ?? (same ? guess.percentOff : undefined),
    amountOff: num('amountOff') ?? (same ? guess.amountOff : undefined),
    minSpend: num('minSpend') ?? (same ? guess.minSpend : undefined),
    conditions: toList(v.conditions),
  });
}

function merchantBody(v: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown> {
  const num = (f: string) => attempt(issues, () => toNumber(f, v[f]));
  return defined({
    ...placeCells(v, num),
    category: cellText(v.category),
    discount: discountBody(v, issues),
    validFrom: attempt(issues, () => toDateTime('validFrom', v.validFrom, false)),
    validTo: attempt(issues, () => toDateTime('validTo', v.validTo, true)),
    hours: attempt(issues, () => parseHoursText(v.hours)),
    phone: cellText(v.phone),
    status: lookup(STATUSES, v.status),
  });
}

/** CSV/GeoJSON rows → MerchantInput, through the same schema as POST /api/v1/merchants. */
export const merchantImport: ImportDefinition<z.output<typeof merchantInputSchema>, MerchantInput> = {
  columns: MERCHANT_COLUMNS,
  body: merchantBody,
  schema: merchantInputSchema,
  toInput: toMerchantInput,
  columnOf: ([a = '(row)', b]) => PATH_COLUMNS[`${a}.${b}`] ?? a,
};
