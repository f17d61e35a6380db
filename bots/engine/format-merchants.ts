import type { MerchantCategory, Merchant, MerchantsResult } from '../api-contract';
import { emptyText, whereText, words } from './format-common';
import { hoursPhrase } from './hours';
import { CATEGORY_WORDS } from './labels';
import { mapLink } from './map-link';
import { formatDistance, formatRadius } from './text';
import type { MerchantSearch, ResolvedSearch } from './types';

/** One merchant as up to four lines: name, distance, hours; the rider discount; the address; a map link. */
export function formatMerchant(m: Merchant, index: number, now: Date): string {
  const conditions = m.discount.conditions.length > 0 ? `（${m.discount.conditions.join('；')}）` : '';
  const hours = m.todayHours === undefined ? (m.openNow ? '营业中' : '休息中') : hoursPhrase(m, now);
  return [
    `${index + 1}. ${m.name} · ${formatDistance(m.distanceM)} · ${hours}`,
    `   【${m.category}】${m.discount.text}${conditions}`,
    `   ${m.address}`,
    ...(m.location ? [`   地图 ${mapLink(m.location, m.name)}`] : []),
  ].join('\n');
}

/** The reply to a merchant search: up to `limit` merchants nearest first, or a suggestion to search wider. */
export function formatMerchants(result: MerchantsResult, search: ResolvedSearch & MerchantSearch, now: Date): string {
  const category: MerchantCategory | undefined = search.category;
  const noun = `${category ?? ''}优惠商户${search.openNow ? '（营业中）' : ''}`;
  if (result.data.length === 0) {
    const word = category ? CATEGORY_WORDS[category] : '优惠';
    return emptyText(result.meta, noun, (radius) => words(search.label, word, search.openNow ? '营业中' : null, radius));
  }
  const header = `${whereText(search, result.meta)}${formatRadius(result.meta.radius)}内的${noun}：`;
  const lines = result.data.slice(0, search.limit).map((m, i) => formatMerchant(m, i, now));
  return [header, ...lines, '发送「驿站」看附近的暖新驿站'].join('\n');
}
