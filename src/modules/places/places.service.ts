import { distance } from 'fastest-levenshtein';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { CITY_NAMES, type City } from '../../shared/domain';
import { outsideServiceArea } from './elsewhere';
import { GAZETTEER, type Place } from './gazetteer';

export interface PlaceIndex {
  /**
   * The one place a rider means, in `city` when given; 404 with suggestions when unknown or ambiguous, 404 naming
   * the covered cities for a place outside them, 422 when the place is in the other city.
   */
  resolve(query: string, city?: City): Place;
  /** Up to n display names ("沙坪坝区（重庆）") close to the query; never throws. */
  suggest(query: string, n?: number): string[];
  all(): Place[];
}

export const MAX_PLACE_QUERY = 50;
const CITY_PREFIX = /^(重庆|成都)市?/;
const CITY_BY_NAME: Record<string, City> = { 重庆: 'chongqing', 成都: 'chengdu' };

/** NFKC (full-width letters and digits become ASCII) and no whitespace at all. */
export function normalizePlaceQuery(query: string): string {
  return query.normalize('NFKC').replace(/\s+/g, '');
}

/** How a place is shown in messages and suggestions: 沙坪坝区（重庆）. */
export function formatPlace(p: Place): string {
  return `${p.name}（${CITY_NAMES[p.city]}）`;
}

const keysOf = (p: Place): string[] => [...new Set([p.name, p.shortName, ...p.aliases])];

/** 422 for a place that exists, but only in a city other than the one asked for. */
function wrongCity(key: string, city: City, elsewhere: Place[]): ValidationError {
  const other = (elsewhere[0] as Place).city;
  const candidates = elsewhere.map(formatPlace);
  return new ValidationError(
    `「${key}」在${CITY_NAMES[other]}，不在${CITY_NAMES[city]}；去掉 city 参数或改为 city=${other}`,
    { field: 'city', city, placeCity: other, candidates },
    422,
  );
}

/** Builds the lookup: exact full name first, then short names and aliases; a leading 重庆/成都 narrows the city. */
export function createPlaceIndex(entries: readonly Place[] = GAZETTEER): PlaceIndex {
  const byName = new Map<string, Place>();
  const byKey = new Map<string, Place[]>();
  for (const p of entries) {
    if (byName.has(p.name)) throw new Error(`gazetteer: duplicate place name ${p.name}`);
    byName.set(p.name, p);
    for (const key of keysOf(p)) byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }

  const lookup = (key: string, city?: City): Place[] => {
    const exact = byName.get(key);
    if (exact && (!city || exact.city === city)) return [exact];
    return (byKey.get(key) ?? []).filter((p) => !city || p.city === city);
  };

  function suggestKey(key: string, n: number): string[] {
    if (!key) return [];
    const maxEdits = Math.max(1, Math.floor(key.length / 2));
    const scored: Array<{ p: Place; score: number; order: number }> = [];
    entries.forEach((p, order) => {
      let score = Infinity;
      for (const k of keysOf(p)) {
        // Containment ranks ahead of any edit distance; closer lengths first among those.
        if (k.includes(key) || key.includes(k)) score = Math.min(score, Math.abs(k.length - key.length) / 100);
        else {
          const d = distance(key, k);
          if (d <= maxEdits) score = Math.min(score, d);
        }
      }
      if (score < Infinity) scored.push({ p, score, order });
    });
    scored.sort((a, b) => a.score - b.score || a.order - b.order);
    return scored.slice(0, n).map((s) => formatPlace(s.p));
  }

  /** Places a normalised key names, in `city` when given; a leading 重庆/成都 must agree with `city`. */
  function find(key: string, city?: City): Place[] {
    const found = lookup(key, city);
    const prefix = CITY_PREFIX.exec(key);
    if (found.length > 0 || !prefix || prefix[0].length === key.length) return found;
    const named = CITY_BY_NAME[prefix[1] as string] as City;
    return city && city !== named ? [] : lookup(key.slice(prefix[0].length), named);
  }

  function resolve(query: string, city?: City): Place {
    const key = normalizePlaceQuery(typeof query === 'string' ? query : '');
    if (!key) throw new ValidationError('请输入地点名称', { field: 'place' });
    if (key.length > MAX_PLACE_QUERY) {
      throw new ValidationError(`地点名称不能超过 ${MAX_PLACE_QUERY} 字`, { field: 'place', maxLength: MAX_PLACE_QUERY });
    }
    const found = find(key, city);
    if (found.length === 0 && city) {
      const elsewhere = find(key);
      if (elsewhere.length > 0) throw wrongCity(key, city, elsewhere);
    }
    if (found.length === 1) return found[0] as Place;
    if (found.length > 1) {
      const candidates = found.map(formatPlace);
      throw new NotFoundError(`「${key}」对应多个地点：${candidates.join('、')}，请写全称或加上城市名`, {
        field: 'place', candidates, suggestions: candidates,
      });
    }
    const outside = outsideServiceArea(key);
    if (outside) throw new NotFoundError(`本服务目前只覆盖重庆和成都，「${key}」不在服务范围内`, { field: 'place', outside, suggestions: [] });
    throw new NotFoundError(`未找到地点「${key}」`, { field: 'place', suggestions: suggestKey(key, 5) });
  }

  return {
    resolve,
    suggest: (query, n = 5) => suggestKey(normalizePlaceQuery(query).slice(0, MAX_PLACE_QUERY), n),
    all: () => [...entries],
  };
}
