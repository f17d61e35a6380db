import type { z } from 'zod';
import type { MerchantInput } from '../merchants/merchants.types';
import { merchantInputSchema } from '../merchants/merchants.schema';
import { toMerchantInput } from '../merchants/merchants.service';
import { MERCHANT_COLUMNS } from './columns';
import { DISCOUNT_KINDS, inferDiscount } from './discount';
import { parseHoursText } from './hours-text';
import type { FieldIssue } from './import.types';
import { attempt, defined, ImportDefinition } from './row-check';
import { cellText, lookup, placeCells, toDateTime, toList, toNumber } from './values';

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
