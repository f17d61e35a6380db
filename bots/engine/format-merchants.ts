import type { MerchantCategory, Merchant, MerchantsResult } from '../api-contract';
import { emptyText, whereText, words } from './format-common';
import { CATEGORY_WORDS } from './labels';
import { formatDistance, formatRadius } from './text';
import type { MerchantSearch, ResolvedSearch } from './types';

/** One merchant as three lines: name, distance, open; the rider discount; the address. */
export function formatMerchant(m: Merchant, index: number): string {
  const conditions = m.discount.conditions.length > 0 ? `（${m.discount.conditions.join('；')}）` : '';
  return [
    `${index + 1}. ${m.name} · ${formatDistance(m.distanceM)} · ${m.openNow ? '营业中' : '休息中'}`,
    `   【${m.category}】${m.discount.text}${conditions}`,
    `   ${m.address}`,
  ].join('\n');
}

/** The reply to a merchant search: up to `limit` merchants nearest first, or a suggestion to search wider. */
export function formatMerchants(result: MerchantsResult, search: ResolvedSearch & MerchantSearch): string {
  const category: MerchantCategory | undefined = search.category;
  const noun = `${category ?? ''}优惠商户${search.openNow ? '（营业中）' : ''}`;
  if (result.data.length === 0) {
    const word = category ? CATEGORY_WORDS[category] : '优惠';
    return emptyText(result.meta, noun, (radius) => words(search.label, word, search.openNow ? '营业中' : null, radius));
  }
  const header = `${whereText(search, result.meta)}${formatRadius(result.meta.radius)}内的${noun}：`;
  const lines = result.data.slice(0, search.limit).map(formatMerchant);
  return [header, ...lines, '发送「驿站」看附近的暖新驿站'].join('\n');
}
