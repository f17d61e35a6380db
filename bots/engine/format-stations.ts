import type { Station, StationsResult } from '../api-contract';
import { emptyText, whereText, words } from './format-common';
import { amenityLabel } from './labels';
import { formatDistance, formatRadius } from './text';
import type { ResolvedSearch, StationSearch } from './types';

const MAX_AMENITIES_SHOWN = 6;

function statusText(s: Station): string {
  if (s.status === 'temporarily_closed') return s.statusNote ? `暂停开放：${s.statusNote}` : '暂停开放';
  if (s.status !== 'open') return '已关闭';
  const seats = s.available === null ? '空位未知' : `空位 ${s.available}/${s.capacity}`;
  return `${s.openNow ? '营业中' : '现在未开放'} · ${seats}`;
}

/** One station as two lines: name, distance, status and seats; then address and amenities. */
export function formatStation(s: Station, index: number): string {
  const shown = s.amenities.slice(0, MAX_AMENITIES_SHOWN).map(amenityLabel).join(' ');
  const more = s.amenities.length > MAX_AMENITIES_SHOWN ? '等' : '';
  const second = shown ? `${s.address} · ${shown}${more}` : s.address;
  return `${index + 1}. ${s.name} · ${formatDistance(s.distanceM)} · ${statusText(s)}\n   ${second}`;
}

/** The filters a station search used, in the words a rider would type. */
export function stationFilterWords(search: StationSearch): string[] {
  return [
    ...(search.hasSeats ? ['有座位'] : []),
    ...search.amenities.map(amenityLabel),
    ...(search.openNow ? ['营业中'] : []),
  ];
}

/** The reply to a station search: up to `limit` stations nearest first, or a suggestion to search wider. */
export function formatStations(result: StationsResult, search: ResolvedSearch & StationSearch): string {
  const filters = stationFilterWords(search);
  const noun = filters.length > 0 ? `${filters.join('、')}的驿站` : '驿站';
  if (result.data.length === 0) {
    return emptyText(result.meta, noun, (radius) => words('驿站', search.label, ...filters, radius));
  }
  const header = `${whereText(search, result.meta)}${formatRadius(result.meta.radius)}内${noun === '驿站' ? '的暖新驿站' : noun}：`;
  const lines = result.data.slice(0, search.limit).map(formatStation);
  return [header, ...lines, '发送「商户」看附近的骑手优惠'].join('\n');
}
