import type { Station, StationsResult } from '../api-contract';
import { emptyText, whereText, words } from './format-common';
import { hoursPhrase } from './hours';
import { AMENITY_TITLES, amenityLabel } from './labels';
import { mapLink } from './map-link';
import { formatDistance, formatRadius } from './text';
import type { ResolvedSearch, StationSearch } from './types';

const MAX_AMENITIES_SHOWN = 6;

function statusText(s: Station, now: Date): string {
  if (s.status === 'temporarily_closed') return s.statusNote ? `暂停开放：${s.statusNote}` : '暂停开放';
  if (s.status !== 'open') return '已关闭';
  const seats = s.available === null ? null : `空位 ${s.available}/${s.capacity}`;
  return words(hoursPhrase(s, now), seats ? `· ${seats}` : null);
}

/** One station as up to three lines: name, distance, hours and free seats; address and amenities; a map link. */
export function formatStation(s: Station, index: number, now: Date): string {
  const shown = s.amenities.slice(0, MAX_AMENITIES_SHOWN).map(amenityLabel).join(' ');
  const more = s.amenities.length > MAX_AMENITIES_SHOWN ? '等' : '';
  const second = shown ? `${s.address} · ${shown}${more}` : s.address;
  const lines = [`${index + 1}. ${s.name} · ${formatDistance(s.distanceM)} · ${statusText(s, now)}`, `   ${second}`];
  if (s.location) lines.push(`   地图 ${mapLink(s.location, s.name)}`);
  return lines.join('\n');
}

/** Open now first, then open later today or tomorrow, then paused, then closed; nearest first within each. */
const rank = (s: Station): number => (s.status === 'open' ? (s.openNow ? 0 : 1) : s.status === 'temporarily_closed' ? 2 : 3);

/** The stations a reply shows: closed ones only where open ones do not fill the list. */
export function stationsShown(data: Station[], limit: number): Station[] {
  return data.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).slice(0, limit).map(({ s }) => s);
}

/** The filters a station search used, in the words a rider would type. */
export function stationFilterWords(search: StationSearch): string[] {
  return [
    ...(search.hasSeats ? ['有座位'] : []),
    ...search.amenities.map(amenityLabel),
    ...(search.openNow ? ['营业中'] : []),
  ];
}

/** What the stations are called in a title: 「有热水、能充电的驿站」, 「营业中、有空位的驿站」, or 「暖新驿站」. */
export function stationNoun(search: StationSearch): string {
  const traits = [
    ...(search.openNow ? ['营业中'] : []),
    ...(search.hasSeats ? ['有空位'] : []),
    ...search.amenities.map((a) => AMENITY_TITLES[a]),
  ];
  return traits.length > 0 ? `${traits.join('、')}的驿站` : '暖新驿站';
}

/** The reply to a station search: up to `limit` stations, open ones first, or a suggestion to search wider. */
export function formatStations(result: StationsResult, search: ResolvedSearch & StationSearch, now: Date): string {
  const noun = stationNoun(search);
  if (result.data.length === 0) {
    return emptyText(result.meta, noun, (radius) => words('驿站', search.label, ...stationFilterWords(search), radius));
  }
  const header = `${whereText(search, result.meta)}${formatRadius(result.meta.radius)}内${noun === '暖新驿站' ? '的暖新驿站' : noun}：`;
  const lines = stationsShown(result.data, search.limit).map((s, i) => formatStation(s, i, now));
  return [header, ...lines, '发送「商户」看附近的骑手优惠'].join('\n');
}
